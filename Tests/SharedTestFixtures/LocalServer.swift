import Hummingbird
import Logging
import ServiceLifecycle

/// A Hummingbird application under test, listening on 127.0.0.1 on a free port (port 0) in this
/// process: the one way every test target starts a server (the bot, a fake Twilio, a webhook
/// receiver, a capture of what a client sends).
public final class LocalServer: Sendable {
    /// The port the application listens on.
    public let port: Int
    private let services: ServiceGroup
    private let running: Task<Void, any Error>

    private init(port: Int, services: ServiceGroup, running: Task<Void, any Error>) {
        self.port = port
        self.services = services
        self.running = running
    }

    /// Starts the application `make` builds; it must call the function it is given with its
    /// port once listening (Hummingbird's `onServerRunning`). Call `stop()` when done.
    public static func start<App: ApplicationProtocol>(_ make: (@escaping @Sendable (Int) async -> Void) -> App) async throws -> LocalServer {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let services = ServiceGroup(configuration: ServiceGroupConfiguration(services: [make { continuation.yield($0) }],
                                                                             logger: TestLogs.logger("parley.test.server")))
        let running = Task {
            defer { continuation.finish() }
            try await services.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await running.value
            throw FixtureError("the test server did not start listening")
        }
        return LocalServer(port: port, services: services, running: running)
    }

    /// Stops the application as a signal would: requests finish, connections close, then it returns.
    public func stop() async {
        await services.triggerGracefulShutdown()
        _ = try? await running.value
    }

    /// Runs the application `make` builds for the length of `body`, which gets its port, then
    /// stops it, whether `body` returned or threw.
    public static func run<App: ApplicationProtocol, Value: Sendable>(
        _ make: (@escaping @Sendable (Int) async -> Void) -> App,
        _ body: (Int) async throws -> Value
    ) async throws -> Value {
        let server = try await start(make)
        do {
            let value = try await body(server.port)
            await server.stop()
            return value
        } catch {
            await server.stop()
            throw error
        }
    }

    /// Starts a router's application. Call `stop()` when done.
    public static func start(_ router: Router<BasicRequestContext>) async throws -> LocalServer {
        try await start { application(router, onListening: $0) }
    }

    /// Runs a router's application for the length of `body`.
    public static func run<Value: Sendable>(_ router: Router<BasicRequestContext>, _ body: (Int) async throws -> Value) async throws -> Value {
        try await run({ application(router, onListening: $0) }, body)
    }

    private static func application(_ router: Router<BasicRequestContext>,
                                     onListening: @escaping @Sendable (Int) async -> Void) -> some ApplicationProtocol {
        Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                    onServerRunning: { await onListening($0.localAddress?.port ?? 0) }, logger: TestLogs.logger("parley.test.server"))
    }
}
