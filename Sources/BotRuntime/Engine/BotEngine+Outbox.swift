import Foundation

/// The engine's outbox and timers (`OutboundWork`, `DurableTimer`): what turns send out and
/// set, stored with them, delivered and fired after the thread's lock is released.
extension BotEngine {
    /// Hands the thread's undelivered work to the dispatcher (after a turn that caused some).
    func offerOutbox(thread: String) async throws {
        outbox.offer(try await store.pendingOutbox(thread: thread), engine: self)
    }

    /// Starts delivering the outbound work stored before a restart, and firing timers (those
    /// that fell due meanwhile fire now). Call once at start, after `resumeInbox()`; returns
    /// how many items were waiting.
    @discardableResult
    public func resumeOutbox() async throws -> Int {
        let pending = try await store.pendingOutbox(thread: nil)
        outbox.offer(pending, engine: self)
        timers.start(engine: self)
        return pending.count
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
        await timers.stop()
        await outbox.stop()
    }
}
