import FlowDSL
import OrderedCollections
import Synchronization

/// A `BotStore` in process memory: for tests and benchmarks. Nothing survives the process.
/// Threads, users and idempotency keys live in separately locked stripes.
public final class MemoryStore: BotStore {
    private struct ThreadData {
        var record: ThreadRecord
        var ledger: [Event]
    }

    private let threads: StripedMutex<[String: ThreadData]>
    private let users: StripedMutex<[String: TemplateMap]>
    private let turns = StripedMutex<[String: TurnReceipt]> { [:] }
    private let links = StripedMutex<[String: String]> { [:] }
    private let inbox = Mutex(Inbox())
    let outbox = Mutex(OutboxState())

    private struct Inbox {
        var nextID: Int64 = 1
        var entries: [Int64: Event] = [:]
    }

    /// - Parameter expectedThreads: how many threads (and users) to make room for at once, so
    ///   that the tables need not grow and rehash every key while turns run (benchmarks).
    public init(expectedThreads: Int = 0) {
        let perStripe = expectedThreads / StripedMutex<Int>.defaultStripes + 1
        threads = StripedMutex { Dictionary(minimumCapacity: perStripe) }
        users = StripedMutex { Dictionary(minimumCapacity: perStripe) }
    }

    public func thread(_ id: String) async throws -> ThreadRecord? {
        threads.withLock(for: id) { $0[id]?.record }
    }

    public func userScope(_ id: String) async throws -> TemplateMap {
        users.withLock(for: id) { $0[id] ?? [:] }
    }

    public func turnStart(thread id: String, user: String, idempotencyKey: String?) async throws -> TurnStart {
        if let idempotencyKey, let receipt = turns.withLock(for: idempotencyKey, { $0[idempotencyKey] }) {
            return .duplicate(receipt)
        }
        let thread = threads.withLock(for: id) { $0[id]?.record }
        let owner = thread.flatMap { $0.userID.isEmpty ? nil : $0.userID } ?? user
        return .fresh(thread: thread, userScope: users.withLock(for: owner) { $0[owner] ?? [:] })
    }

    @discardableResult
    public func commit(_ turn: TurnCommit) async throws -> [OutboxItem] {
        let thread = turn.thread
        if !turn.userChanges.isEmpty {
            users.withLock(for: thread.userID) { users in
                // In place: one lookup, no copy of the scope.
                for (key, value) in turn.userChanges { users[thread.userID, default: [:]][key] = value }
            }
        }
        threads.withLock(for: thread.id) { threads in
            if let index = threads.index(forKey: thread.id) {
                threads.values[index].record = thread
                threads.values[index].ledger.append(contentsOf: turn.events)
            } else {
                threads[thread.id] = ThreadData(record: thread, ledger: turn.events)
            }
        }
        if let key = turn.events.first?.idempotencyKey {
            let receipt = TurnReceipt(threadID: thread.id, turnSequence: turn.turnSequence, lastSequence: thread.lastSequence)
            turns.withLock(for: key) { $0[key] = receipt }
        }
        for (key, linked) in turn.linkChanges {
            links.withLock(for: key) { links in
                if linked { links[key] = thread.id } else if links[key] == thread.id { links[key] = nil }
            }
        }
        let committed = commitOutbox(turn)
        if let id = turn.inboxID { try await removeInbound(id) }
        return committed
    }

    public func thread(forLink key: String) async throws -> String? {
        links.withLock(for: key) { $0[key] }
    }

    public func enqueueInbound(_ event: Event) async throws -> Int64 {
        inbox.withLock { inbox in
            defer { inbox.nextID += 1 }
            inbox.entries[inbox.nextID] = event
            return inbox.nextID
        }
    }

    public func pendingInbound() async throws -> [InboxEntry] {
        inbox.withLock { $0.entries.sorted { $0.key < $1.key }.map { InboxEntry(id: $0.key, event: $0.value) } }
    }

    public func removeInbound(_ id: Int64) async throws {
        _ = inbox.withLock { $0.entries.removeValue(forKey: id) }
    }

    public func events(thread: String, after sequence: Int, limit: Int) async throws -> [Event] {
        threads.withLock(for: thread) { threads in
            let events = threads[thread]?.ledger ?? []
            // Sequence numbers are dense and start at 1.
            let start = max(0, min(events.count, sequence))
            return Array(events[start..<min(events.count, start + limit)])
        }
    }
}
