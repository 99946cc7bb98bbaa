import Foundation
import Logging
import Synchronization

/// Fires the store's durable timers: each due timer is removed and its event accepted into the
/// thread's inbox in one transaction (so it fires once), then handled in the thread's order.
/// It sleeps until the earliest timer is due (at most a minute, so a changed clock is noticed)
/// and wakes early when a turn sets a timer. Timers that fell due while the bot was down fire
/// at its next start, late rather than lost.
///
/// On a store shared by several processes it also looks every third of the store's lease (a
/// timer another process set; the work of a process that died), and takes over that work.
final class TimerDriver: Sendable {
    private struct State {
        var loop: Task<Void, Never>?
        var sleeper: Task<Void, Never>?
        var poked = false
    }

    private let state = Mutex(State())
    private let logger: Logger
    /// The longest sleep between two looks at the store.
    static let maxSleep: Double = 60

    init(logger: Logger) {
        self.logger = logger
    }

    /// Starts firing timers for `engine` (once; later calls do nothing).
    func start(engine: BotEngine) {
        state.withLock { state in
            guard state.loop == nil else { return }
            state.loop = Task { [self] in await run(engine: engine) }
        }
    }

    /// A turn set a timer: look again now.
    func poke() {
        state.withLock { state in
            state.poked = true
            state.sleeper?.cancel()
        }
    }

    /// Stops firing; timers stay stored.
    func stop() async {
        let loop = state.withLock { state -> Task<Void, Never>? in
            state.loop?.cancel()
            state.sleeper?.cancel()
            return state.loop
        }
        await loop?.value
    }

    /// Fires every timer due at `now`; returns how many fired.
    static func fireDue(engine: BotEngine, now: Date) async throws -> Int {
        var fired = 0
        for timer in try await engine.store.dueTimers(at: now) {
            let event = timer.timer.firedEvent(id: timer.id, at: now)
            if let id = try await engine.store.fireTimer(timer, event: event) {
                engine.handleAccepted(InboxEntry(id: id, event: event))
                fired += 1
            }
        }
        return fired
    }

    private func run(engine: BotEngine) async {
        while !Task.isCancelled {
            state.withLock { $0.poked = false }
            var sleep = Self.maxSleep
            if let lease = engine.store.sharedLease { sleep = min(sleep, Double(lease.components.seconds) / 3) }
            do {
                try await engine.takeOverAbandonedWork()
                let now = engine.options.clock()
                _ = try await Self.fireDue(engine: engine, now: now)
                if let next = try await engine.store.nextTimerDue() { sleep = min(sleep, max(0.001, next.timeIntervalSince(now))) }
            } catch {
                logger.error("timers not read", metadata: ["error": "\(error)"])
            }
            let seconds = sleep
            let sleeper = state.withLock { state -> Task<Void, Never>? in
                guard !state.poked, !Task.isCancelled else { return nil }
                let sleeper = Task { _ = try? await Task.sleep(for: .seconds(seconds)) }
                state.sleeper = sleeper
                return sleeper
            }
            await sleeper?.value
        }
    }
}
