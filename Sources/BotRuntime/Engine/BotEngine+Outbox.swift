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
        outbox.offer(pending, engine: self)
        timers.start(engine: self)
        let following = followOtherProcesses()
        follower.withLock { $0 = following }
        return pending.count
    }

    /// On a store several processes share, takes over what a process that died left: the
    /// events it accepted and the work it had to deliver, once its lease ran out (the timer
    /// driver calls this on every look at such a store). Returns how many of each were taken.
    @discardableResult
    public func takeOverAbandonedWork() async throws -> (events: Int, work: Int) {
        guard store.sharedLease != nil else { return (0, 0) }
        let events = try await resumeInbox()
        let work = try await store.pendingOutbox()
        if !work.isEmpty {
            logger.notice("took over outbound work of a stopped process", metadata: ["count": "\(work.count)"])
            outbox.offer(work, engine: self)
        }
        if events > 0 { logger.notice("took over accepted events of a stopped process", metadata: ["count": "\(events)"]) }
        return (events, work.count)
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

/// Live events of turns other processes sharing the store committed.
extension BotEngine {
    /// Hands the thread's subscribers what its ledger holds past what they were given (from
    /// `turn` on when nothing was given yet), as shown to users.
    func catchUpLive(thread: String, turn: Int) async {
        var after: Int
        switch live.position(thread: thread) {
        case .unwatched: return
        case .unknown: after = turn - 1
        case .after(let published): after = published
        }
        do {
            while true {
                let events = try await store.events(thread: thread, after: after, limit: 500)
                guard let last = events.last else { return }
                let vault = vault
                live.publish(ledger: events.map(vault.revealed), thread: thread)
                after = last.sequence
                if events.count < 500 { return }
            }
        } catch {
            logger.error("live events not read", metadata: ["thread": "\(thread)", "error": "\(error)"])
        }
    }

    /// Follows other processes' commits for this process's subscribers, until the engine stops.
    func followOtherProcesses() -> Task<Void, Never>? {
        guard let notices = store.otherProcessesCommits() else { return nil }
        return Task { [self] in
            for await notice in notices {
                switch notice {
                case let .turn(thread, turn, _):
                    await catchUpLive(thread: thread, turn: turn)
                case .resync:
                    for thread in live.watchedThreads { await catchUpLive(thread: thread, turn: 1) }
                }
            }
        }
    }
}
