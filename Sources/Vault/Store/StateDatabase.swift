import Foundation
import GRDB

/// Opens an app's state file (`.parley/state.sqlite`) the one way both its users — the vault
/// store and the runtime's store — need: WAL, writers that wait for each other, and retries
/// while another process or connection is still creating the file.
public enum StateDatabase {
    /// A pool on `path` (created with its folder if needed). `prepare` runs on every connection.
    public static func openPool(path: String, prepare: (@Sendable (Database) throws -> Void)? = nil) throws -> DatabasePool {
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
}
