import AsyncHTTPClient
import FlowDSL
import Foundation

/// The client side of `PUT /admin/vault` (`AdminVaultUpload` reads what it sends): sends values
/// sealed on this machine to a running server, as `botcli vault upload --to URL` does. Only key
/// names and ciphertexts leave; the server stores what it cannot open, and answers which keys
/// it added and changed.
public struct AdminVaultUploadClient: Sendable {
    /// What the server did with the upload.
    public struct Report: Equatable, Sendable {
        public var added: [String]
        public var changed: [String]
        /// Whether the running bot took the new values at once; nil when the server does not say.
        public var reloaded: Bool?
    }

    /// The route under the server's base URL.
    static let path = "/admin/vault"
    /// The longest the whole exchange may take.
    static let timeout: TimeInterval = 30

    /// The endpoint: the server's URL with `/admin/vault` appended, unless it already ends with it.
    public let endpoint: URL
    let token: BearerSecret

    /// Checks the server's URL: http or https with a host, no query or fragment.
    public init(to text: String, token: BearerSecret) throws(AdminVaultUploadClientError) {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil else {
            throw .badURL(text)
        }
        var base = text
        while base.hasSuffix("/") { base.removeLast() }
        let full = url.path.hasSuffix(Self.path) ? base : base + Self.path
        guard let endpoint = URL(string: full) else { throw .badURL(text) }
        self.endpoint = endpoint
        self.token = token
    }

    /// Whether the token would cross a network unencrypted: plain http to another machine.
    public var isCleartextOverNetwork: Bool {
        guard endpoint.scheme?.lowercased() == "http", let host = endpoint.host?.lowercased() else { return false }
        return !["127.0.0.1", "localhost", "::1", "[::1]"].contains(host)
    }

    /// The request body: `{"values": [{"key": NAME, "ciphertext": BASE64}, …]}`.
    static func body(_ sealed: [(key: String, ciphertext: Data)]) -> String {
        TemplateValue.map(["values": .list(sealed.map {
            .map(["key": .string($0.key), "ciphertext": .string($0.ciphertext.base64EncodedString())])
        })]).jsonText
    }

    /// Sends `sealed` and reads the server's answer.
    public func send(_ sealed: [(key: String, ciphertext: Data)]) async throws(AdminVaultUploadClientError) -> Report {
        var configuration = HTTPClient.Configuration()
        // A refused connection is reported at once instead of retried until the timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(10)
        configuration.redirectConfiguration = .disallow
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let outcome: Result<(status: Int, body: String), AdminVaultUploadClientError>
        do {
            outcome = .success(try await exchange(client, body: Self.body(sealed)))
        } catch let error as AdminVaultUploadClientError {
            outcome = .failure(error)
        } catch {
            outcome = .failure(Self.classify(error, url: endpoint))
        }
        try? await client.shutdown()
        let (status, text) = try outcome.get()
        return try Self.report(status: status, body: text, url: endpoint)
    }

    private func exchange(_ client: HTTPClient, body: String) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: endpoint.absoluteString)
        request.method = .PUT
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Authorization", value: token.authorizationHeader)
        request.body = .bytes(Array(body.utf8))
        let response = try await client.execute(request, timeout: .seconds(Int64(Self.timeout)))
        let buffer = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(decoding: buffer.readableBytesView, as: UTF8.self))
    }

    /// The answer read: the report on 200, else the error its status means.
    static func report(status: Int, body: String, url: URL) throws(AdminVaultUploadClientError) -> Report {
        let json = try? TemplateValue(jsonText: body)
        guard status == 200 else {
            // The server's `{"error": …}` names fields and keys, never values.
            var message: String?
            if case .map(let object)? = json, case .string(let text)? = object["error"] { message = text }
            switch status {
            case 401: throw .unauthorized(url.absoluteString)
            case 404: throw .adminAPIOff(url.absoluteString)
            default: throw .refused(url: url.absoluteString, status: status, message: message)
            }
        }
        guard case .map(let object)? = json, let added = names(object["added"]), let changed = names(object["changed"]) else {
            throw .unexpectedAnswer(url.absoluteString)
        }
        var reloaded: Bool?
        if case .bool(let flag)? = object["reloaded"] { reloaded = flag }
        return Report(added: added, changed: changed, reloaded: reloaded)
    }

    private static func names(_ value: TemplateValue?) -> [String]? {
        guard case .list(let items)? = value else { return nil }
        return items.compactMap { if case .string(let name) = $0 { name } else { nil } }
    }

    /// A transport error said plainly.
    static func classify(_ error: any Error, url: URL) -> AdminVaultUploadClientError {
        let text = String(describing: error)
        if text.localizedCaseInsensitiveContains("refused") { return .connectionRefused(url.absoluteString) }
        if let client = error as? HTTPClientError, client == .connectTimeout || client == .deadlineExceeded || client == .readTimeout {
            return .timedOut(url.absoluteString)
        }
        return .cannotConnect(url: url.absoluteString, reason: text)
    }
}
