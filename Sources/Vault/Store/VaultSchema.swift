import GRDB

/// The vault's table in the app's shared SQLite file, created by a GRDB migration.
///
/// The runtime keeps its own tables in the same file with its own `DatabaseMigrator`. That is
/// safe: GRDB 7's `DatabaseMigrator.migrate` records identifiers in the shared
/// `grdb_migrations` table and skips identifiers it does not know (only
/// `eraseDatabaseOnSchemaChange`, which we leave off, treats them as a schema change), so each
/// module's migrator only runs its own migrations. Identifiers must therefore be unique across
/// modules: ours start with `vault-`. The migration uses immediate foreign key checks so it
/// never runs `PRAGMA foreign_key_check` over other modules' tables.
enum VaultSchema {
    static let table = "vault"

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("vault-v1", foreignKeyChecks: .immediate) { db in
            try db.execute(sql: """
                CREATE TABLE vault (
                    key TEXT PRIMARY KEY NOT NULL,
                    ciphertext BLOB NOT NULL,
                    version INTEGER NOT NULL,
                    updated TEXT NOT NULL
                )
                """)
        }
        return migrator
    }
}
