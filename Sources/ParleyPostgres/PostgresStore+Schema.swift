import Logging
import PostgresNIO

/// The schema, versioned: each migration runs once, in order, in its own transaction, and is
/// recorded in `parley_schema`. Replicas starting together take one session lock first: one
/// migrates, the others wait for it and then find nothing left to do.
extension PostgresStore {
    static let migrations: [(version: Int, name: String, sql: [String])] = [
        (1, "runtime", [
            """
            CREATE TABLE thread (
                id text PRIMARY KEY,
                user_id text NOT NULL,
                last_sequence bigint NOT NULL,
                state text NOT NULL,
                updated double precision NOT NULL
            )
            """,
            "CREATE TABLE bot_user (id text PRIMARY KEY, scope text NOT NULL)",
            // Append order (id) with a unique index by thread, as in SQLite; the index also
            // refuses a second turn filed under the same sequence numbers.
            """
            CREATE TABLE ledger (
                id bigserial PRIMARY KEY,
                thread_id text NOT NULL,
                sequence bigint NOT NULL,
                turn bigint NOT NULL,
                type text NOT NULL,
                sender text NOT NULL,
                user_id text NOT NULL,
                data text NOT NULL,
                sensitive boolean NOT NULL,
                time double precision NOT NULL,
                idempotency_key text
            )
            """,
            "CREATE UNIQUE INDEX ledger_thread_sequence ON ledger (thread_id, sequence)",
            """
            CREATE TABLE idempotency (
                key text PRIMARY KEY,
                thread_id text NOT NULL,
                turn bigint NOT NULL,
                last_sequence bigint NOT NULL
            )
            """,
            "CREATE TABLE link (key text PRIMARY KEY, thread_id text NOT NULL)",
            // The processes sharing the store, with when each last renewed its claim.
            "CREATE TABLE replica (id text PRIMARY KEY, seen timestamptz NOT NULL)",
            // `owner`: the replica holding the entry, '' when it was released to wait for its
            // thread's earlier entries; `set_aside`: an integration keeps it for a later turn.
            """
            CREATE TABLE inbox (
                id bigserial PRIMARY KEY,
                thread_id text NOT NULL,
                event text NOT NULL,
                owner text NOT NULL,
                set_aside boolean NOT NULL DEFAULT false
            )
            """,
            "CREATE INDEX inbox_thread ON inbox (thread_id, id)",
            """
            CREATE TABLE outbox (
                id bigserial PRIMARY KEY,
                thread_id text NOT NULL,
                integration text NOT NULL,
                lane text NOT NULL,
                kind text NOT NULL,
                payload text NOT NULL,
                attempts bigint NOT NULL DEFAULT 0,
                not_before double precision NOT NULL DEFAULT 0,
                owner text NOT NULL
            )
            """,
            """
            CREATE TABLE timer (
                id bigserial PRIMARY KEY,
                thread_id text NOT NULL,
                name text NOT NULL,
                due double precision NOT NULL,
                data text NOT NULL,
                event_type text NOT NULL,
                UNIQUE (thread_id, name)
            )
            """,
            "CREATE INDEX timer_due ON timer (due)",
        ]),
        // Sealed values only (`crypto_box_seal` ciphertexts), as in the app's SQLite file.
        (2, "vault", [
            """
            CREATE TABLE vault (
                key text PRIMARY KEY,
                ciphertext bytea NOT NULL,
                version bigint NOT NULL,
                updated timestamptz NOT NULL
            )
            """,
        ]),
    ]

    /// The session lock key migrations run under (any fixed number: "parley-schema").
    static let migrationLock: Int64 = 0x7061_726C_6579_5F73

    /// Applies the migrations this database lacks; returns how many ran.
    @discardableResult
    static func migrate(_ client: PostgresClient, logger: Logger) async throws -> Int {
        try await client.withConnection { connection in
            try await connection.query("SELECT pg_advisory_lock(\(migrationLock))", logger: logger)
            do {
                try await connection.query("""
                    CREATE TABLE IF NOT EXISTS parley_schema (
                        version integer PRIMARY KEY, name text NOT NULL, applied timestamptz NOT NULL DEFAULT now())
                    """, logger: logger)
                var applied = Set<Int>()
                for try await version in try await connection.query("SELECT version FROM parley_schema", logger: logger).decode(Int.self) {
                    applied.insert(version)
                }
                var count = 0
                for migration in migrations where !applied.contains(migration.version) {
                    try await transaction(on: connection, logger: logger) {
                        for statement in migration.sql {
                            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                        }
                        try await connection.query("INSERT INTO parley_schema (version, name) VALUES (\(migration.version), \(migration.name))",
                                                   logger: logger)
                    }
                    logger.notice("database schema migrated", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
                    count += 1
                }
                try await connection.query("SELECT pg_advisory_unlock(\(migrationLock))", logger: logger)
                return count
            } catch {
                // The lock is the session's: a connection going back to the pool must not keep it.
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(migrationLock))", logger: logger)
                throw error
            }
        }
    }

    /// Runs `body` in a transaction on `connection`: committed when it returns, rolled back
    /// when it throws (its own error is rethrown as it was).
    nonisolated(nonsending) static func transaction<T>(on connection: PostgresConnection, logger: Logger, _ body: () async throws -> T) async throws -> T {
        try await connection.query("BEGIN", logger: logger)
        do {
            let result = try await body()
            try await connection.query("COMMIT", logger: logger)
            return result
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }
}
