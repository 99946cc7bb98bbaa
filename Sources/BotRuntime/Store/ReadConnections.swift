import GRDB
import Synchronization

/// The store's read-only connections, each used by one thread at a time, for reads that run
/// on the calling thread (every turn starts with one).
///
/// GRDB's pool readers pay, per read, a semaphore, a dispatch hop when busy, a
/// `PRAGMA schema_version` and a read transaction of its own: more than the statement itself.
/// Here a read takes an idle connection from a list (or opens one; there are never more than
/// threads reading at once), runs its statement, and puts it back. The store's schema does not
/// change while it is open.
final class ReadConnections: Sendable {
    private let path: String
    private let configuration: Configuration
    private let idle = Mutex<[DatabaseQueue]>([])

    /// Read-only connections on `database`'s file, configured as its own.
    init(database: DatabasePool) {
        path = database.path
        var configuration = database.configuration
        configuration.readonly = true
        self.configuration = configuration
    }

    /// Runs `body` on an idle connection. Each of the store's reads is one statement, so one
    /// read transaction of its own: it sees every turn committed before it began.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        let connection = try idle.withLock { $0.popLast() } ?? DatabaseQueue(path: path, configuration: configuration)
        defer { idle.withLock { $0.append(connection) } }
        return try connection.inDatabase(body)
    }
}
