import Synchronization

/// Live subscribers of threads: each committed turn's events are handed to the streams that
/// watch its thread (a WebSocket, a chat page). A thread nobody watches costs one lock and one
/// dictionary miss per turn; nothing is kept for it.
///
/// Each watched thread remembers the last ledger sequence its subscribers were given, so that
/// turns committed by other processes sharing the store (read from the ledger, `publish(ledger:)`)
/// and this process's own turns reach them once each, in ledger order: a turn that does not
/// follow the last one published (another process's came between) is not published but read
/// back from the ledger with what it missed (`publish` answers false).
///
/// Each subscriber buffers up to `bufferLimit` events. One that falls further behind is ended
/// (its stream finishes) rather than silently missing events: it reconnects and reads the
/// ledger from the last sequence it saw.
final class ThreadEvents: Sendable {
    private struct Watched {
        var subscribers: [Int: AsyncStream<Event>.Continuation] = [:]
        /// The last sequence published (users' own events included, though not handed out);
        /// nil until the first publication.
        var last: Int?
    }

    private struct State {
        var nextID = 0
        var threads: [String: Watched] = [:]
    }

    /// Where a thread's subscribers are in its ledger.
    enum Position: Equatable {
        /// Nobody watches the thread.
        case unwatched
        /// Watched, nothing published yet.
        case unknown
        /// Everything up to this sequence was published.
        case after(Int)
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
            state.threads[thread, default: Watched()].subscribers[state.nextID] = continuation
            return state.nextID
        }
        continuation.onTermination = { [weak self] _ in self?.remove(thread: thread, id: id) }
        return stream
    }

    /// Hands one turn's `inbound` (when given: not a user's own) and `outputs` to the thread's
    /// subscribers, in that order; the turn filed sequences `turn...last`. Returns false when
    /// the thread is watched and the turn does not follow the last one published: then nothing
    /// is handed out, and the caller reads the ledger (`publish(ledger:)`).
    func publish(_ inbound: Event?, _ outputs: [Event], thread: String, turn: Int, last: Int) -> Bool {
        var behind: [AsyncStream<Event>.Continuation] = []
        defer { for continuation in behind { continuation.finish() } }
        return state.withLock { state in
            guard var watched = state.threads[thread] else { return true }
            if let published = watched.last {
                if last <= published { return true }
                if turn != published + 1 { return false }
            }
            watched.last = last
            if let inbound { Self.yield(inbound, to: &watched, behind: &behind) }
            for event in outputs { Self.yield(event, to: &watched, behind: &behind) }
            state.threads[thread] = watched.subscribers.isEmpty ? nil : watched
            return true
        }
    }

    /// Hands ledger events (in sequence order, from the position's next one on) to the thread's
    /// subscribers: those past the last published, users' own events left out.
    func publish(ledger events: [Event], thread: String) {
        var behind: [AsyncStream<Event>.Continuation] = []
        defer { for continuation in behind { continuation.finish() } }
        state.withLock { state in
            guard var watched = state.threads[thread] else { return }
            for event in events where event.sequence > (watched.last ?? 0) {
                watched.last = event.sequence
                if event.sender != .user { Self.yield(event, to: &watched, behind: &behind) }
            }
            state.threads[thread] = watched.subscribers.isEmpty ? nil : watched
        }
    }

    /// Where the thread's subscribers are.
    func position(thread: String) -> Position {
        state.withLock { state in
            guard let watched = state.threads[thread] else { return .unwatched }
            return watched.last.map { .after($0) } ?? .unknown
        }
    }

    /// The threads watched now.
    var watchedThreads: [String] { state.withLock { Array($0.threads.keys) } }

    /// How many streams watch `thread` (tests).
    func subscriberCount(thread: String) -> Int {
        state.withLock { $0.threads[thread]?.subscribers.count ?? 0 }
    }

    /// Yields under the lock (yielding never blocks), so that two publications of one thread
    /// never interleave. A subscriber that fell behind is dropped and put in `behind`, for the
    /// caller to finish its stream once the lock is released (finishing runs its termination
    /// handler, which takes the lock): it resumes from the ledger.
    private static func yield(_ event: Event, to watched: inout Watched, behind: inout [AsyncStream<Event>.Continuation]) {
        for (id, continuation) in watched.subscribers {
            if case .dropped = continuation.yield(event) {
                behind.append(continuation)
                watched.subscribers[id] = nil
            }
        }
    }

    private func remove(thread: String, id: Int) {
        state.withLock { state in
            state.threads[thread]?.subscribers[id] = nil
            if state.threads[thread]?.subscribers.isEmpty == true { state.threads[thread] = nil }
        }
    }
}
