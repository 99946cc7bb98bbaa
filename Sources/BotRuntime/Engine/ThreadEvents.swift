import Synchronization

/// Live subscribers of threads: each committed turn's events are handed to the streams that
/// watch its thread (a WebSocket, later a chat page). A thread nobody watches costs one lock
/// and one dictionary miss per turn; nothing is kept for it.
///
/// Each subscriber buffers up to `bufferLimit` events. One that falls further behind is ended
/// (its stream finishes) rather than silently missing events: it reconnects and reads the
/// ledger from the last sequence it saw.
final class ThreadEvents: Sendable {
    private struct State {
        var nextID = 0
        var threads: [String: [Int: AsyncStream<Event>.Continuation]] = [:]
    }

    let bufferLimit: Int
    private let state = Mutex(State())

    init(bufferLimit: Int = 1_024) {
        self.bufferLimit = bufferLimit
    }

    /// A stream of the thread's events from now on, until it is dropped or cancelled.
    func subscribe(thread: String) -> AsyncStream<Event> {
        let (stream, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingOldest(bufferLimit))
        let id = state.withLock { state in
            state.nextID += 1
            state.threads[thread, default: [:]][state.nextID] = continuation
            return state.nextID
        }
        continuation.onTermination = { [weak self] _ in self?.remove(thread: thread, id: id) }
        return stream
    }

    /// Hands `inbound` (when given) and `outputs` to the thread's subscribers, in that order.
    /// Called by the thread's turn after its commit, so one thread's publications never
    /// interleave.
    func publish(_ inbound: Event?, _ outputs: [Event], thread: String) {
        guard let subscribers = state.withLock({ $0.threads[thread].map { Array($0.values) } }) else { return }
        let events = inbound.map { [$0] + outputs } ?? outputs
        for continuation in subscribers {
            for event in events {
                if case .dropped = continuation.yield(event) {
                    // Fell behind: end its stream; it resumes from the ledger.
                    continuation.finish()
                    break
                }
            }
        }
    }

    /// How many streams watch `thread` (tests).
    func subscriberCount(thread: String) -> Int {
        state.withLock { $0.threads[thread]?.count ?? 0 }
    }

    private func remove(thread: String, id: Int) {
        state.withLock { state in
            state.threads[thread]?[id] = nil
            if state.threads[thread]?.isEmpty == true { state.threads[thread] = nil }
        }
    }
}
