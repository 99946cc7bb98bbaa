import Foundation
import GRDB
import Testing
@testable import Vault

@Suite("SQLite vault store")
struct SQLiteVaultStoreTests {
    @Test("the table has the agreed schema and the file is in WAL mode")
    func schema() throws {
        let app = try TestApp()
        defer { app.remove() }
        try FileManager.default.createDirectory(at: app.parley, withIntermediateDirectories: true)
        _ = try SQLiteVaultStore(path: app.databasePath)
        let queue = try DatabaseQueue(path: app.databasePath)
        try queue.read { db in
            #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal")
            let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(vault)").map {
                "\($0["name"] as String) \($0["type"] as String) notnull=\($0["notnull"] as Int) pk=\($0["pk"] as Int)"
            }
            #expect(columns == ["key TEXT notnull=1 pk=1", "ciphertext BLOB notnull=1 pk=0",
                                "version INTEGER notnull=1 pk=0", "updated TEXT notnull=1 pk=0"])
        }
    }

    @Test("the vault migrator and another module's migrator share one file")
    func sharedMigrations() throws {
        let queue = try DatabaseQueue()
        var runtime = DatabaseMigrator()
        runtime.registerMigration("runtime-v1") { db in try db.execute(sql: "CREATE TABLE ledger (id INTEGER PRIMARY KEY)") }
        try runtime.migrate(queue)
        let store = try SQLiteVaultStore(writer: queue)          // meets an identifier it does not know
        try runtime.migrate(queue)                               // and so does the runtime's migrator
        runtime.registerMigration("runtime-v2") { db in try db.execute(sql: "CREATE TABLE threads (id TEXT PRIMARY KEY)") }
        try runtime.migrate(queue)
        _ = try SQLiteVaultStore(writer: queue)                  // opening again runs nothing
        let applied = try queue.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") }
        #expect(applied == ["runtime-v1", "runtime-v2", "vault-v1"])
        #expect(try store.entries().isEmpty)
    }

    @Test("versions start at 1 and go up on each change; times are ISO 8601 UTC")
    func versions() throws {
        let store = try SQLiteVaultStore(writer: DatabaseQueue())
        let first = Date(timeIntervalSince1970: 1_700_000_000)
        try store.write([VaultWrite(key: "a", ciphertext: Data([1]), expectedVersion: nil)], at: first)
        try store.write([VaultWrite(key: "a", ciphertext: Data([2]), expectedVersion: 1)], at: first.addingTimeInterval(60))
        let entry = try #require(try store.entry(for: "a"))
        #expect(entry.version == 2 && entry.ciphertext == Data([2]))
        #expect(entry.updatedText == "2023-11-14T22:14:20Z")
        #expect(entry.updated == first.addingTimeInterval(60))
    }

    @Test("a batch is all or nothing")
    func batchIsAtomic() throws {
        let store = try SQLiteVaultStore(writer: DatabaseQueue())
        try store.write([VaultWrite(key: "kept", ciphertext: Data([1]), expectedVersion: nil)], at: Date())
        let before = try store.entries()
        #expect(throws: VaultError.versionConflict(key: "kept")) {
            try store.write([VaultWrite(key: "new", ciphertext: Data([9]), expectedVersion: nil),
                             VaultWrite(key: "kept", ciphertext: Data([9]), expectedVersion: 7)], at: Date())
        }
        #expect(try store.entries() == before)
    }

    @Test("removing a key that is not stored names it")
    func removeMissing() throws {
        let store = try SQLiteVaultStore(writer: DatabaseQueue())
        let error = #expect(throws: VaultError.keyNotFound(key: "twilio.nope")) { try store.remove("twilio.nope") }
        #expect(error?.description == "vault key `twilio.nope` is not stored in the vault")
    }
}
