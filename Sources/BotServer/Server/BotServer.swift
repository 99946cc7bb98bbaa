import BotRuntime
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// Parley's HTTP server: the web chat page (`/chat`), the REST and WebSocket channels it and
/// other clients use, the operations probes, metrics and the admin API, on Hummingbird.
///
/// `run(loadingEngine:)` listens at once (so `/healthz` answers), opens the engine beside it
/// and is ready (`/readyz`) when that finishes; SIGINT or SIGTERM stop it gracefully —
/// requests in flight finish and WebSockets are sent a close frame, then the process returns;
/// connections still open after `shutdownTimeout` are closed. Tests build the application with
/// `makeApplication` and run it themselves.
public struct BotServer: Sendable {
    public let configuration: BotServerConfiguration
    public let state: ServingState
    let logger: Logger

    public init(configuration: BotServerConfiguration = BotServerConfiguration(), state: ServingState = ServingState(),
                logger: Logger = Logger(label: "parley.server")) {
        self.configuration = configuration
        self.state = state
        self.logger = logger
    }

    /// The WebSocket channel: its upgrade router, and its refusals on the main router.
    var webSocketChannel: WebSocketChannel {
        WebSocketChannel(state: state, maxMessageSize: configuration.maxBodySize, metrics: configuration.metrics,
                         authentication: configuration.clientAuthentication, identityKey: configuration.identityKey)
    }

    /// Every route the server answers.
    public func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        webSocketChannel.registerRefusals(on: router)
        router.add(middleware: MetricsMiddleware(metrics: configuration.metrics))
        OperationsRoutes(state: state).register(on: router)
        MetricsRoutes(metrics: configuration.metrics).register(on: router)
        RestChannel(state: state, body: RequestBodyReader(maxSize: configuration.maxBodySize),
                    authentication: configuration.clientAuthentication, identityKey: configuration.identityKey,
                    deadline: configuration.restTurnDeadline).register(on: router)
        IdentityRoutes(key: configuration.identityKey).register(on: router)
        IntegrationWebhooks(state: state, integrations: configuration.integrations, publicURL: configuration.publicURL,
                            body: RequestBodyReader(maxSize: configuration.maxBodySize)).register(on: router)
        WebChatRoutes(state: state).register(on: router)
        if let admin = configuration.admin {
            AdminRoutes(configuration: admin, state: state, body: RequestBodyReader(maxSize: configuration.maxBodySize)).register(on: router)
        }
        return router
    }

    /// The Hummingbird application; `onListening` gets the bound port (useful with port 0).
    public func makeApplication(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let logger = logger, configuration = configuration
        return Application(
            router: makeRouter(),
            // Upgrade requests go to the WebSocket channel's own router (`GET /ws`).
            server: webSocketChannel.serverBuilder(),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port),
                                                    serverName: configuration.serverName),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                var metadata: Logger.Metadata = ["address": "http://\(configuration.host):\(port)"]
                if let url = configuration.publicURL { metadata["public_url"] = "\(url)" }
                logger.notice("listening", metadata: metadata)
                await onListening(port)
            },
            logger: logger
        )
    }

    /// Serves `engine`, ready at once, until the calling task is cancelled; signals are left
    /// alone. For commands that run the server inside themselves, such as `parley-bench http`.
    public func serve(_ engine: BotEngine, onListening: @escaping @Sendable (Int) async -> Void) async throws {
        state.serve(engine)
        try await makeApplication(onListening: onListening).runService(gracefulShutdownSignals: [])
    }

    /// Serves until SIGINT or SIGTERM. `loadingEngine` runs while the server already listens;
    /// when it fails the server stops and its error is thrown.
    /// Ready is logged only once the server listens too: a port that cannot be bound ends the
    /// run with `BotServerError.addressInUse` and no "ready" before it.
    public func run(loadingEngine: @escaping @Sendable () async throws -> BotEngine,
                    onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let (listening, listened) = AsyncStream.makeStream(of: Void.self)
        let application = makeApplication { port in
            await onListening(port)
            listened.yield()
        }
        let state = state, logger = logger, shutdownTimeout = configuration.shutdownTimeout
        let host = configuration.host, port = configuration.port
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                var services = ServiceGroupConfiguration(services: [application], gracefulShutdownSignals: [.sigterm, .sigint],
                                                         logger: logger)
                services.maximumGracefulShutdownDuration = shutdownTimeout
                do {
                    try await ServiceGroup(configuration: services).run()
                } catch let error as IOError where error.errnoCode == EADDRINUSE {
                    throw BotServerError.addressInUse(host: host, port: port)
                }
                return true
            }
            group.addTask {
                let engine = try await loadingEngine()
                // Cancelled (the server failed) before it listens: the loop ends, nothing is ready.
                for await _ in listening { break }
                try Task.checkCancellation()
                state.serve(engine)
                logger.notice("ready")
                return false
            }
            do {
                // The loader finishing leaves the server running; the server finishing ends all.
                while let serverEnded = try await group.next() {
                    if serverEnded { break }
                }
                group.cancelAll()
            } catch {
                group.cancelAll()
                throw error
            }
        }
        logger.notice("stopped")
    }
}

/// Why the server could not run.
public enum BotServerError: Error, CustomStringConvertible, Equatable {
    /// Another process listens on the address.
    case addressInUse(host: String, port: Int)

    public var description: String {
        switch self {
        case .addressInUse(let host, let port):
            "cannot listen on \(host):\(port): the port is already in use (another `botcli serve`, or another program)"
        }
    }
}
