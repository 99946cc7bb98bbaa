import BotRuntime
import FlowDSL
import Foundation
import Logging
import ParleyPostgres
import Vault

/// An app opened for serving: its vault read with the secret key, its store (SQLite, or
/// PostgreSQL shared with other replicas), its integrations and the engine over them. The start-up of an app, in one place: `botcli serve`,
/// `parley-bench http` (which measures what serve runs) and tests open apps through it.
public struct ServedApp: Sendable {
    public let app: BotApp
    public let root: URL
    /// Where conversations are kept.
    public let store: StoreLocation
    /// Where vault keys given as variables are read from (`PARLEY_VAULT_SECRET_KEY` …).
    public var environment: [String: String]
    /// The logger for a label (`parley.vault`, `parley.runtime`).
    public var logger: @Sendable (String) -> Logger

    /// `store` nil: the app's `.parley/state.sqlite`.
    public init(app: BotApp, root: URL, store: StoreLocation? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                logger: @escaping @Sendable (String) -> Logger = { Logger(label: $0) }) {
        self.app = app
        self.root = root
        self.store = store ?? .sqlite(path: SQLiteStore.defaultPath(forApp: root.path))
        self.environment = environment
        self.logger = logger
    }

    /// The key that signs the web chat identities `serve` issues, in the app's `.parley/` (made
    /// at first start; removing it gives every web chat user a new identity). Replicas that
    /// share a PostgreSQL store must share this file too.
    public var identityKeyURL: URL { root.appendingPathComponent(".parley/web-identity.key") }

    /// The app's vault where `serve` keeps it, beside the conversations: in the PostgreSQL
    /// database the replicas share when `store` is one, else in its SQLite file (the app's
    /// `.parley/state.sqlite` for a store that keeps no file); its keys from `environment` or
    /// `.parley/`. Read at start and after every change; a stored value that does not open is
    /// logged (its key, never a value) and reads as its placeholder: the bot still starts.
    public func vaultSource(on store: any BotStore) -> VaultSource {
        let vault = AppVault.beside(store as? PostgresStore, path: (store as? SQLiteStore)?.path ?? SQLiteStore.defaultPath(forApp: root.path),
                                    keyring: VaultKeyring(app: root, environment: environment))
        let logger = logger("parley.vault")
        return VaultSource(vault: vault, placeholders: app.vaultKeys.keys) { key, error in
            logger.error("a vault value does not open; the bot sees [vault.\(key)] until it is uploaded again",
                         metadata: ["key": "\(key)", "error": "\(error)"])
        }
    }

    /// Opens the store and the vault, delivers outbound work stored before a stop and starts
    /// the timers, runs webhook events accepted before it and not handled yet, and warns on
    /// `logger` about misconfigured integrations and step types no handler runs. Stop the
    /// engine (`stop()`) before the integrations' `shutdown()`.
    /// `store` replaces the app's own (benchmarks measuring what the store costs).
    public func openEngine(integrations: AppIntegrations, logger: Logger, options: EngineOptions = EngineOptions(),
                           store replacement: (any BotStore)? = nil) async throws(ServeFailure) -> BotEngine {
        let store: any BotStore, vault: VaultScope
        do {
            store = if let replacement { replacement } else { try await self.store.open(logger: self.logger("parley.store")) }
        } catch {
            throw .store(path: "\(self.store)", reason: "\(error)")
        }
        let vaultSource = vaultSource(on: store)
        do {
            vault = try await vaultSource.load()
        } catch {
            if replacement == nil { await store.close() }
            throw .vault(app: root.path, reason: "\(error)")
        }
        let engine = BotEngine(app: app, store: store, vault: vault, vaultSource: vaultSource, components: integrations.components,
                               integrations: integrations.all, options: options, logger: self.logger("parley.runtime"))
        do {
            // The outbox first: what it reads is then older than any turn's work (see resumeOutbox).
            let waiting = try await engine.resumeOutbox()
            if waiting > 0 { logger.notice("resumed outbound work", metadata: ["count": "\(waiting)"]) }
            let resumed = try await engine.resumeInbox()
            if resumed > 0 { logger.notice("resumed accepted events", metadata: ["count": "\(resumed)"]) }
        } catch {
            throw .store(path: "\(self.store)", reason: "cannot read its inbox: \(error)")
        }
        for problem in engine.configurationProblems {
            logger.warning("\(problem)")
        }
        let unhandled = engine.unhandledTypes.sorted()
        if !unhandled.isEmpty {
            logger.warning("no handler runs these step types; they will answer with an error",
                           metadata: ["types": "\(unhandled.joined(separator: ", "))"])
        }
        return engine
    }
}

/// Why an app could not be opened for serving, said for the person who ran the command.
public enum ServeFailure: Error, CustomStringConvertible {
    case vault(app: String, reason: String)
    case store(path: String, reason: String)

    public var description: String {
        switch self {
        case let .vault(app, reason):
            "cannot open the vault of \(app): \(reason) (`botcli vault check` compares the vault with the app)"
        case let .store(path, reason):
            "cannot open the store \(path): \(reason)"
        }
    }
}

/// Where an app's conversations are kept: `botcli serve --store`, `PARLEY_DATABASE_URL`.
public enum StoreLocation: Sendable, CustomStringConvertible {
    /// A SQLite file: one process.
    case sqlite(path: String)
    /// A PostgreSQL database several replicas share.
    case postgres(PostgresSettings)

    /// A `postgres://` (or `postgresql://`) URL, else a SQLite file's path.
    public init(_ text: String) throws(PostgresSettingsError) {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(try PostgresSettings(url: text))
        } else {
            self = .sqlite(path: text)
        }
    }

    /// How long a REST request waits for its turn (`BotServerConfiguration.restTurnDeadline`):
    /// on PostgreSQL a turn waits for a pooled connection as long as the database is out of
    /// reach (postgres-nio does not fail the wait); a SQLite file never makes it wait, and the
    /// deadline's two tasks a request cost a quarter of SQLite's turns per second (measured).
    public var restTurnDeadline: Duration? {
        if case .postgres = self { Self.sharedStoreTurnDeadline } else { nil }
    }

    /// A REST turn's deadline on a shared store.
    public static let sharedStoreTurnDeadline = Duration.seconds(30)

    /// The path, or the URL without its password.
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let settings): settings.description
        }
    }

    public func open(logger: Logger) async throws -> any BotStore {
        switch self {
        case .sqlite(let path): try SQLiteStore(path: path)
        case .postgres(let settings): try await PostgresStore.open(settings, logger: logger)
        }
    }
}

extension AppVault {
    /// The app's vault where `botcli serve` keeps it, beside the conversations: in `database`
    /// (the PostgreSQL database replicas share) when there is one, else in the SQLite file at
    /// `path`. `serve` and the vault commands find it here.
    public static func beside(_ database: PostgresStore?, path: String, keyring: VaultKeyring) -> AppVault {
        if let database { AppVault(keyring: keyring, store: database, path: database.location) } else { AppVault(keyring: keyring, databasePath: path) }
    }
}
