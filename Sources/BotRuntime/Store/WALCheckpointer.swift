import CSQLite
import Dispatch
import GRDB
import Synchronization

/// Copies the write-ahead log back into the database file with as little of it as possible on
/// the turn writer's thread, which every commit waits for.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses its threshold: it copies
/// the pages and syncs both files (two `fdatasync`s, ≈ 2 ms each here) while the writer and
/// every turn of the batch wait — a fifth of the writer's time under load. Here the store
/// turns it off and calls `committed(turns:)` after each transaction instead:
///
/// - every `copyInterval` turns, a passive checkpoint on a connection and queue of its own
///   copies what the log holds, beside the writer, which goes on appending;
/// - every `restartInterval` turns, the writer itself runs a restart checkpoint between two
///   batches: it copies the few pages written since the last copy and lets the next commit
///   start the log from its beginning. Passive checkpoints alone never catch up with a busy
///   writer, and the log would grow without end (tried: 0.5 GB in 6 s). A restart that meets a
///   copy still running, or a reader still using the log, is refused at once; it stays due, no
///   new copy starts, and the writer tries again after its next transaction. (A reader that
///   holds a transaction open keeps the log from starting over: it grows until the reader ends.)
///
/// `bench engine --store sqlite`: ≈ 23k → 30k turns/s, p99 ≈ 9 → 4.5 ms. Durability does not
/// depend on checkpoints: a committed turn is in the log, which survives a killed process. The
/// log file stays within `restartInterval` turns of pages (≈ 2.3 pages a turn: ≈ 50 MB).
final class WALCheckpointer: Sendable {
    static let copyInterval = 500
    static let restartInterval = 5_000

    private let database: DatabasePool
    /// The writer's busy timeout (ms), restored after a restart that ran without one.
    private let writerBusyTimeout: Int32
    private let connection: DatabaseQueue
    private let queue = DispatchQueue(label: "parley.store.checkpoint", qos: .utility)
    private let state = Mutex(State())

    private struct State {
        var turnsSinceCopy = 0
        var turnsSinceRestart = 0
        var isCopying = false
    }

    /// For the store whose writer is `database`'s; copies run on a connection of their own.
    init(database: DatabasePool) throws {
        self.database = database
        if case .timeout(let seconds) = database.configuration.busyMode {
            writerBusyTimeout = Int32(seconds * 1000)
        } else {
            writerBusyTimeout = 0
        }
        connection = try DatabaseQueue(path: database.path, configuration: database.configuration)
    }

    /// A transaction with `turns` turns was committed. Called on the writer's thread, between
    /// its transactions.
    func committed(turns: Int) {
        let (copy, restart) = state.withLock { state -> (Bool, Bool) in
            state.turnsSinceCopy += turns
            state.turnsSinceRestart += turns
            let restart = state.turnsSinceRestart >= Self.restartInterval
            // No new copy while a restart is due: it would hold the checkpoint lock the restart needs.
            let copy = !restart && !state.isCopying && state.turnsSinceCopy >= Self.copyInterval
            if copy {
                state.turnsSinceCopy = 0
                state.isCopying = true
            }
            return (copy, restart)
        }
        if restart {
            // Busy while a copy still runs (SQLite does not wait for the checkpoint lock) or a
            // reader still uses the log: the restart stays due and is tried again after the next
            // transaction. It must not wait for readers (SQLite would, up to the busy timeout):
            // every turn waits for the writer, and a reader may take long (a large ledger read,
            // a `sqlite3` shell left open).
            let busy = (try? database.writeWithoutTransaction { db -> Int in
                sqlite3_busy_timeout(db.sqliteConnection, 0)
                defer { sqlite3_busy_timeout(db.sqliteConnection, writerBusyTimeout) }
                return try Int.fetchOne(db, sql: "PRAGMA wal_checkpoint(RESTART)") ?? 1
            }) ?? 1
            if busy == 0 {
                state.withLock {
                    $0.turnsSinceRestart = 0
                    $0.turnsSinceCopy = 0
                }
            }
        } else if copy {
            queue.async { [self] in
                // A copy that fails leaves more for the next one.
                _ = try? connection.inDatabase { db in try db.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)") }
                state.withLock { $0.isCopying = false }
            }
        }
    }
}
