import BotRuntime
import PostgresNIO

/// The statements every turn runs, prepared once per connection: PostgreSQL parses and plans
/// an unnamed statement again on every use (`bench http --store postgres`, one run each way:
/// 900 → 978–1,087 turns/s with one replica, 741 → 894–1,040 with two; BENCHMARKS.md).
extension PostgresStore {
    /// Takes the thread's turn lock for the open transaction.
    struct LockThread: PostgresPreparedStatement {
        typealias Row = Void
        static let sql = "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))"
        var thread: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 1)
            bindings.append(thread)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws {}
    }

    /// The start of a turn in one statement: the receipt of its message id, the thread, its
    /// user's scope, and the oldest inbox entry of the thread another replica holds (or nobody
    /// does) that is not set aside — the events this turn must not overtake.
    struct StartTurn: PostgresPreparedStatement {
        typealias Row = (String?, Int?, Int?, String?, Int?, String?, String?, Int64?)
        static let sql = """
            SELECT i.thread_id, i.turn, i.last_sequence, t.user_id, t.last_sequence, t.state, u.scope,
                   (SELECT min(b.id) FROM inbox AS b WHERE b.thread_id = p.thread AND NOT b.set_aside AND b.owner <> p.me)
            FROM (SELECT $1::text AS thread, $2::text AS usr, $3::text AS key, $4::text AS me) AS p
            LEFT JOIN idempotency AS i ON i.key = p.key
            LEFT JOIN thread AS t ON t.id = p.thread
            LEFT JOIN bot_user AS u ON u.id = coalesce(nullif(t.user_id, ''), p.usr)
            """
        var thread: String, user: String, idempotencyKey: String?, replica: String

        func makeBindings() throws -> PostgresBindings {
            var bindings = PostgresBindings(capacity: 4)
            bindings.append(thread)
            bindings.append(user)
            bindings.append(idempotencyKey)
            bindings.append(replica)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Row {
            try row.decode(Row.self)
        }
    }

    /// A turn's thread, receipt, ledger rows (as arrays), inbox entry and commit notice, in one
    /// statement; answers how many inbox entries it removed.
    struct WriteTurn: PostgresPreparedStatement {
        typealias Row = Int
        static let sql = """
            WITH t AS (
                INSERT INTO thread (id, user_id, last_sequence, state, updated) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, last_sequence = excluded.last_sequence,
                    state = excluded.state, updated = excluded.updated
            ), r AS (
                INSERT INTO idempotency (key, thread_id, turn, last_sequence)
                SELECT k, $1, $6, $3 FROM (SELECT $7::text AS k) AS x WHERE k IS NOT NULL
                ON CONFLICT (key) DO NOTHING
            ), l AS (
                INSERT INTO ledger (thread_id, sequence, turn, type, sender, user_id, data, sensitive, time, idempotency_key)
                SELECT $1, s, $6, ty, se, u, d, sv, tm, nullif(k, '')
                FROM unnest($8::bigint[], $9::text[], $10::text[], $11::text[], $12::text[], $13::boolean[], $14::float8[],
                            $15::text[]) AS e(s, ty, se, u, d, sv, tm, k)
            ), x AS (
                DELETE FROM inbox WHERE id = $16 RETURNING id
            )
            SELECT (SELECT count(*) FROM x)::bigint,
                   (SELECT count(*) FROM (SELECT pg_notify($17, $18)) AS n)::bigint
            """
        var turn: EncodedTurn
        var notice: String

        func makeBindings() throws -> PostgresBindings {
            let rows = turn.rows
            var bindings = PostgresBindings(capacity: 18)
            bindings.append(turn.threadID)
            bindings.append(turn.userID)
            bindings.append(turn.lastSequence)
            bindings.append(String(decoding: turn.stateJSON, as: UTF8.self))
            bindings.append(turn.updated)
            bindings.append(turn.turnSequence)
            bindings.append(turn.idempotencyKey)
            bindings.append(rows.map(\.sequence))
            bindings.append(rows.map(\.type))
            bindings.append(rows.map(\.sender))
            bindings.append(rows.map(\.userID))
            bindings.append(rows.map { String(decoding: $0.dataJSON, as: UTF8.self) })
            bindings.append(rows.map(\.sensitive))
            bindings.append(rows.map(\.time))
            bindings.append(rows.map { $0.idempotencyKey ?? "" })
            bindings.append(turn.inboxID)
            bindings.append(PostgresStore.commitChannel)
            bindings.append(notice)
            return bindings
        }

        func decodeRow(_ row: PostgresRow) throws -> Int {
            try row.decode((Int, Int).self).0
        }
    }
}
