import BotRuntime
import FlowDSL
import Foundation
import HummingbirdWSClient
import Logging
import SharedTestFixtures
import Synchronization

/// One client WebSocket in a test: send JSON frames, read the server's frames as JSON.
final class TestSocket {
    private var messages: WebSocketInboundMessageStream.AsyncIterator
    private let outbound: WebSocketOutboundWriter

    init(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) {
        messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
        self.outbound = outbound
    }

    func send(_ text: String) async throws {
        try await outbound.write(.text(text))
    }

    /// The next frame, as JSON; throws when the socket closes first.
    func next() async throws -> TemplateValue {
        guard let message = try await messages.next() else { throw TestSocketError.closed }
        guard case .text(let text) = message else { throw TestSocketError.notText }
        return try TemplateValue(jsonText: text)
    }

    /// The next `count` frames.
    func next(_ count: Int) async throws -> [TemplateValue] {
        var frames: [TemplateValue] = []
        for _ in 0..<count { frames.append(try await next()) }
        return frames
    }
}

enum TestSocketError: Error {
    case closed, notText, timedOut
}

extension LiveServer {
    /// Opens `/ws?QUERY` and runs `body` with it (at most 20 s); the socket closes after,
    /// waiting at most `closeTimeout` for the server's close frame.
    func socket(_ query: String, closeTimeout: Duration = .seconds(15),
                _ body: @escaping @Sendable (TestSocket) async throws -> Void) async throws {
        let logger = TestLogs.logger("parley.ws.test")
        let url = "ws://127.0.0.1:\(port)/ws?\(query)"
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await WebSocketClient.connect(url: url, configuration: .init(closeTimeout: closeTimeout), logger: logger) {
                    inbound, outbound, _ in
                    try await body(TestSocket(inbound: inbound, outbound: outbound))
                }
            }
            group.addTask {
                try await Task.sleep(for: .seconds(20))
                throw TestSocketError.timedOut
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Waits until `count` live subscriptions watch `thread` (a socket has finished opening).
    func waitForSubscribers(_ count: Int, thread: String) async throws {
        for _ in 0..<400 {
            if engine!.subscriberCount(thread: thread) == count { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TestSocketError.timedOut
    }
}

/// Counts the loggers alive that were made from `logger` by setting metadata. The server makes
/// one for each connection (its request id, then the socket's thread), so what a connection
/// leaves behind when it closes — its context, its handler, its task — shows here as loggers
/// that outlive it.
final class LoggerCensus: Sendable {
    fileprivate let alive = Mutex(0)

    /// Loggers made from `logger` with metadata of their own, alive now.
    var count: Int { alive.withLock { $0 } }

    /// The logger to count from; it writes nothing.
    var logger: Logger { Logger(label: "parley.server.census") { _ in CountingLogHandler(census: self) } }
}

private struct CountingLogHandler: LogHandler {
    /// One for each logger with metadata of its own; copies that only share it share it.
    final class Mark: Sendable {
        let census: LoggerCensus
        init(_ census: LoggerCensus) {
            self.census = census
            census.alive.withLock { $0 += 1 }
        }
        deinit { census.alive.withLock { $0 -= 1 } }
    }

    let census: LoggerCensus
    var mark: Mark?
    var logLevel: Logger.Level = .warning
    var metadata: Logger.Metadata = [:] {
        didSet { mark = Mark(census) }
    }

    init(census: LoggerCensus) {
        self.census = census
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {}
}

/// Frames as JSON, for comparing with expected text.
func frames(_ json: String) throws -> [TemplateValue] {
    guard case .list(let items) = try TemplateValue(jsonText: json) else { return [] }
    return items
}

extension TemplateValue {
    /// A field of a JSON object frame.
    func field(_ key: String) -> TemplateValue? {
        if case .map(let fields) = self { return fields[key] }
        return nil
    }
}
