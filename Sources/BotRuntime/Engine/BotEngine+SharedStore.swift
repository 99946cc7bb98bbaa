import Foundation

/// What the engine does on a store several processes share (`BotStore.sharedLease` set):
/// taking over the work of a process that died, keeping a thread's accepted events in arrival
/// order across processes, and handing other processes' turns to this one's live subscribers.
/// On a store one process owns, none of it runs.
extension BotEngine {
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
            offerReadBack(work)
        }
        if events > 0 { logger.notice("took over accepted events of a stopped process", metadata: ["count": "\(events)"]) }
        return (events, work.count)
    }

    /// Whether `incoming` must wait: another process holds (or held, and died with) earlier
    /// events of its thread. Then it is kept in the inbox and released, and runs after them
    /// wherever they run (`claimWaitingEvents`, or a takeover).
    func waitsForEarlierEvents(_ incoming: Event, inboxID: Int64?) async throws -> Bool {
        guard store.sharedLease != nil, try await store.inboundAhead(thread: incoming.threadID, before: inboxID) else { return false }
        let id = if let inboxID { inboxID } else { try await store.enqueueInbound(incoming) }
        try await store.releaseInbound(id)
        logger.debug("event waits for the thread's earlier ones", metadata: ["thread": "\(incoming.threadID)", "inbox": "\(id)"])
        return true
    }

    /// After a turn of `thread`: the events released to wait for it are this process's now,
    /// behind the turn.
    func claimWaitingEvents(thread: String) async {
        guard store.sharedLease != nil else { return }
        do {
            for entry in try await store.claimWaitingInbound(thread: thread) { handleAccepted(entry) }
        } catch {
            // Not lost: taking over abandoned work claims them.
            logger.warning("waiting events not claimed", metadata: ["thread": "\(thread)", "error": "\(error)"])
        }
    }

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
                case .vault:
                    await reloadVault()
                case .resync:
                    await reloadVault()
                    for thread in live.watchedThreads { await catchUpLive(thread: thread, turn: 1) }
                }
            }
        }
    }
}
