import BotRuntime
import FlowDSL
import Foundation
import PostgresNIO

/// Threads, users, the ledger, idempotency receipts and links: a turn's start and its commit.
extension PostgresStore {
    public func thread(_ id: String) async throws -> ThreadRecord? {
        try await withConnection { connection in
            let rows = try await connection.query("SELECT user_id, last_sequence, state FROM thread WHERE id = \(id)", logger: logger)
            for try await (user, last, state) in rows.decode((String, Int, String).self) {
                return ThreadRecord.restored(id: id, userID: user, lastSequence: last) { try TemplateValue(storedJSON: state) }
            }
            return nil
        }
    }

    public func userScope(_ id: String) async throws -> TemplateMap {
        try await withConnection { connection in try await Self.userScope(id, on: connection, logger: logger) }
    }

    private static func userScope(_ id: String, on connection: PostgresConnection, logger: Logger) async throws -> TemplateMap {
        let rows = try await connection.query("SELECT scope FROM bot_user WHERE id = \(id)", logger: logger)
        for try await scope in rows.decode(String.self) { return Self.scope(scope) }
        return [:]
    }

    /// A stored user scope (empty when it cannot be read: the next change writes a readable one).
    private static func scope(_ json: String?) -> TemplateMap {
        guard let json, case .map(let scope)? = try? TemplateValue(storedJSON: json) else { return [:] }
        return scope
    }

    /// The earlier turn filed under the idempotency key, the thread and its user's scope, in one
    /// statement (`StartTurn`). Inside `withTurnLock` it reads after the thread's lock is held,
    /// and keeps for `inboundAhead` the thread's inbox entries held elsewhere.
    public func turnStart(thread id: String, user: String, idempotencyKey: String?) async throws -> TurnStart {
        try await withConnection { connection in
            let rows = try await connection.execute(StartTurn(thread: id, user: user, idempotencyKey: idempotencyKey, replica: replica),
                                                    logger: logger)
            for try await row in rows {
                if let scope = Self.turn, scope.thread == id { scope.earliestElsewhere = .some(row.7) }
                if let receiptThread = row.0, let turn = row.1, let last = row.2 {
                    return .duplicate(TurnReceipt(threadID: receiptThread, turnSequence: turn, lastSequence: last))
                }
                let thread = row.3.map { owner in
                    ThreadRecord.restored(id: id, userID: owner, lastSequence: row.4 ?? 0) { try TemplateValue(storedJSON: row.5 ?? "") }
                }
                return .fresh(thread: thread, userScope: Self.scope(row.6))
            }
            return .fresh(thread: nil, userScope: [:])
        }
    }

    /// Writes the turn. Inside `withTurnLock` (the engine's turns) the writes go into the turn's
    /// transaction, which this commits, releasing the thread; otherwise into a transaction of
    /// their own under the same lock.
    /// - Throws: `InboxEntryTaken` when the inbox entry the turn handled is gone (another
    ///   replica took it over and handled it); nothing is written then.
    @discardableResult
    public func commit(_ turn: TurnCommit) async throws -> [OutboxItem] {
        // Encoded before any statement: a turn too deep to store fails with the transaction intact.
        let encoded = try EncodedTurn(turn)
        let ids: [Int64]
        if let open = Self.turn, open.thread == turn.thread.id, let connection = open.transaction {
            do {
                ids = try await write(encoded, on: connection)
                _ = open.endTransaction()
                try await connection.query("COMMIT", logger: logger)
            } catch {
                if open.endTransaction() { _ = try? await connection.query("ROLLBACK", logger: logger) }
                throw error
            }
        } else {
            ids = try await withConnection { connection in
                try await Self.transaction(on: connection, logger: logger) {
                    try await lock(thread: encoded.threadID, on: connection)
                    return try await write(encoded, on: connection)
                }
            }
        }
        return zip(ids, turn.outbound).map { OutboxItem(id: $0, threadID: turn.thread.id, work: $1) }
    }

    /// The turn's writes, inside the open transaction on `connection`; returns its outbound
    /// work's ids. The thread, its receipt, its ledger rows, the inbox entry and the notice to
    /// the other replicas (sent at commit) go in one statement (`WriteTurn`); users, links and
    /// the outbox only when the turn changed them.
    private func write(_ turn: EncodedTurn, on connection: PostgresConnection) async throws -> [Int64] {
        var removed = 0
        for try await count in try await connection.execute(WriteTurn(turn: turn, notice: commitNotice(turn)), logger: logger) {
            removed = count
        }
        if let inboxID = turn.inboxID, removed == 0 { throw InboxEntryTaken(inboxID: inboxID) }
        if !turn.userChanges.isEmpty { try await mergeUserScope(turn, on: connection) }
        for (key, linked) in turn.linkChanges {
            if linked {
                try await connection.query("""
                    INSERT INTO link (key, thread_id) VALUES (\(key), \(turn.threadID))
                    ON CONFLICT (key) DO UPDATE SET thread_id = excluded.thread_id
                    """, logger: logger)
            } else {
                try await connection.query("DELETE FROM link WHERE key = \(key) AND thread_id = \(turn.threadID)", logger: logger)
            }
        }
        guard let outbox = turn.outbox else { return [] }
        return try await writeOutbox(outbox, threadID: turn.threadID, on: connection)
    }

    /// Merges the turn's changed keys into the user's stored scope. Two threads of one user
    /// may commit at once on two replicas: the user's own lock keeps their merges apart.
    private func mergeUserScope(_ turn: EncodedTurn, on connection: PostgresConnection) async throws {
        try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\("user " + turn.userID), 0))", logger: logger)
        var scope = try await Self.userScope(turn.userID, on: connection, logger: logger)
        for (key, value) in turn.userChanges { scope[key] = value }
        let json = TemplateValue.map(scope).jsonText
        try await connection.query("""
            INSERT INTO bot_user (id, scope) VALUES (\(turn.userID), \(json)) ON CONFLICT (id) DO UPDATE SET scope = excluded.scope
            """, logger: logger)
    }

    public func events(thread: String, after sequence: Int, limit: Int) async throws -> [Event] {
        try await withConnection { connection in
            let rows = try await connection.query("""
                SELECT sequence, type, sender, user_id, data, sensitive, time, idempotency_key FROM ledger
                WHERE thread_id = \(thread) AND sequence > \(sequence) ORDER BY sequence LIMIT \(limit)
                """, logger: logger)
            var events: [Event] = []
            for try await (sequence, type, sender, user, data, sensitive, time, key)
                in rows.decode((Int, String, String, String, String, Bool, Double, String?).self) {
                events.append(Event(type: type, threadID: thread, sender: Sender(rawValue: sender) ?? .system, userID: user,
                                    data: try TemplateMap(storedJSON: data, what: "event data"), idempotencyKey: key,
                                    isSensitive: sensitive, time: Date(timeIntervalSince1970: time), sequence: sequence))
            }
            return events
        }
    }

    public func thread(forLink key: String) async throws -> String? {
        try await withConnection { connection in
            for try await thread in try await connection.query("SELECT thread_id FROM link WHERE key = \(key)", logger: logger).decode(String.self) {
                return thread
            }
            return nil
        }
    }
}
