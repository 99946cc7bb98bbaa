import Foundation
import Logging
import PostgresNIO

/// Where a `PostgresStore` connects, read from a `postgres://` URL (`botcli serve --store`,
/// `PARLEY_DATABASE_URL`):
///
///     postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=require&pool=20&lease=10
///
/// - `sslmode`: `disable`, `prefer` (the default: TLS when the server offers it) or `require`
///   (refuses a server without TLS; the certificate is checked against the system's roots and
///   the host name).
/// - `pool`: the most connections this process opens (20). Each running turn holds one.
/// - `lease`: seconds another process waits before it takes over the accepted events and
///   undelivered work of a process that stopped renewing its claim (10; 1 to 3600).
///
/// The password never appears in `description`, logs or errors.
public struct PostgresSettings: Sendable, CustomStringConvertible {
    /// How the connection is encrypted (`sslmode`).
    enum Encryption: Sendable {
        case disable, prefer, require
    }

    public var configuration: PostgresClient.Configuration
    let encryption: Encryption
    public var lease: Duration
    /// The URL with its password replaced by `***`.
    public let description: String

    /// - Throws: `PostgresSettingsError` naming what is wrong (never the password).
    public init(url text: String) throws(PostgresSettingsError) {
        guard let url = URLComponents(string: text), let scheme = url.scheme else {
            throw PostgresSettingsError(url: Self.redacted(text), problem: "is not a URL")
        }
        var shown = url
        if shown.password != nil { shown.password = "***" }
        let description = shown.string ?? "postgres://"
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw PostgresSettingsError(url: description, problem: "is not a postgres:// URL")
        }
        var encryption = Encryption.prefer
        var lease = Duration.seconds(10), pool = 20
        for item in url.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                switch value {
                case "disable": encryption = .disable
                case "prefer", "allow": encryption = .prefer
                case "require", "verify-ca", "verify-full": encryption = .require
                default:
                    throw PostgresSettingsError(url: description, problem: "sslmode `\(value)` is not one of disable, prefer, require")
                }
            case "pool":
                guard let count = Int(value), (1...1_000).contains(count) else {
                    throw PostgresSettingsError(url: description, problem: "pool `\(value)` is not a number of connections from 1 to 1000")
                }
                pool = count
            case "lease":
                guard let seconds = Int(value), (1...3_600).contains(seconds) else {
                    throw PostgresSettingsError(url: description, problem: "lease `\(value)` is not a number of seconds from 1 to 3600")
                }
                lease = .seconds(seconds)
            default:
                throw PostgresSettingsError(url: description, problem: "unknown option `\(item.name)` (known: sslmode, pool, lease)")
            }
        }
        let tls: PostgresClient.Configuration.TLS = switch encryption {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
        let user = url.user.flatMap { $0.removingPercentEncoding } ?? "postgres"
        let database = url.path.isEmpty ? nil : String(url.path.dropFirst()).removingPercentEncoding
        configuration = PostgresClient.Configuration(host: url.host ?? "127.0.0.1", port: url.port ?? 5432, username: user,
                                                     password: url.password.flatMap { $0.removingPercentEncoding },
                                                     database: database?.isEmpty == false ? database : nil, tls: tls)
        configuration.options.maximumConnections = pool
        self.encryption = encryption
        self.lease = lease
        self.description = description
    }

    /// Connects once, outside the pool, and closes: the pool retries a server it cannot reach
    /// without saying why, so this says it first (refused, unknown database, a wrong password,
    /// TLS refused), within the connect timeout.
    func checkReachable(logger: Logger) async throws {
        let tls: PostgresConnection.Configuration.TLS
        switch encryption {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        var connection = PostgresConnection.Configuration(host: configuration.host ?? "127.0.0.1", port: configuration.port ?? 5432,
                                                          username: configuration.username, password: configuration.password,
                                                          database: configuration.database, tls: tls)
        connection.options.connectTimeout = .init(configuration.options.connectTimeout)
        do {
            try await PostgresConnection.connect(configuration: connection, id: 0, logger: logger).close()
        } catch {
            throw PostgresStoreError.unavailable("cannot connect: \(PostgresStoreError.describe(error))")
        }
    }

    /// Text that did not read as a URL, with anything between `:` and `@` hidden.
    private static func redacted(_ text: String) -> String {
        text.replacingOccurrences(of: #":[^:@/]*@"#, with: ":***@", options: .regularExpression)
    }
}

/// A database URL that cannot be used, said without its password.
public struct PostgresSettingsError: Error, CustomStringConvertible, Sendable {
    public let url: String
    public let problem: String
    public var description: String { "the database URL \(url) \(problem)" }
}
