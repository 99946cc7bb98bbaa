import BotRuntime
import BotServer
import FlowDSL
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ServiceLifecycle
import SharedTestFixtures

/// A `BotServer` listening on 127.0.0.1 on a free port, in this process, over a real SQLite
/// store in a temporary folder; requests go over real HTTP connections.
struct LiveServer: Sendable {
    static let identityKey = WebIdentityKey.random()
    let port: Int
    let engine: BotEngine?
    let state: ServingState

    /// An engine for `files` on a fresh SQLite store.
    static func engine(files: [String: String]) throws -> BotEngine {
        let result = AppLoader(registry: .standard).load(sources: files.map { AppSource(path: $0.key, text: $0.value) })
        guard let app = result.app else { throw LiveServerError.invalidApp(result.diagnostics.map(\.description)) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-server-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: folder.appendingPathComponent("state.sqlite").path)
        return BotEngine(app: app, store: store, options: EngineOptions(realDelays: false), logger: TestLogs.logger("parley.runtime"))
    }

    /// Runs `body` with a server for `files` (or, with `files: nil`, one not ready yet).
    static func with<Value: Sendable>(files: [String: String]?, maxBodySize: Int = 64 * 1024,
                                      _ body: @Sendable (LiveServer) async throws -> Value) async throws -> Value {
        try await with(engine: try files.map(engine(files:)), configure: { $0.maxBodySize = maxBodySize }, body)
    }

    /// Runs `body` with a server for `engine` (nil: not ready yet), its configuration adjusted by
    /// `configure`, on a free port of 127.0.0.1, logging to `logger` (`TestLogs` by default). Returns once the server has stopped: every connection's task has ended.
    static func with<Value: Sendable>(engine: BotEngine?, logger: Logger? = nil, configure: (inout BotServerConfiguration) -> Void,
                                      _ body: @Sendable (LiveServer) async throws -> Value) async throws -> Value {
        let state = ServingState(engine: engine)
        let logger = logger ?? TestLogs.logger("parley.server")
        // Rasa's model unless a test says otherwise; one identity key, so that a restarted
        // server takes the tokens it issued before.
        var configuration = BotServerConfiguration(host: "127.0.0.1", port: 0, clientAuthentication: .open, identityKey: identityKey)
        configure(&configuration)
        let server = BotServer(configuration: configuration, state: state, logger: logger)
        // Stopped as a signal would: requests finish, connections close, then `run` returns.
        return try await LocalServer.run({ server.makeApplication(onListening: $0) }) { port in
            try await body(LiveServer(port: port, engine: engine, state: state))
        }
    }

    /// Sends one request on a new connection. The answer may take long when a test queues
    /// hundreds of turns on one thread while the whole suite loads both cores: a minute, not
    /// the client's default 15 s (a correctness test, not a timing one).
    func request(_ method: HTTPRequest.Method, _ path: String, body: String? = nil, headers: HTTPFields = [:]) async throws -> Reply {
        try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(60))) { client in
            var headers = headers
            if body != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
            let response = try await client.execute(TestClient.Request(path, method: method, authority: "127.0.0.1",
                                                                       headers: headers, body: body.map { ByteBuffer(string: $0) }))
            return Reply(status: response.status.code, contentType: response.headers[.contentType],
                         body: response.body.map { String(buffer: $0) } ?? "", headers: response.headers)
        }
    }

    /// Posts a JSON body to the REST webhook.
    func post(_ json: String) async throws -> Reply {
        try await request(.post, "/webhooks/rest/webhook", body: json)
    }

    /// Posts a message from `sender`.
    func say(_ text: String, sender: String = "ana", messageID: String? = nil) async throws -> Reply {
        var body: TemplateMap = ["sender": .string(sender), "message": .string(text)]
        if let messageID { body["message_id"] = .string(messageID) }
        return try await post(TemplateValue.map(body).jsonText)
    }

    /// The ledger of a thread.
    func ledger(_ thread: String) async throws -> [Event] {
        try await engine!.events(thread: thread)
    }
}

/// An HTTP response, read.
struct Reply: Sendable {
    var status: Int
    var contentType: String?
    var body: String
    var headers: HTTPFields = [:]

    /// The body as JSON.
    var json: TemplateValue {
        get throws { try TemplateValue(jsonText: body) }
    }

    /// `error` of a `{"error": …}` body.
    var error: String? {
        guard case .map(let map)? = try? json, case .string(let message)? = map["error"] else { return nil }
        return message
    }
}

enum LiveServerError: Error {
    case invalidApp([String])
}
