import FlowDSL
import OrderedCollections
import Synchronization

/// A `BotStore` in process memory: for tests and benchmarks. Nothing survives the process.
public final class MemoryStore: BotStore {
    private struct Contents {
        var threads: [String: ThreadRecord] = [:]
        var users: [String: TemplateMap] = [:]
        var ledger: [String: [Event]] = [:]
        var turns: [String: TurnReceipt] = [:]
    }

    private let contents = Mutex(Contents())

    public init() {}

    public func thread(_ id: String) async throws -> ThreadRecord? {
        contents.withLock { $0.threads[id] }
    }

    public func userScope(_ id: String) async throws -> TemplateMap {
        contents.withLock { $0.users[id] ?? [:] }
    }

    public func turn(forIdempotencyKey key: String) async throws -> TurnReceipt? {
        contents.withLock { $0.turns[key] }
    }

    public func commit(_ turn: TurnCommit) async throws {
        contents.withLock { contents in
            contents.threads[turn.thread.id] = turn.thread
            if !turn.userChanges.isEmpty {
                var scope = contents.users[turn.thread.userID] ?? [:]
                for (key, value) in turn.userChanges { scope[key] = value }
                contents.users[turn.thread.userID] = scope
            }
            contents.ledger[turn.thread.id, default: []].append(contentsOf: turn.events)
            if let key = turn.events.first?.idempotencyKey {
                contents.turns[key] = TurnReceipt(threadID: turn.thread.id, turnSequence: turn.turnSequence,
                                                  lastSequence: turn.thread.lastSequence)
            }
        }
    }

    public func events(thread: String, after sequence: Int, limit: Int) async throws -> [Event] {
        contents.withLock { contents in
            let events = contents.ledger[thread] ?? []
            // Sequence numbers are dense and start at 1.
            let start = max(0, min(events.count, sequence))
            return Array(events[start..<min(events.count, start + limit)])
        }
    }
}
