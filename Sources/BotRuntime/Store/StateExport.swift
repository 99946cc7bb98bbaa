import Foundation
import GRDB

/// An app's stored state, table by table, as the stores keep it (JSON as text): what
/// `botcli store migrate` copies from a SQLite file into PostgreSQL. Ids of the inbox, the
/// outbox and timers are kept: a fired timer's event is filed under its id.
public enum StateChunk: Sendable {
    public struct Thread: Sendable {
        public var id: String, userID: String, lastSequence: Int, state: String, updated: Double
    }

    public struct User: Sendable {
        public var id: String, scope: String
    }

    public struct LedgerEvent: Sendable {
        public var threadID: String, sequence: Int, turn: Int, type: String, sender: String, userID: String, data: String
        public var sensitive: Bool, time: Double, idempotencyKey: String?
    }

    public struct Receipt: Sendable {
        public var key: String, threadID: String, turn: Int, lastSequence: Int
    }

    public struct Link: Sendable {
        public var key: String, threadID: String
    }

    public struct Inbound: Sendable {
        public var id: Int64, threadID: String, event: String
    }

    public struct Outbound: Sendable {
        public var id: Int64, threadID: String, integration: String, lane: String, kind: String, payload: String
        public var attempts: Int, notBefore: Double
    }

    public struct Timer: Sendable {
        public var id: Int64, threadID: String, name: String, due: Double, data: String, eventType: String
    }

    case threads([Thread])
    case users([User])
    case ledger([LedgerEvent])
    case receipts([Receipt])
    case links([Link])
    case inbox([Inbound])
    case outbox([Outbound])
    case timers([Timer])

    /// How many rows it holds.
    public var count: Int {
        switch self {
        case .threads(let rows): rows.count
        case .users(let rows): rows.count
        case .ledger(let rows): rows.count
        case .receipts(let rows): rows.count
        case .links(let rows): rows.count
        case .inbox(let rows): rows.count
        case .outbox(let rows): rows.count
        case .timers(let rows): rows.count
        }
    }

    /// What the rows are, for progress lines.
    public var table: String {
        switch self {
        case .threads: "threads"
        case .users: "users"
        case .ledger: "ledger events"
        case .receipts: "message receipts"
        case .links: "links"
        case .inbox: "accepted events"
        case .outbox: "outbound items"
        case .timers: "timers"
        }
    }
}

extension SQLiteStore {
    /// Hands every row of the store to `visit`, table by table, at most `batch` rows at a time
    /// (the ledger in append order). Reads only.
    public func export(batch: Int = 5_000, _ visit: (StateChunk) async throws -> Void) async throws {
        try await pages(batch, "SELECT id, user_id, last_sequence, state, updated FROM thread WHERE id > ? ORDER BY id LIMIT ?", key: 0, start: "") { rows in
            .threads(rows.map { StateChunk.Thread(id: $0[0], userID: $0[1], lastSequence: $0[2], state: $0[3], updated: $0[4]) })
        } visit: { try await visit($0) }
        try await pages(batch, "SELECT id, scope FROM user WHERE id > ? ORDER BY id LIMIT ?", key: 0, start: "") { rows in
            .users(rows.map { StateChunk.User(id: $0[0], scope: $0[1]) })
        } visit: { try await visit($0) }
        try await pages(batch, """
            SELECT id, thread_id, sequence, turn, type, sender, user_id, data, sensitive, time, idempotency_key
            FROM ledger WHERE id > ? ORDER BY id LIMIT ?
            """, key: 0, start: Int64(0)) { rows in
            .ledger(rows.map { StateChunk.LedgerEvent(threadID: $0[1], sequence: $0[2], turn: $0[3], type: $0[4], sender: $0[5],
                                                      userID: $0[6], data: $0[7], sensitive: $0[8], time: $0[9], idempotencyKey: $0[10]) })
        } visit: { try await visit($0) }
        try await pages(batch, "SELECT key, thread_id, turn, last_sequence FROM idempotency WHERE key > ? ORDER BY key LIMIT ?", key: 0, start: "") { rows in
            .receipts(rows.map { StateChunk.Receipt(key: $0[0], threadID: $0[1], turn: $0[2], lastSequence: $0[3]) })
        } visit: { try await visit($0) }
        try await pages(batch, "SELECT key, thread_id FROM link WHERE key > ? ORDER BY key LIMIT ?", key: 0, start: "") { rows in
            .links(rows.map { StateChunk.Link(key: $0[0], threadID: $0[1]) })
        } visit: { try await visit($0) }
        try await pages(batch, "SELECT id, event FROM inbox WHERE id > ? ORDER BY id LIMIT ?", key: 0, start: Int64(0)) { rows in
            .inbox(try rows.map { row in
                let json: String = row[1]
                return StateChunk.Inbound(id: row[0], threadID: try Event(inboxJSON: json).threadID, event: json)
            })
        } visit: { try await visit($0) }
        try await pages(batch, """
            SELECT id, thread_id, integration, lane, kind, payload, attempts, not_before FROM outbox WHERE id > ? ORDER BY id LIMIT ?
            """, key: 0, start: Int64(0)) { rows in
            .outbox(rows.map { StateChunk.Outbound(id: $0[0], threadID: $0[1], integration: $0[2], lane: $0[3], kind: $0[4], payload: $0[5],
                                                   attempts: $0[6], notBefore: $0[7]) })
        } visit: { try await visit($0) }
        try await pages(batch, "SELECT id, thread_id, name, due, data, event_type FROM timer WHERE id > ? ORDER BY id LIMIT ?", key: 0, start: Int64(0)) { rows in
            .timers(rows.map { StateChunk.Timer(id: $0[0], threadID: $0[1], name: $0[2], due: $0[3], data: $0[4], eventType: $0[5]) })
        } visit: { try await visit($0) }
    }

    /// Reads `sql` (which takes the last key seen and a limit) page by page, keyed by column
    /// `key`, and hands each page, made into a chunk, to `visit`.
    private func pages<Key: DatabaseValueConvertible & Sendable>(
        _ batch: Int, _ sql: String, key: Int, start: Key, make: ([Row]) throws -> StateChunk,
        visit: (StateChunk) async throws -> Void
    ) async throws {
        var last: DatabaseValue = start.databaseValue
        while true {
            let after = last
            let rows = try readNow { db in try Row.fetchAll(db, sql: sql, arguments: [after, batch]) }
            guard let final = rows.last else { return }
            try await visit(try make(rows))
            if rows.count < batch { return }
            last = final[key]
        }
    }
}
