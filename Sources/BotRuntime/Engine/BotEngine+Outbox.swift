import Foundation

/// The engine's outbox and timers (`OutboundWork`, `DurableTimer`): what turns send out and
/// set, stored with them, delivered and fired after the thread's lock is released.
extension BotEngine {
    /// Starts delivering the outbound work stored before a restart, and firing timers (those
    /// that fell due meanwhile fire now), and on a shared store following the turns other
    /// processes commit for this one's live subscribers; returns how many items were waiting. Call it at
    /// start, before `resumeInbox()` and before the first turn: the work it reads is then all
    /// older than any turn's, which the engine offers itself as each turn commits, so no item
    /// reaches the dispatcher twice. Later calls do nothing and answer 0.
    @discardableResult
    public func resumeOutbox() async throws -> Int {
        guard outbox.claimResume() else { return 0 }
        let pending = try await store.pendingOutbox()
        offerReadBack(pending)
        timers.start(engine: self)
        let following = followOtherProcesses()
        follower.withLock { $0 = following }
        return pending.count
    }

    /// Offers items read back from the store (`OutboxItem.readBack`): a process may have been
    /// delivering them.
    func offerReadBack(_ items: [OutboxItem]) {
        outbox.offer(items.map { item in
            var item = item
            item.readBack = true
            return item
        }, engine: self)
    }

    /// Waits until every outbound item offered so far was delivered or failed for good.
    public func drainOutbox() async {
        await outbox.drain()
    }

    /// Fires the timers due at `time` now (timers otherwise fire by themselves once
    /// `resumeOutbox()` has run): for tests that move an injected clock. Returns how many fired.
    @discardableResult
    public func fireDueTimers(at time: Date) async throws -> Int {
        try await TimerDriver.fireDue(engine: self, now: time)
    }

    /// Stops delivering and firing; what is left stays stored for the next start. Deliveries in
    /// progress finish first. Call before the integrations' `shutdown()`.
    public func stop() async {
        follower.withLock { $0 }?.cancel()
        await timers.stop()
        await outbox.stop()
    }
}
