import BotRuntime
import BotServer
import FlowDSL
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

extension LiveServer {
    /// Runs `body` with a server for `engine` (nil: not ready yet) set up by `configure`, on a
    /// free port of 127.0.0.1, as `with(files:)` does.
    static func with<Value: Sendable>(engine: BotEngine?, configure: (inout BotServerConfiguration) -> Void,
                                      _ body: @Sendable (LiveServer) async throws -> Value) async throws -> Value {
        let state = ServingState(engine: engine)
        var logger = Logger(label: "parley.server.test")
        logger.logLevel = .warning
        var configuration = BotServerConfiguration(host: "127.0.0.1", port: 0)
        configure(&configuration)
        let server = BotServer(configuration: configuration, state: state, logger: logger)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let application = server.makeApplication { continuation.yield($0) }
        let services = ServiceGroup(configuration: ServiceGroupConfiguration(services: [application], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw LiveServerError.notListening }
            do {
                let value = try await body(LiveServer(port: port, engine: engine, state: state))
                await services.triggerGracefulShutdown()
                try await group.waitForAll()
                return value
            } catch {
                await services.triggerGracefulShutdown()
                throw error
            }
        }
    }

    /// A folder for one test, removed by the caller.
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-admin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}
