import Foundation
import HummingbirdWSClient
import Logging
import Synchronization

/// The browser-wide Chrome DevTools Protocol connection: one WebSocket that carries commands
/// (`{"id", "method", "params", "sessionId"?}`) and their answers, matched by `id`, and the
/// browser's events, handed to the listener of their session (one per page).
///
/// Pages are attached with `flatten: true`, so every page's commands travel on this one
/// socket, tagged with the page's `sessionId`.
final class DevToolsConnection: Sendable {
    typealias Listener = @Sendable (_ method: String, _ params: JSONValue) -> Void

    private struct State {
        var nextID = 0
        var pending: [Int: CheckedContinuation<JSONValue, any Error>] = [:]
        var listeners: [String: Listener] = [:]
        var closed: BrowserError?
    }

    private let state = Mutex(State())
    private let outgoing: AsyncStream<String>.Continuation
    private let outgoingStream: AsyncStream<String>

    private init() {
        (outgoingStream, outgoing) = AsyncStream.makeStream(of: String.self)
    }

    /// Connects to `url` (a `ws://127.0.0.1:PORT/devtools/browser/ID`), at most `timeout`.
    static func connect(to url: String, timeout: Duration, logger: Logger) async throws(BrowserError) -> DevToolsConnection {
        let connection = DevToolsConnection()
        let (opened, openedSink) = AsyncStream.makeStream(of: BrowserError?.self)
        Task {
            do {
                // Screenshots come back as one large frame.
                let configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 26)
                try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) { inbound, outbound, _ in
                    openedSink.yield(nil)
                    try await connection.run(inbound: inbound, outbound: outbound)
                }
                connection.fail(.connectionClosed("the browser closed it"))
            } catch {
                openedSink.yield(.connectionClosed("\(error)"))
                connection.fail(.connectionClosed("\(error)"))
            }
            openedSink.finish()
        }
        let failure = await withTaskGroup(of: BrowserError?.self) { group in
            group.addTask { for await result in opened { return result }; return .connectionClosed("no answer") }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return Task.isCancelled ? nil : .connectionClosed("no WebSocket connection to \(url) within \(timeout)")
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        if let failure {
            connection.close()
            throw failure
        }
        return connection
    }

    /// Sends `method` with `params` (to the page of `session`, else to the browser) and waits
    /// at most `timeout` for its result.
    func send(_ method: String, _ params: JSONValue = [:], session: String? = nil,
              timeout: Duration = .seconds(30)) async throws(BrowserError) -> JSONValue {
        let id = try state.withLock { state throws(BrowserError) -> Int in
            if let closed = state.closed { throw closed }
            state.nextID += 1
            return state.nextID
        }
        var message: [String: JSONValue] = ["id": .number(Double(id)), "method": .string(method), "params": params]
        if let session { message["sessionId"] = .string(session) }
        let text = JSONValue.object(message).jsonText
        let timer = Task { [weak self] in
            try await Task.sleep(for: timeout)
            self?.resume(id, with: .failure(BrowserError.timedOut(waitingFor: "an answer to \(method)", after: timeout,
                                                                   lastValue: nil, console: [])))
        }
        defer { timer.cancel() }
        do {
            return try await withCheckedThrowingContinuation { continuation in
                let closed = state.withLock { state -> BrowserError? in
                    if let closed = state.closed { return closed }
                    state.pending[id] = continuation
                    return nil
                }
                if let closed {
                    continuation.resume(throwing: closed)
                } else {
                    outgoing.yield(text)
                }
            }
        } catch let error as BrowserError {
            if case .protocolError(_, let message) = error { throw .protocolError(method: method, message: message) }
            throw error
        } catch {
            throw .connectionClosed("\(error)")
        }
    }

    /// Hands the events of `session` to `listener` (nil stops).
    func listen(session: String, _ listener: Listener?) {
        state.withLock { $0.listeners[session] = listener }
    }

    /// Closes the socket; commands still waiting fail.
    func close() {
        outgoing.finish()
        fail(.connectionClosed("closed"))
    }

    // MARK: The socket

    private func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { [outgoingStream] in
                for await text in outgoingStream { try await outbound.write(.text(text)) }
                try? await outbound.close(.normalClosure, reason: nil)
            }
            for try await message in inbound.messages(maxSize: 1 << 28) {
                guard case .text(let text) = message, let value = JSONValue(jsonText: text) else { continue }
                receive(value)
            }
            group.cancelAll()
        }
    }

    private func receive(_ message: JSONValue) {
        if let id = message["id"]?.intValue {
            if let error = message["error"] {
                let text = error["message"]?.stringValue ?? error.jsonText
                let data = error["data"]?.stringValue.map { " (\($0))" } ?? ""
                resume(id, with: .failure(BrowserError.protocolError(method: "", message: text + data)))
            } else {
                resume(id, with: .success(message["result"] ?? [:]))
            }
        } else if let method = message["method"]?.stringValue {
            let session = message["sessionId"]?.stringValue ?? ""
            let listener = state.withLock { $0.listeners[session] }
            listener?(method, message["params"] ?? [:])
        }
    }

    private func resume(_ id: Int, with result: Result<JSONValue, any Error>) {
        let continuation = state.withLock { $0.pending.removeValue(forKey: id) }
        continuation?.resume(with: result)
    }

    private func fail(_ error: BrowserError) {
        let waiting = state.withLock { state -> [CheckedContinuation<JSONValue, any Error>] in
            if state.closed == nil { state.closed = error }
            defer { state.pending = [:] }
            return Array(state.pending.values)
        }
        for continuation in waiting { continuation.resume(throwing: error) }
    }
}
