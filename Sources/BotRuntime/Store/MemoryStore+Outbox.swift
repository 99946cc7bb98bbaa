import FlowDSL
import Foundation

/// The outbox and the timers of a `MemoryStore`: in process memory, under one lock.
extension MemoryStore {
    struct OutboxState {
        var nextID: Int64 = 1
        var items: [Int64: OutboxItem] = [:]
        var timers: [Int64: DurableTimer] = [:]
    }

    /// Adds a committed turn's outbound work and timer changes; returns the work's items.
    func commitOutbox(_ turn: TurnCommit) -> [OutboxItem] {
        guard !turn.outbound.isEmpty || !turn.timerChanges.isEmpty else { return [] }
        return outbox.withLock { state in
            var items: [OutboxItem] = []
            for work in turn.outbound {
                let item = OutboxItem(id: state.nextID, threadID: turn.thread.id, work: work)
                state.items[item.id] = item
                items.append(item)
                state.nextID += 1
            }
            for (name, timer) in turn.timerChanges.sorted(by: { $0.key < $1.key }) {
                state.timers = state.timers.filter { $0.value.threadID != turn.thread.id || $0.value.name != name }
                if let timer {
                    state.timers[state.nextID] = timer
                    state.nextID += 1
                }
            }
            return items
        }
    }

    public func pendingOutbox() async throws -> [OutboxItem] {
        outbox.withLock { state in state.items.values.sorted { $0.id < $1.id } }
    }

    public func finishOutbox(_ id: Int64, reply: Event?) async throws -> Int64? {
        _ = outbox.withLock { $0.items.removeValue(forKey: id) }
        guard let reply else { return nil }
        return try await enqueueInbound(reply)
    }

    public func postponeOutbox(_ id: Int64, attempts: Int, notBefore: Date) async throws {
        outbox.withLock { state in
            state.items[id]?.attempts = attempts
            state.items[id]?.notBefore = notBefore
        }
    }

    public func dueTimers(at time: Date) async throws -> [StoredTimer] {
        outbox.withLock { state in
            state.timers.filter { $0.value.due <= time }.map { StoredTimer(id: $0.key, timer: $0.value) }
                .sorted { ($0.timer.due, $0.id) < ($1.timer.due, $1.id) }
        }
    }

    public func backlog() async throws -> StoreBacklog {
        let inboxCount = try await pendingInbound().count
        return outbox.withLock { StoreBacklog(inbox: inboxCount, outbox: $0.items.count, timers: $0.timers.count) }
    }

    public func nextTimerDue() async throws -> Date? {
        outbox.withLock { $0.timers.values.map(\.due).min() }
    }

    public func fireTimer(_ timer: StoredTimer, event: Event) async throws -> Int64? {
        guard outbox.withLock({ $0.timers.removeValue(forKey: timer.id) }) != nil else { return nil }
        return try await enqueueInbound(event)
    }
}
