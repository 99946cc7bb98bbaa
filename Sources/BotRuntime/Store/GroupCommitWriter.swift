import GRDB
import Synchronization

/// Batches turn commits: while one transaction is written, arriving turns queue up and are
/// written together in the next. Each caller resumes only when its turn is committed (or
/// learns the error that stopped it).
final class GroupCommitWriter: Sendable {
    private struct Pending {
        var turns: [(TurnCommit, CheckedContinuation<Void, Error>)] = []
        var isWriting = false
    }

    private let pool: DatabasePool
    private let pending = Mutex(Pending())

    init(pool: DatabasePool) {
        self.pool = pool
    }

    func write(_ turn: TurnCommit) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            let startWriter = pending.withLock { state -> Bool in
                state.turns.append((turn, continuation))
                guard !state.isWriting else { return false }
                state.isWriting = true
                return true
            }
            if startWriter {
                Task.detached { await self.drain() }
            }
        }
    }

    private func drain() async {
        while true {
            let batch = pending.withLock { state -> [(TurnCommit, CheckedContinuation<Void, Error>)] in
                let batch = state.turns
                state.turns = []
                if batch.isEmpty { state.isWriting = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                try await pool.write { db in
                    for (turn, _) in batch { try SQLiteStore.write(turn, in: db) }
                }
                for (_, continuation) in batch { continuation.resume() }
            } catch {
                // One bad turn must not fail the others: retry them one transaction each.
                for (turn, continuation) in batch {
                    do {
                        try await pool.write { db in try SQLiteStore.write(turn, in: db) }
                        continuation.resume()
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
            }
        }
    }
}
