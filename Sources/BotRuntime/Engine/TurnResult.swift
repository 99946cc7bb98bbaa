import Synchronization

/// What one event did: the event as filed in the ledger, and the events the user is shown in
/// answer (with their ledger sequence numbers).
public struct TurnResult: Sendable, Equatable {
    public var inbound: Event
    public var outputs: [Event]
    /// The event had been handled before (same idempotency key): nothing ran again, and
    /// `outputs` are the first delivery's as kept in the ledger.
    public var isDuplicate: Bool
    /// What went wrong without stopping the turn (a trigger's `when:` that did not render),
    /// also logged as warnings.
    public var warnings: [String] = []
}

/// A queued event's eventual result.
public final class TurnTicket: Sendable {
    private enum State {
        case pending([CheckedContinuation<TurnResult, Error>])
        case done(Result<TurnResult, Error>)
    }

    private let state = Mutex(State.pending([]))

    init() {}

    /// Waits for the turn to finish.
    public var result: TurnResult {
        get async throws {
            try await withCheckedThrowingContinuation { continuation in
                let ready = state.withLock { state -> Result<TurnResult, Error>? in
                    switch state {
                    case .done(let result): return result
                    case .pending(var waiters):
                        waiters.append(continuation)
                        state = .pending(waiters)
                        return nil
                    }
                }
                if let ready { continuation.resume(with: ready) }
            }
        }
    }

    func fulfil(_ result: Result<TurnResult, Error>) {
        let waiters = state.withLock { state -> [CheckedContinuation<TurnResult, Error>] in
            guard case .pending(let waiters) = state else { return [] }
            state = .done(result)
            return waiters
        }
        for waiter in waiters { waiter.resume(with: result) }
    }
}
