import Hummingbird
import Logging
import ServiceLifecycle
import SharedTestFixtures

/// Runs a Hummingbird application on 127.0.0.1 (port 0) in this process for the length of
/// `body`, then stops it gracefully.
enum TestServer {
    static func run<App: ApplicationProtocol, Value: Sendable>(
        _ make: (@escaping @Sendable (Int) async -> Void) -> App,
        _ body: @Sendable (Int) async throws -> Value
    ) async throws -> Value {
        var logger = Logger(label: "parley.flex.test")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let application = make { continuation.yield($0) }
        let services = ServiceGroup(configuration: ServiceGroupConfiguration(services: [application], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw FixtureError("the test server did not start") }
            do {
                let value = try await body(port)
                await services.triggerGracefulShutdown()
                try await group.waitForAll()
                return value
            } catch {
                await services.triggerGracefulShutdown()
                try? await group.waitForAll()
                throw error
            }
        }
    }

    /// A quiet logger for servers under test.
    static var quietLogger: Logger {
        var logger = Logger(label: "parley.flex.test")
        logger.logLevel = .critical
        return logger
    }
}
