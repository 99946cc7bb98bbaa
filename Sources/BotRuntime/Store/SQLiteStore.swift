import FlowDSL
import OrderedCollections
import Foundation
import GRDB

/// The durable `BotStore`: one SQLite file (WAL) in the app's `.parley/` folder.
///
/// Turns are written by a group-commit writer: turns that finish while a transaction is being
/// written wait and go into the next one together. Each turn is still all-or-nothing, and a
/// turn is acknowledged only after its transaction is on disk.
public final class SQLiteStore: BotStore {
    private let pool: DatabasePool
    private let writer: GroupCommitWriter

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    public init(path: String) throws {
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            // WAL with NORMAL sync survives a killed process; see docs for power-loss trade-offs.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        configuration.busyMode = .timeout(10)
        pool = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(pool)
        writer = GroupCommitWriter(pool: pool)
    }

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
                    updated TEXT NOT NULL
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
        return migrator
    }

    public func thread(_ id: String) async throws -> ThreadRecord? {
        try await pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT user_id, last_sequence, state FROM thread WHERE id = ?", arguments: [id]) else {
                return nil
            }
            return try ThreadRecord(id: id, userID: row["user_id"], lastSequence: row["last_sequence"], stateJSON: row["state"])
        }
    }

    public func userScope(_ id: String) async throws -> TemplateMap {
        try await pool.read { db in
            guard let json = try String.fetchOne(db, sql: "SELECT scope FROM user WHERE id = ?", arguments: [id]),
                  case .map(let scope) = try TemplateValue(jsonText: json) else { return [:] }
            return scope
        }
    }

    public func turn(forIdempotencyKey key: String) async throws -> TurnReceipt? {
        try await pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT thread_id, turn, last_sequence FROM idempotency WHERE key = ?", arguments: [key]) else {
                return nil
            }
            return TurnReceipt(threadID: row["thread_id"], turnSequence: row["turn"], lastSequence: row["last_sequence"])
        }
    }

    public func commit(_ turn: TurnCommit) async throws {
        try await writer.write(turn)
    }

    public func events(thread: String, after sequence: Int, limit: Int) async throws -> [Event] {
        try await pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT sequence, type, sender, user_id, data, sensitive, time, idempotency_key FROM ledger
                WHERE thread_id = ? AND sequence > ? ORDER BY sequence LIMIT ?
                """, arguments: [thread, sequence, limit])
            return try rows.map { row in
                guard case .map(let data) = try TemplateValue(jsonText: row["data"]) else { throw JSONValueError(message: "event data is not an object", offset: 0) }
                return Event(type: row["type"], threadID: thread, sender: Sender(rawValue: row["sender"]) ?? .system,
                             userID: row["user_id"], data: data, idempotencyKey: row["idempotency_key"],
                             isSensitive: row["sensitive"], time: Date(timeIntervalSince1970: row["time"]), sequence: row["sequence"])
            }
        }
    }

    /// Writes one turn inside an open transaction.
    static func write(_ turn: TurnCommit, in db: Database) throws {
        let thread = turn.thread
        try db.execute(sql: """
            INSERT INTO thread (id, user_id, last_sequence, state, updated) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET user_id = excluded.user_id, last_sequence = excluded.last_sequence,
            state = excluded.state, updated = excluded.updated
            """, arguments: [thread.id, thread.userID, thread.lastSequence, thread.stateValue.jsonText, ISO8601DateFormatter.parley.string(from: Date())])
        if !turn.userChanges.isEmpty {
            var scope = TemplateMap()
            if let json = try String.fetchOne(db, sql: "SELECT scope FROM user WHERE id = ?", arguments: [thread.userID]),
               case .map(let stored) = try TemplateValue(jsonText: json) {
                scope = stored
            }
            for (key, value) in turn.userChanges.sorted(by: { $0.key < $1.key }) { scope[key] = value }
            try db.execute(sql: "INSERT INTO user (id, scope) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET scope = excluded.scope",
                           arguments: [thread.userID, TemplateValue.map(scope).jsonText])
        }
        let insert = try db.cachedStatement(sql: """
            INSERT INTO ledger (thread_id, sequence, turn, type, sender, user_id, data, sensitive, time, idempotency_key)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for event in turn.events {
            try insert.execute(arguments: [thread.id, event.sequence, turn.turnSequence, event.type, event.sender.rawValue, event.userID,
                                           TemplateValue.map(event.data).jsonText, event.isSensitive, event.time.timeIntervalSince1970,
                                           event.idempotencyKey])
        }
        if let key = turn.events.first?.idempotencyKey {
            try db.execute(sql: "INSERT OR IGNORE INTO idempotency (key, thread_id, turn, last_sequence) VALUES (?, ?, ?, ?)",
                           arguments: [key, thread.id, turn.turnSequence, thread.lastSequence])
        }
    }
}

extension ISO8601DateFormatter {
    /// ISO 8601 in UTC with fractional seconds.
    nonisolated(unsafe) static let parley: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
}
