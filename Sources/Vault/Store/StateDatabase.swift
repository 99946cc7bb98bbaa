import CSQLite
import Foundation
import GRDB

/// Opens an app's state file (`.parley/state.sqlite`) the one way both its users — the vault
/// store and the runtime's store — need: WAL, writers that wait for each other, and retries
/// while another process or connection is still creating the file.
public enum StateDatabase {
    /// A pool on `path` (created with its folder if needed). `prepare` runs on every connection.
    public static func openPool(path: String, prepare: (@Sendable (Database) throws -> Void)? = nil) throws -> DatabasePool {
        _ = processSetUp
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)  // wait for another writer instead of failing
        if let prepare { configuration.prepareDatabase(prepare) }
        // Switching a new file to WAL needs it to itself and does not wait: a second opener at
        // that moment gets SQLITE_BUSY at once, so retry for a while.
        var attempt = 0
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration)
            } catch let error as DatabaseError where error.resultCode.primaryResultCode == .SQLITE_BUSY && attempt < 200 {
                attempt += 1
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
    }

    /// Process-wide SQLite settings, applied once before the first connection opens (SQLite
    /// takes them only before it initializes). Memory statistics off: with them on, every
    /// allocation of every connection takes one global mutex, and the turn writer and the
    /// readers allocate all the time (`bench engine --store sqlite`, three interleaved pairs of
    /// runs: 24.8–33.8k → 33.5–37.5k turns/s, 48–66 → 44–50 µs of CPU a turn). Nothing reads the
    /// statistics. If SQLite is already initialized (a connection opened elsewhere first), the
    /// call is refused and nothing changes.
    private static let processSetUp: Void = {
        _ = parley_sqlite3_disable_memstatus()
    }()
}
