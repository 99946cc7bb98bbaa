import FlowDSL
import Foundation
import Logging
import Synchronization

/// How the outbox retries work whose delivery the service did not take yet.
public struct OutboxRetryPolicy: Sendable {
    /// Tries in all before the work fails for good (its failure is filed on the thread).
    public var attempts: Int
    /// The wait after the first failed try; each later one doubles, up to `maxDelay`.
    public var baseDelay: Duration
    public var maxDelay: Duration

    /// By default 10 tries over about 17 minutes: long enough to ride out a service's outage
    /// of a few minutes, short enough that a flow hears of a failure while the user is there.
    public init(attempts: Int = 10, baseDelay: Duration = .seconds(1), maxDelay: Duration = .seconds(300)) {
        self.attempts = max(1, attempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The wait after failed try number `attempt` (from 1).
    func delay(after attempt: Int) -> Duration {
        var delay = baseDelay
        for _ in 1..<max(1, attempt) { delay = min(delay * 2, maxDelay) }
        return delay
    }
}

/// Delivers the outbox: each lane's items one after another in commit order, lanes in
/// parallel, through the integration that serves each item, never inside a turn. An item
/// leaves the store only when it was delivered or failed for good; a reply or a failure is
/// accepted into the thread's inbox in the same transaction, and handled in the thread's order.
/// Items still in the store at a restart are delivered then (`BotEngine.resumeOutbox()`).
final class OutboxDispatcher: Sendable {
    private struct Lane {
        var items: [OutboxItem] = []
        var worker: Task<Void, Never>?
    }

    private struct State {
        var lanes: [String: Lane] = [:]
        var resumed = false
        var stopped = false
        var idle: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    private let policy: OutboxRetryPolicy
    private let logger: Logger

    init(policy: OutboxRetryPolicy, logger: Logger) {
        self.policy = policy
        self.logger = logger
    }

    /// True the first time: the store's pending work is read once, at start.
    func claimResume() -> Bool {
        state.withLock { state in
            defer { state.resumed = true }
            return !state.resumed
        }
    }

    /// Queues items behind their lanes' earlier items; returns at once. Each item is offered
    /// once: by the turn that committed it, or at start (`BotEngine.resumeOutbox()`).
    func offer(_ items: [OutboxItem], engine: BotEngine) {
        state.withLock { state in
            guard !state.stopped else { return }
            for item in items { state.lanes[item.work.lane, default: Lane()].items.append(item) }
            for (name, lane) in state.lanes where lane.worker == nil && !lane.items.isEmpty {
                state.lanes[name]?.worker = Task { [self] in await work(lane: name, engine: engine) }
            }
        }
    }

    /// Waits until every item offered so far was delivered or failed for good (tests).
    func drain() async {
        await withCheckedContinuation { continuation in
            let idle = state.withLock { state -> Bool in
                if state.lanes.isEmpty { return true }
                state.idle.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    /// Stops: no new item starts, waits for deliveries in progress, cancels waits for retries.
    /// What was not delivered stays in the store for the next start.
    func stop() async {
        let workers = state.withLock { state -> [Task<Void, Never>] in
            state.stopped = true
            return state.lanes.values.compactMap(\.worker)
        }
        for worker in workers { worker.cancel() }
        for worker in workers { await worker.value }
    }

    /// The lane's one worker: delivers its items in order, and ends when the lane is empty
    /// (removing it under the lock, so that the next offer starts a new worker; this one must
    /// not take another item then, or two workers would share the lane).
    private func work(lane: String, engine: BotEngine) async {
        while let item = state.withLock({ $0.stopped ? nil : $0.lanes[lane]?.items.first }) {
            await deliver(item, engine: engine)
            let (waiters, laneEnded) = state.withLock { state -> ([CheckedContinuation<Void, Never>], Bool) in
                state.lanes[lane]?.items.removeFirst()
                guard state.lanes[lane]?.items.isEmpty == true || state.stopped else { return ([], false) }
                state.lanes[lane] = nil
                guard state.lanes.isEmpty else { return ([], true) }
                defer { state.idle = [] }
                return (state.idle, true)
            }
            for waiter in waiters { waiter.resume() }
            if laneEnded || Task.isCancelled { return }
        }
    }

    /// Delivers one item, trying again per `policy` while the integration says so.
    private func deliver(_ item: OutboxItem, engine: BotEngine) async {
        var item = item
        // Stopped: what is not delivered stays in the store. Checked on every try, as a retry
        // due at once (or a store that took longer than the delay) never reaches the sleep.
        while !Task.isCancelled {
            let wait = item.notBefore.timeIntervalSince(engine.options.clock())
            if wait > 0 {
                do { try await Task.sleep(for: .seconds(min(wait, 3_600))) } catch { return }  // stopped: left in the store
            }
            guard let integration = engine.integration(serving: item.work.integration) else {
                await finish(item, reply: failure(item, "no integration of this app delivers \(item.work.integration) work"), engine: engine)
                return
            }
            switch await integration.deliver(item, engine: engine) {
            case .delivered(let reply):
                await finish(item, reply: reply, engine: engine)
                return
            case .failed(let reason, let reply):
                logger.warning("outbound work failed", metadata: ["thread": "\(item.threadID)", "kind": "\(item.work.kind)", "reason": "\(reason)"])
                await finish(item, reply: reply ?? failure(item, reason), engine: engine)
                return
            case .retry(let after, let reason):
                item.attempts += 1
                guard item.attempts < policy.attempts else {
                    logger.warning("outbound work failed after its tries", metadata: [
                        "thread": "\(item.threadID)", "kind": "\(item.work.kind)", "attempts": "\(item.attempts)", "reason": "\(reason)",
                    ])
                    let reason = "\(reason) (after \(item.attempts) tries)"
                    await finish(item, reply: integration.failureReply(for: item, reason: reason) ?? failure(item, reason), engine: engine)
                    return
                }
                let delay = after ?? policy.delay(after: item.attempts)
                item.notBefore = engine.options.clock().addingTimeInterval(Double(delay.components.seconds)
                                                                          + Double(delay.components.attoseconds) / 1e18)
                logger.info("outbound work will be tried again", metadata: [
                    "thread": "\(item.threadID)", "kind": "\(item.work.kind)", "attempt": "\(item.attempts)", "reason": "\(reason)",
                ])
                do {
                    try await engine.store.postponeOutbox(item.id, attempts: item.attempts, notBefore: item.notBefore)
                } catch {
                    logger.error("outbox not updated", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    /// Removes the item and accepts its reply in one transaction, then hands the reply to its thread.
    private func finish(_ item: OutboxItem, reply: Event?, engine: BotEngine) async {
        do {
            if let id = try await engine.store.finishOutbox(item.id, reply: reply), let reply {
                engine.handleAccepted(InboxEntry(id: id, event: reply))
            }
        } catch {
            // Still stored: delivered again at the next start.
            logger.error("delivered outbound work not removed", metadata: ["thread": "\(item.threadID)", "error": "\(error)"])
        }
    }

    /// The event filed when work failed for good and its integration gave no reply of its own;
    /// it answers the step that waits for the work, if one does, so the flow goes on.
    private func failure(_ item: OutboxItem, _ reason: String) -> Event {
        var data: TemplateMap = ["text": .string(reason), "integration": .string(item.work.integration), "kind": .string(item.work.kind)]
        if let step = item.work.payload[Event.answersStepKey] { data[Event.answersStepKey] = step }
        return Event(type: EventTypes.deliveryFailed, threadID: item.threadID, sender: .system, userID: "outbox", data: data,
                     idempotencyKey: "parley.outbox.\(item.id)")
    }
}
