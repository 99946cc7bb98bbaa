import Foundation
import GRDB

/// The vault store in the app's SQLite file (`.parley/state.sqlite`, table `vault`).
///
/// The embedded default store: one file next to the app, WAL through a GRDB `DatabasePool` so
/// the runtime can read while an upload writes. Every batch is one transaction.
public final class SQLiteVaultStore: VaultStore {
    private let writer: any DatabaseWriter
    /// The database file, used in messages.
    public let path: String

    /// Opens (creating if needed) the SQLite file at `path` in WAL mode and migrates it.
    public convenience init(path: String) throws(VaultError) {
        let pool: DatabasePool
        do {
            pool = try StateDatabase.openPool(path: path)
        } catch {
            throw Self.storageError(error, path: path)
        }
        try self.init(writer: pool)
    }

    /// A store on a database the caller opened (a `DatabaseQueue` in tests, the runtime's pool).
    public init(writer: some DatabaseWriter) throws(VaultError) {
        self.writer = writer
        self.path = writer.path
        do {
            try Self.migrate(writer)
        } catch {
            throw Self.storageError(error, path: path)
        }
    }

    private static func migrate(_ writer: some DatabaseWriter) throws {
        do {
            try VaultSchema.migrator.migrate(writer)
        } catch {
            // Two processes opening a new file at once can both decide "vault-v1" is due; the
            // loser's CREATE TABLE fails. Running the migrator again then finds it applied.
            try VaultSchema.migrator.migrate(writer)
        }
    }

    public func entries() throws(VaultError) -> [VaultEntry] {
        try access { db in
            try Row.fetchAll(db, sql: "SELECT key, ciphertext, version, updated FROM vault ORDER BY key")
                .map { try Self.entry(from: $0, path: self.path) }
        }
    }

    public func entry(for key: String) throws(VaultError) -> VaultEntry? {
        try access { db in
            try Row.fetchOne(db, sql: "SELECT key, ciphertext, version, updated FROM vault WHERE key = ?", arguments: [key])
                .map { try Self.entry(from: $0, path: self.path) }
        }
    }

    public func write(_ writes: [VaultWrite], at date: Date) throws(VaultError) {
        let updated = Self.format(date)
        try access(writing: true) { db in
            for write in writes {
                let stored = try Int.fetchOne(db, sql: "SELECT version FROM vault WHERE key = ?", arguments: [write.key])
                guard stored == write.expectedVersion else { throw VaultError.versionConflict(key: write.key) }
                try db.execute(sql: """
                    INSERT INTO vault (key, ciphertext, version, updated) VALUES (?, ?, ?, ?)
                    ON CONFLICT (key) DO UPDATE SET ciphertext = excluded.ciphertext,
                        version = excluded.version, updated = excluded.updated
                    """, arguments: [write.key, write.ciphertext, (stored ?? 0) + 1, updated])
            }
        }
    }

    public func remove(_ key: String) throws(VaultError) {
        try access(writing: true) { db in
            try db.execute(sql: "DELETE FROM vault WHERE key = ?", arguments: [key])
            guard db.changesCount == 1 else { throw VaultError.keyNotFound(key: key) }
        }
    }

    /// Runs `body` in a read or in a write transaction, turning GRDB errors into `VaultError`.
    private func access<T>(writing: Bool = false, _ body: (Database) throws -> T) throws(VaultError) -> T {
        do {
            return writing ? try writer.write(body) : try writer.read(body)
        } catch let error as VaultError {
            throw error
        } catch {
            throw Self.storageError(error, path: path)
        }
    }

    private static func entry(from row: Row, path: String) throws -> VaultEntry {
        let key: String = row["key"]
        let text: String = row["updated"]
        guard let updated = parse(text) else {
            throw VaultError.storage(path: path, reason: "vault key `\(key)` has an unreadable update time")
        }
        return VaultEntry(key: key, ciphertext: row["ciphertext"], version: row["version"], updated: updated)
    }

    /// ISO 8601 in UTC, seconds precision: `2025-11-21T15:21:00Z`.
    static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!))
    }

    static func parse(_ text: String) -> Date? {
        try? Date(text, strategy: Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!))
    }

    /// A database error by its SQLite message only: GRDB's description can include the SQL.
    private static func storageError(_ error: any Error, path: String) -> VaultError {
        if let error = error as? VaultError { return error }
        if let error = error as? DatabaseError {
            return .storage(path: path, reason: "SQLite error \(error.resultCode.primaryResultCode.rawValue): \(error.message ?? "unknown")")
        }
        return .storage(path: path, reason: "database error")
    }
}
