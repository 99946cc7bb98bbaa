import FlowDSL
import Foundation
import GRDB

/// The outbox and the timers of a `SQLiteStore`: written with the turns that cause them, in the
/// same transaction, by the group-commit writer; delivered and fired through the queries here.
///
/// Ids are `AUTOINCREMENT`: never reused, so an id names one item or timer for ever (a fired
/// timer's event is filed under its id as idempotency key).
extension SQLiteStore {
    static func registerOutboxMigration(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("runtime-v4-outbox-timers") { db in
            try db.execute(sql: """
                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    thread_id TEXT NOT NULL,
                    integration TEXT NOT NULL,
                    lane TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    not_before REAL NOT NULL DEFAULT 0
                );
                CREATE INDEX outbox_thread ON outbox (thread_id, id);
                CREATE TABLE timer (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    thread_id TEXT NOT NULL,
                    name TEXT NOT NULL,
                    due REAL NOT NULL,
                    data TEXT NOT NULL,
                    UNIQUE (thread_id, name)
                );
                CREATE INDEX timer_due ON timer (due);
                """)
        }
        migrator.registerMigration("runtime-v5-timer-event-type") { db in
            try db.execute(sql: "ALTER TABLE timer ADD COLUMN event_type TEXT NOT NULL DEFAULT '\(EventTypes.timerFired)'")
        }
    }

    /// Writes a turn's outbound work and timer changes inside the batch's transaction; returns
    /// the work's ids, in order.
    static func writeOutbox(_ outbox: EncodedOutbox, threadID: String, in db: Database) throws -> [Int64] {
        var ids: [Int64] = []
        for work in outbox.outbound {
            try db.execute(sql: "INSERT INTO outbox (thread_id, integration, lane, kind, payload) VALUES (?, ?, ?, ?, ?)",
                           arguments: [threadID, work.integration, work.lane, work.kind, work.payloadJSON])
            ids.append(db.lastInsertedRowID)
        }
        for change in outbox.timerChanges {
            try db.execute(sql: "DELETE FROM timer WHERE thread_id = ? AND name = ?", arguments: [threadID, change.name])
            if let due = change.due {
                try db.execute(sql: "INSERT INTO timer (thread_id, name, due, data, event_type) VALUES (?, ?, ?, ?, ?)",
                               arguments: [threadID, change.name, due, change.dataJSON, change.eventType])
            }
        }
        return ids
    }

    public func pendingOutbox() async throws -> [OutboxItem] {
        try readNow { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, thread_id, integration, lane, kind, payload, attempts, not_before FROM outbox ORDER BY id
                """)
            return try rows.map { row in
                OutboxItem(id: row["id"], threadID: row["thread_id"],
                           work: OutboundWork(integration: row["integration"], lane: row["lane"], kind: row["kind"],
                                              payload: try TemplateMap(storedJSON: row["payload"], what: "an outbox payload")),
                           attempts: row["attempts"], notBefore: Date(timeIntervalSince1970: row["not_before"]))
            }
        }
    }

    public func finishOutbox(_ id: Int64, reply: Event?) async throws -> Int64? {
        let json = reply?.inboxJSON
        return try await pool.write { db in
            try db.execute(sql: "DELETE FROM outbox WHERE id = ?", arguments: [id])
            guard let json else { return nil }
            try db.execute(sql: "INSERT INTO inbox (event) VALUES (?)", arguments: [json])
            return db.lastInsertedRowID
        }
    }

    public func postponeOutbox(_ id: Int64, attempts: Int, notBefore: Date) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE outbox SET attempts = ?, not_before = ? WHERE id = ?",
                           arguments: [attempts, notBefore.timeIntervalSince1970, id])
        }
    }

    public func dueTimers(at time: Date) async throws -> [StoredTimer] {
        try readNow { db in
            try Row.fetchAll(db, sql: "SELECT id, thread_id, name, due, data, event_type FROM timer WHERE due <= ? ORDER BY due, id",
                             arguments: [time.timeIntervalSince1970]).map { row in
                StoredTimer(id: row["id"], timer: DurableTimer(threadID: row["thread_id"], name: row["name"],
                                                               due: Date(timeIntervalSince1970: row["due"]),
                                                               data: try TemplateMap(storedJSON: row["data"], what: "a timer's data"),
                                                               eventType: row["event_type"]))
            }
        }
    }

    public func backlog() async throws -> StoreBacklog {
        try readNow { db in
            let row = try Row.fetchOne(db, sql: "SELECT (SELECT count(*) FROM inbox), (SELECT count(*) FROM outbox), (SELECT count(*) FROM timer)")!
            return StoreBacklog(inbox: row[0], outbox: row[1], timers: row[2])
        }
    }

    public func nextTimerDue() async throws -> Date? {
        try readNow { db in
            try Double.fetchOne(db, sql: "SELECT min(due) FROM timer").map { Date(timeIntervalSince1970: $0) }
        }
    }

    public func fireTimer(_ timer: StoredTimer, event: Event) async throws -> Int64? {
        let json = event.inboxJSON
        return try await pool.write { db in
            try db.execute(sql: "DELETE FROM timer WHERE id = ?", arguments: [timer.id])
            guard db.changesCount > 0 else { return nil }
            try db.execute(sql: "INSERT INTO inbox (event) VALUES (?)", arguments: [json])
            return db.lastInsertedRowID
        }
    }
}

/// A turn's outbound work and timer changes, encoded for the database.
package struct EncodedOutbox: Sendable {
    package struct Work: Sendable {
        package var integration: String
        package var lane: String
        package var kind: String
        package var payloadJSON: String
    }

    package struct TimerChange: Sendable {
        package var name: String
        /// nil: cancelled.
        package var due: Double?
        package var dataJSON: String
        package var eventType: String
    }

    package var outbound: [Work] = []
    package var timerChanges: [TimerChange] = []

    package init(_ turn: TurnCommit) throws(StoredValueTooDeep) {
        for work in turn.outbound {
            let payload = TemplateValue.map(work.payload)
            if payload.nests(deeperThan: JSONLimits.storedDepth) { throw StoredValueTooDeep(what: "the outbound `\(work.kind)`") }
            outbound.append(Work(integration: work.integration, lane: work.lane, kind: work.kind, payloadJSON: payload.jsonText))
        }
        for (name, timer) in turn.timerChanges.sorted(by: { $0.key < $1.key }) {
            let data = TemplateValue.map(timer?.data ?? [:])
            if data.nests(deeperThan: JSONLimits.storedDepth) { throw StoredValueTooDeep(what: "the timer `\(name)`") }
            timerChanges.append(TimerChange(name: name, due: timer?.due.timeIntervalSince1970, dataJSON: data.jsonText,
                                            eventType: timer?.eventType ?? EventTypes.timerFired))
        }
    }
}
