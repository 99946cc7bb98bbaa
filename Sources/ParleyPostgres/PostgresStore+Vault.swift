import Foundation
import PostgresNIO
import Vault

/// The vault of the app the replicas serve, in the table `vault`: sealed values only, as in
/// the app's SQLite file, so every replica reads the values an upload to any one of them
/// stored. Each change notifies the other replicas (`parley_commits`), which read the vault
/// again: an upload reaches the bot on every replica without a restart.
extension PostgresStore: VaultStore {
    public func entries() async throws(VaultError) -> [VaultEntry] {
        try await vaultAccess { connection in
            // Byte order, as SQLite sorts: a database's collation may ignore punctuation.
            let rows = try await connection.query("""
                SELECT key, ciphertext, version, updated FROM vault ORDER BY key COLLATE "C"
                """, logger: logger)
            var entries: [VaultEntry] = []
            for try await (key, ciphertext, version, updated) in rows.decode((String, Data, Int, Date).self) {
                entries.append(VaultEntry(key: key, ciphertext: ciphertext, version: version, updated: updated))
            }
            return entries
        }
    }

    public func entry(for key: String) async throws(VaultError) -> VaultEntry? {
        try await vaultAccess { connection in
            let rows = try await connection.query("SELECT ciphertext, version, updated FROM vault WHERE key = \(key)", logger: logger)
            for try await (ciphertext, version, updated) in rows.decode((Data, Int, Date).self) {
                return VaultEntry(key: key, ciphertext: ciphertext, version: version, updated: updated)
            }
            return nil
        }
    }

    /// Each write is one statement that checks the version it replaces (an add inserts only
    /// when the key is absent, a change updates only the version it saw): two replicas writing
    /// the same key at once cannot both succeed, which a read followed by a write would allow.
    public func write(_ writes: [VaultWrite], at date: Date) async throws(VaultError) {
        try await vaultAccess(transaction: true) { connection in
            for write in writes {
                let rows = if let expected = write.expectedVersion {
                    try await connection.query("""
                        UPDATE vault SET ciphertext = \(write.ciphertext), version = version + 1, updated = \(date)
                        WHERE key = \(write.key) AND version = \(expected) RETURNING version
                        """, logger: logger)
                } else {
                    try await connection.query("""
                        INSERT INTO vault (key, ciphertext, version, updated) VALUES (\(write.key), \(write.ciphertext), 1, \(date))
                        ON CONFLICT (key) DO NOTHING RETURNING version
                        """, logger: logger)
                }
                guard try await rows.collect().count == 1 else { throw VaultError.versionConflict(key: write.key) }
            }
            try await notifyVaultChange(on: connection)
        }
    }

    public func remove(_ key: String) async throws(VaultError) {
        try await vaultAccess(transaction: true) { connection in
            let rows = try await connection.query("DELETE FROM vault WHERE key = \(key) RETURNING key", logger: logger)
            guard try await rows.collect().count == 1 else { throw VaultError.keyNotFound(key: key) }
            try await notifyVaultChange(on: connection)
        }
    }

    private func notifyVaultChange(on connection: PostgresConnection) async throws {
        try await connection.query("SELECT pg_notify(\(Self.commitChannel), \(vaultNotice))", logger: logger)
    }

    /// Runs `body` on a pooled connection (in a transaction of its own when `transaction`),
    /// turning database errors into `VaultError.storage` said without what the statement carried.
    private func vaultAccess<T: Sendable>(transaction: Bool = false,
                                          _ body: (PostgresConnection) async throws -> T) async throws(VaultError) -> T {
        do {
            return transaction ? try await inTransaction(body) : try await withConnection(body)
        } catch let error as VaultError {
            throw error
        } catch {
            throw .storage(path: location, reason: PostgresStoreError.describe(error))
        }
    }
}
