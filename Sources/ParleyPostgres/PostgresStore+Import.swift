import BotRuntime
import PostgresNIO
import Vault

/// `botcli store migrate`: an app's state copied in, into a database that holds none yet.
extension PostgresStore {
    /// Copies `vault` and the chunks `body` hands to `add` into this database, in one
    /// transaction: all of them or none. Vault entries keep their versions and times; accepted
    /// events and outbound work arrive held by no replica, for the first to start to take; ids
    /// are kept, and the id sequences continue after them.
    /// - Throws: `PostgresStoreError.notEmpty` when the database already holds threads or vault keys.
    public func importState(vault: [VaultEntry], _ body: (_ add: (StateChunk) async throws -> Void) async throws -> Void) async throws {
        try await client.withConnection { connection in
            try await Self.transaction(on: connection, logger: logger) {
                let counts = try await connection.query("""
                    SELECT (SELECT count(*) FROM thread)::bigint, (SELECT count(*) FROM vault)::bigint
                    """, logger: logger)
                for try await (threads, keys) in counts.decode((Int, Int).self) where threads > 0 || keys > 0 {
                    throw PostgresStoreError.notEmpty(threads: threads, vaultKeys: keys)
                }
                if !vault.isEmpty {
                    try await connection.query("""
                        INSERT INTO vault (key, ciphertext, version, updated)
                        SELECT * FROM unnest(\(vault.map(\.key))::text[], \(vault.map { ByteBuffer(bytes: $0.ciphertext) })::bytea[],
                                             \(vault.map(\.version))::bigint[], \(vault.map(\.updated))::timestamptz[])
                        """, logger: logger)
                }
                try await body { chunk in try await insert(chunk, on: connection) }
                for table in ["ledger", "inbox", "outbox", "timer"] {
                    try await connection.query(PostgresQuery(unsafeSQL: """
                        SELECT setval(pg_get_serial_sequence('\(table)', 'id'), coalesce((SELECT max(id) FROM \(table)), 0) + 1, false)
                        """), logger: logger)
                }
            }
        }
    }

    private func insert(_ chunk: StateChunk, on connection: PostgresConnection) async throws {
        switch chunk {
        case .threads(let rows):
            try await connection.query("""
                INSERT INTO thread (id, user_id, last_sequence, state, updated)
                SELECT * FROM unnest(\(rows.map(\.id))::text[], \(rows.map(\.userID))::text[], \(rows.map(\.lastSequence))::bigint[],
                                     \(rows.map(\.state))::text[], \(rows.map(\.updated))::float8[])
                """, logger: logger)
        case .users(let rows):
            try await connection.query("INSERT INTO bot_user (id, scope) SELECT * FROM unnest(\(rows.map(\.id))::text[], \(rows.map(\.scope))::text[])",
                                       logger: logger)
        case .ledger(let rows):
            try await connection.query("""
                INSERT INTO ledger (thread_id, sequence, turn, type, sender, user_id, data, sensitive, time, idempotency_key)
                SELECT t, s, tu, ty, se, u, d, sv, tm, nullif(k, '')
                FROM unnest(\(rows.map(\.threadID))::text[], \(rows.map(\.sequence))::bigint[], \(rows.map(\.turn))::bigint[],
                            \(rows.map(\.type))::text[], \(rows.map(\.sender))::text[], \(rows.map(\.userID))::text[],
                            \(rows.map(\.data))::text[], \(rows.map(\.sensitive))::boolean[], \(rows.map(\.time))::float8[],
                            \(rows.map { $0.idempotencyKey ?? "" })::text[]) AS e(t, s, tu, ty, se, u, d, sv, tm, k)
                """, logger: logger)
        case .receipts(let rows):
            try await connection.query("""
                INSERT INTO idempotency (key, thread_id, turn, last_sequence)
                SELECT * FROM unnest(\(rows.map(\.key))::text[], \(rows.map(\.threadID))::text[], \(rows.map(\.turn))::bigint[],
                                     \(rows.map(\.lastSequence))::bigint[])
                """, logger: logger)
        case .links(let rows):
            try await connection.query("INSERT INTO link (key, thread_id) SELECT * FROM unnest(\(rows.map(\.key))::text[], \(rows.map(\.threadID))::text[])",
                                       logger: logger)
        case .inbox(let rows):
            try await connection.query("""
                INSERT INTO inbox (id, thread_id, event, owner)
                SELECT i, t, e, '' FROM unnest(\(rows.map(\.id))::bigint[], \(rows.map(\.threadID))::text[], \(rows.map(\.event))::text[]) AS r(i, t, e)
                """, logger: logger)
        case .outbox(let rows):
            try await connection.query("""
                INSERT INTO outbox (id, thread_id, integration, lane, kind, payload, attempts, not_before, owner)
                SELECT i, t, ig, l, k, p, a, n, ''
                FROM unnest(\(rows.map(\.id))::bigint[], \(rows.map(\.threadID))::text[], \(rows.map(\.integration))::text[],
                            \(rows.map(\.lane))::text[], \(rows.map(\.kind))::text[], \(rows.map(\.payload))::text[],
                            \(rows.map(\.attempts))::bigint[], \(rows.map(\.notBefore))::float8[]) AS r(i, t, ig, l, k, p, a, n)
                """, logger: logger)
        case .timers(let rows):
            try await connection.query("""
                INSERT INTO timer (id, thread_id, name, due, data, event_type)
                SELECT * FROM unnest(\(rows.map(\.id))::bigint[], \(rows.map(\.threadID))::text[], \(rows.map(\.name))::text[],
                                     \(rows.map(\.due))::float8[], \(rows.map(\.data))::text[], \(rows.map(\.eventType))::text[])
                """, logger: logger)
        }
    }
}
