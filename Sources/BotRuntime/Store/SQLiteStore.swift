import FlowDSL
import OrderedCollections
import Foundation
import GRDB
import Vault

/// The durable `BotStore`: one SQLite file (WAL) in the app's `.parley/` folder.
///
/// Turns are written by a group-commit writer: turns that finish while a transaction is being
/// written wait and go into the next one together. Each turn is still all-or-nothing, and a
/// turn is acknowledged only after its transaction is on disk.
public final class SQLiteStore: BotStore {
    let pool: DatabasePool
    private let readers: ReadConnections
    private let writer: GroupCommitWriter

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    public init(path: String) throws {
        pool = try StateDatabase.openPool(path: path) { db in
            // WAL with NORMAL sync survives a killed process; a power cut may lose the last turns.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Checkpoints run beside the writer (WALCheckpointer), not inside a turn's commit.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
            // No mmap_size: the file grows with every turn, and each connection that reads past
            // its mapping remaps the file (munmap and TLB flushes on every core); under HTTP load
            // that cost more than the pread per page it saves (bench http: ~8.3k → ~10k turns/s).
        }
        try Self.migrator.migrate(pool)
        readers = ReadConnections(database: pool)
        writer = GroupCommitWriter(pool: pool, checkpointer: try WALCheckpointer(database: pool))
    }

    /// The database file.
    public var path: String { pool.path }

    /// The default location: `<app>/.parley/state.sqlite`.
    public static func defaultPath(forApp root: String) -> String {
        URL(fileURLWithPath: root).appendingPathComponent(".parley/state.sqlite").path
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("runtime-v1") { db in
            try db.execute(sql: """
                CREATE TABLE thread (
                    id TEXT PRIMARY KEY NOT NULL,
                    user_id TEXT NOT NULL,
                    last_sequence INTEGER NOT NULL,
                    state TEXT NOT NULL,
                    updated REAL NOT NULL
                );
                CREATE TABLE user (
                    id TEXT PRIMARY KEY NOT NULL,
                    scope TEXT NOT NULL
                );
                CREATE TABLE ledger (
                    thread_id TEXT NOT NULL,
                    sequence INTEGER NOT NULL,
                    turn INTEGER NOT NULL,
                    type TEXT NOT NULL,
                    sender TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    data TEXT NOT NULL,
                    sensitive INTEGER NOT NULL,
                    time REAL NOT NULL,
                    idempotency_key TEXT,
                    PRIMARY KEY (thread_id, sequence)
                ) WITHOUT ROWID;
                CREATE TABLE idempotency (
                    key TEXT PRIMARY KEY NOT NULL,
                    thread_id TEXT NOT NULL,
                    turn INTEGER NOT NULL,
                    last_sequence INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("runtime-v2-links-inbox") { db in
            try db.execute(sql: """
                CREATE TABLE link (
                    key TEXT PRIMARY KEY NOT NULL,
                    thread_id TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE inbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    event TEXT NOT NULL
                );
                """)
        }
        // The ledger in append order, with an index by thread: clustered by thread, a batch of
        // turns wrote into as many ledger pages as it had threads (each page a WAL frame); in
        // append order its rows share a few.
        migrator.registerMigration("runtime-v3-ledger-append-order") { db in
            try db.execute(sql: """
                CREATE TABLE ledger_v3 (
                    id INTEGER PRIMARY KEY,
                    thread_id TEXT NOT NULL,
                    sequence INTEGER NOT NULL,
                    turn INTEGER NOT NULL,
                    type TEXT NOT NULL,
                    sender TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    data TEXT NOT NULL,
                    sensitive INTEGER NOT NULL,
                    time REAL NOT NULL,
                    idempotency_key TEXT
                );
                INSERT INTO ledger_v3 (thread_id, sequence, turn, type, sender, user_id, data, sensitive, time, idempotency_key)
                SELECT thread_id, sequence, turn, type, sender, user_id, data, sensitive, time, idempotency_key
                FROM ledger ORDER BY time, thread_id, sequence;
                DROP TABLE ledger;
                ALTER TABLE ledger_v3 RENAME TO ledger;
                CREATE UNIQUE INDEX ledger_thread_sequence ON ledger (thread_id, sequence);
                """)
        }
        registerOutboxMigration(in: &migrator)
        return migrator
    }

    public func thread(_ id: String) async throws -> ThreadRecord? {
        try readNow { db in try Self.thread(id, in: db) }
    }

    public func userScope(_ id: String) async throws -> TemplateMap {
        try readNow { db in try Self.userScope(id, in: db) }
    }

    /// The whole start of a turn in one statement (so one read transaction, one step): the
    /// earlier turn filed under the idempotency key, the thread, and its user's scope (the
    /// thread's owner, or `user` for a new thread).
    public func turnStart(thread id: String, user: String, idempotencyKey: String?) async throws -> TurnStart {
        try readNow { db in
            var select = try RawStatement("""
                SELECT i.thread_id, i.turn, i.last_sequence, t.user_id, t.last_sequence, t.state, u.scope
                FROM (SELECT ? AS thread, ? AS user, ? AS key) AS p
                LEFT JOIN idempotency AS i ON i.key = p.key
                LEFT JOIN thread AS t ON t.id = p.thread
                LEFT JOIN user AS u ON u.id = coalesce(nullif(t.user_id, ''), p.user)
                """, in: db)
            defer { select.finish() }
            select.bind(id)
            select.bind(user)
            select.bind(idempotencyKey)
            guard try select.next() else { return .fresh(thread: nil, userScope: [:]) }
            if !select.isNull(0) {
                return .duplicate(TurnReceipt(threadID: select.text(0), turnSequence: select.integer(1), lastSequence: select.integer(2)))
            }
            return .fresh(thread: select.isNull(3) ? nil : Self.thread(id, from: select, at: 3),
                          userScope: Self.scope(from: select, at: 6))
        }
    }

    /// Reads on the calling thread: a turn's read takes microseconds, less than a hop to
    /// another thread and back would.
    ///
    /// Every read of this store is synchronous, so a reader connection is only ever held by a
    /// running thread. GRDB's async reads keep their connection until the awaiting task runs
    /// again; with the connections held that way and the cooperative threads blocked here
    /// waiting for one, no task could run again: the server would hang (a duplicate delivery
    /// read the ledger that way).
    func readNow<T>(_ body: (Database) throws -> T) throws -> T {
        try readers.read(body)
    }

    private static func thread(_ id: String, in db: Database) throws -> ThreadRecord? {
        var select = try RawStatement("SELECT user_id, last_sequence, state FROM thread WHERE id = ?", in: db)
        defer { select.finish() }
        select.bind(id)
        guard try select.next() else { return nil }
        return thread(id, from: select, at: 0)
    }

    static func userScope(_ id: String, in db: Database) throws -> TemplateMap {
        var select = try RawStatement("SELECT scope FROM user WHERE id = ?", in: db)
        defer { select.finish() }
        select.bind(id)
        guard try select.next() else { return [:] }
        return scope(from: select, at: 0)
    }

    /// The thread in the row `select` is on: its user id, last sequence and state JSON in the
    /// columns from `column` on. JSON is parsed straight from SQLite's column buffer.
    private static func thread(_ id: String, from select: RawStatement, at column: Int32) -> ThreadRecord {
        ThreadRecord.restored(id: id, userID: select.text(column), lastSequence: select.integer(column + 1)) {
            try TemplateValue(jsonUTF8: select.utf8(column + 2))
        }
    }

    /// The user scope JSON in `column` (empty when the user has none yet, or when it cannot be
    /// read: the next change writes a readable one).
    private static func scope(from select: RawStatement, at column: Int32) -> TemplateMap {
        guard !select.isNull(column), case .map(let scope)? = try? TemplateValue(jsonUTF8: select.utf8(column)) else { return [:] }
        return scope
    }

    @discardableResult
    public func commit(_ turn: TurnCommit) async throws -> [OutboxItem] {
        // Encode here, on the turn's own task: the single writer binds and steps (and merges a
        // changed user scope into the stored one: two threads of one user may change it at once).
        let ids = try await writer.write(EncodedTurn(turn))
        return zip(ids, turn.outbound).map { OutboxItem(id: $0, threadID: turn.thread.id, work: $1) }
    }

    public func events(thread: String, after sequence: Int, limit: Int) async throws -> [Event] {
        try readNow { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT sequence, type, sender, user_id, data, sensitive, time, idempotency_key FROM ledger
                WHERE thread_id = ? AND sequence > ? ORDER BY sequence LIMIT ?
                """, arguments: [thread, sequence, limit])
            return try rows.map { row in
                let data = try TemplateMap(storedJSON: row["data"], what: "event data")
                return Event(type: row["type"], threadID: thread, sender: Sender(rawValue: row["sender"]) ?? .system,
                             userID: row["user_id"], data: data, idempotencyKey: row["idempotency_key"],
                             isSensitive: row["sensitive"], time: Date(timeIntervalSince1970: row["time"]), sequence: row["sequence"])
            }
        }
    }

    public func thread(forLink key: String) async throws -> String? {
        try readNow { db in try String.fetchOne(db, sql: "SELECT thread_id FROM link WHERE key = ?", arguments: [key]) }
    }

    public func enqueueInbound(_ event: Event) async throws -> Int64 {
        let json = event.inboxJSON
        return try await pool.write { db in
            try db.execute(sql: "INSERT INTO inbox (event) VALUES (?)", arguments: [json])
            return db.lastInsertedRowID
        }
    }

    public func pendingInbound() async throws -> [InboxEntry] {
        try readNow { db in
            try Row.fetchAll(db, sql: "SELECT id, event FROM inbox ORDER BY id").map { row in
                InboxEntry(id: row["id"], event: try Event(inboxJSON: row["event"]))
            }
        }
    }

    public func removeInbound(_ id: Int64) async throws {
        try await pool.write { db in try db.execute(sql: "DELETE FROM inbox WHERE id = ?", arguments: [id]) }
    }

    /// Writes a batch of turns inside an open transaction: thread rows, user scopes, ledger
    /// events, outbound work and timers; returns each turn's outbound work ids.
    static func write(_ batch: [EncodedTurn], in db: Database) throws -> [[Int64]] {
        var outboxIDs: [[Int64]] = []
        outboxIDs.reserveCapacity(batch.count)
        // Looked up once a batch: finding a cached statement hashes its SQL text.
        var upsert = try RawStatement("""
            INSERT INTO thread (id, user_id, last_sequence, state, updated) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET user_id = excluded.user_id, last_sequence = excluded.last_sequence,
            state = excluded.state, updated = excluded.updated
            """, in: db)
        var user = try RawStatement("INSERT INTO user (id, scope) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET scope = excluded.scope", in: db)
        var receipt = try RawStatement("INSERT OR IGNORE INTO idempotency (key, thread_id, turn, last_sequence) VALUES (?, ?, ?, ?)", in: db)
        var insert = try RawStatement("""
            INSERT INTO ledger (thread_id, sequence, turn, type, sender, user_id, data, sensitive, time, idempotency_key)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, in: db)
        for turn in batch {
            upsert.bind(turn.threadID)
            upsert.bind(turn.userID)
            upsert.bind(turn.lastSequence)
            upsert.bind(utf8: turn.stateJSON)
            upsert.bind(turn.updated)
            try upsert.run()
            if !turn.userChanges.isEmpty {
                var scope = try userScope(turn.userID, in: db)
                for (key, value) in turn.userChanges { scope[key] = value }
                user.bind(turn.userID)
                var json = JSONWriter()
                json.write(scope)
                user.bind(utf8: json.bytes)
                try user.run()
            }
            if let key = turn.idempotencyKey {
                receipt.bind(key)
                receipt.bind(turn.threadID)
                receipt.bind(turn.turnSequence)
                receipt.bind(turn.lastSequence)
                try receipt.run()
            }
            for row in turn.rows {
                insert.bind(turn.threadID)
                insert.bind(row.sequence)
                insert.bind(turn.turnSequence)
                insert.bind(row.type)
                insert.bind(row.sender)
                insert.bind(row.userID)
                insert.bind(utf8: row.dataJSON)
                insert.bind(row.sensitive)
                insert.bind(row.time)
                insert.bind(row.idempotencyKey)
                try insert.run()
            }
            for (key, linked) in turn.linkChanges {
                if linked {
                    try db.execute(sql: "INSERT INTO link (key, thread_id) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET thread_id = excluded.thread_id",
                                   arguments: [key, turn.threadID])
                } else {
                    try db.execute(sql: "DELETE FROM link WHERE key = ? AND thread_id = ?", arguments: [key, turn.threadID])
                }
            }
            if let id = turn.inboxID {
                try db.execute(sql: "DELETE FROM inbox WHERE id = ?", arguments: [id])
            }
            outboxIDs.append(try turn.outbox.map { try writeOutbox($0, threadID: turn.threadID, in: db) } ?? [])
        }
        return outboxIDs
    }
}

/// A turn ready for the database: every value already encoded.
package struct EncodedTurn: Sendable {
    /// One ledger event; its thread and turn are the turn's.
    package struct Row: Sendable {
        package var sequence: Int
        package var type: String
        package var sender: String
        package var userID: String
        package var dataJSON: [UInt8]
        package var sensitive: Bool
        package var time: Double
        package var idempotencyKey: String?
    }

    package var threadID: String
    package var userID: String
    package var lastSequence: Int
    package var stateJSON: [UInt8]
    package var updated: Double
    package var userChanges: [(key: String, value: TemplateValue?)]
    package var idempotencyKey: String?
    package var turnSequence: Int
    package var rows: [Row]
    package var linkChanges: [(key: String, linked: Bool)]
    package var inboxID: Int64?
    /// Outbound work and timer changes; nil for the many turns with none.
    package var outbox: EncodedOutbox?

    /// - Throws: `StoredValueTooDeep` when the turn's writes nest deeper than
    ///   `JSONLimits.storedDepth` (nothing is written then).
    package init(_ turn: TurnCommit) throws(StoredValueTooDeep) {
        let thread = turn.thread
        threadID = thread.id
        userID = thread.userID
        lastSequence = thread.lastSequence
        var state = JSONWriter(capacity: 512)
        thread.writeState(into: &state)
        guard state.deepest <= JSONLimits.storedDepth else { throw StoredValueTooDeep(what: "the thread's state") }
        stateJSON = state.bytes
        updated = Date().timeIntervalSince1970
        userChanges = turn.userChanges.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        // A user scope is an object of these values: one level more.
        if let deep = userChanges.first(where: { $0.value?.nests(deeperThan: JSONLimits.storedDepth - 1) == true }) {
            throw StoredValueTooDeep(what: "`user.\(deep.key)`")
        }
        idempotencyKey = turn.events.first?.idempotencyKey
        turnSequence = turn.turnSequence
        linkChanges = turn.linkChanges.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        inboxID = turn.inboxID
        outbox = turn.outbound.isEmpty && turn.timerChanges.isEmpty ? nil : try EncodedOutbox(turn)
        rows = try turn.events.map { event throws(StoredValueTooDeep) in
            var data = JSONWriter(capacity: 128)
            data.write(event.data)
            guard data.deepest <= JSONLimits.storedDepth else { throw StoredValueTooDeep(what: "the data of a `\(event.type)` event") }
            return Row(sequence: event.sequence, type: event.type, sender: event.sender.rawValue, userID: event.userID,
                       dataJSON: data.bytes, sensitive: event.isSensitive, time: event.time.timeIntervalSince1970,
                       idempotencyKey: event.idempotencyKey)
        }
    }
}
