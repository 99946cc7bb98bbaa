import Dispatch
import Foundation
import GRDB
import Synchronization

/// Batches turn commits: while one transaction is written, arriving turns queue up and are
/// written together in the next. Each caller resumes only when its turn is committed, with the
/// ids of the outbound work it wrote (or learns the error that stopped it).
final class GroupCommitWriter: Sendable {
    private struct Pending {
        var turns: [(EncodedTurn, UnsafeContinuation<[Int64], Error>)] = []
        var isWriting = false
    }

    private let pool: DatabasePool
    private let checkpointer: WALCheckpointer
    private let pending = Mutex(Pending())
    /// Transactions run here, off Swift's cooperative threads, which keep running turns.
    private let queue = DispatchQueue(label: "parley.store.group-commit")

    init(pool: DatabasePool, checkpointer: WALCheckpointer) {
        self.pool = pool
        self.checkpointer = checkpointer
    }

    func write(_ turn: EncodedTurn) async throws -> [Int64] {
        // Unsafe (unchecked) continuations: `drain` resumes each exactly once (after its batch,
        // or after its own retry), and a checked one costs an extra allocation on every turn.
        try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<[Int64], Error>) in
            let (startWriter, batchFilled) = pending.withLock { state -> (Bool, Bool) in
                state.turns.append((turn, continuation))
                let batchFilled = state.turns.count == Self.smallBatch
                guard !state.isWriting else { return (false, batchFilled) }
                state.isWriting = true
                return (true, batchFilled)
            }
            if batchFilled { filled.signal() }
            if startWriter {
                queue.async { self.drain() }
            }
        }
    }

    /// When fewer turns than this are waiting, the writer lingers a moment for more: every
    /// transaction costs WAL page writes, file locks and wake-ups, whatever its size.
    private static let smallBatch = 16
    private static let linger: Double = 0.0004

    /// Signalled when a small batch has filled up, to end the writer's linger early.
    private let filled = DispatchSemaphore(value: 0)

    private func drain() {
        while true {
            if pending.withLock({ $0.turns.count }) < Self.smallBatch { _ = filled.wait(timeout: .now() + Self.linger) }
            let batch = pending.withLock { state -> [(EncodedTurn, UnsafeContinuation<[Int64], Error>)] in
                let batch = state.turns
                state.turns = []
                if batch.isEmpty { state.isWriting = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            do {
                let ids = try pool.write { db in try SQLiteStore.write(batch.map { $0.0 }, in: db) }
                // Waking the waiting turns is the cooperative pool's work, not the writer's.
                let continuations = batch.map { $0.1 }
                Task { for (continuation, written) in zip(continuations, ids) { continuation.resume(returning: written) } }
                checkpointer.committed(turns: batch.count)
            } catch {
                // One bad turn must not fail the others: retry them one transaction each.
                for (turn, continuation) in batch {
                    do {
                        let ids = try pool.write { db in try SQLiteStore.write([turn], in: db) }
                        continuation.resume(returning: ids.first ?? [])
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
            }
        }
    }
}
