import BotRuntime
import FlowDSL
import Foundation
import GRDB
import SharedTestFixtures
import Testing

@Suite("SQLite store")
struct SQLiteStoreTests {
    static func temporaryDatabase() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("parley-\(UUID().uuidString)/state.sqlite").path
    }

    @Test("a file from before the ledger moved to append order opens with its ledger whole and in order")
    func ledgerMigration() async throws {
        let path = Self.temporaryDatabase()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path,
                                                withIntermediateDirectories: true)
        // The ledger as the first two schema versions made it, with a conversation on two threads.
        let old = try DatabaseQueue(path: path)
        try await old.write { db in
            try db.execute(sql: """
                CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                INSERT INTO grdb_migrations VALUES ('runtime-v1'), ('runtime-v2-links-inbox');
                CREATE TABLE thread (id TEXT PRIMARY KEY NOT NULL, user_id TEXT NOT NULL, last_sequence INTEGER NOT NULL,
                                     state TEXT NOT NULL, updated REAL NOT NULL);
                CREATE TABLE user (id TEXT PRIMARY KEY NOT NULL, scope TEXT NOT NULL);
                CREATE TABLE ledger (thread_id TEXT NOT NULL, sequence INTEGER NOT NULL, turn INTEGER NOT NULL, type TEXT NOT NULL,
                                     sender TEXT NOT NULL, user_id TEXT NOT NULL, data TEXT NOT NULL, sensitive INTEGER NOT NULL,
                                     time REAL NOT NULL, idempotency_key TEXT, PRIMARY KEY (thread_id, sequence)) WITHOUT ROWID;
                CREATE TABLE idempotency (key TEXT PRIMARY KEY NOT NULL, thread_id TEXT NOT NULL, turn INTEGER NOT NULL,
                                          last_sequence INTEGER NOT NULL) WITHOUT ROWID;
                CREATE TABLE link (key TEXT PRIMARY KEY NOT NULL, thread_id TEXT NOT NULL) WITHOUT ROWID;
                CREATE TABLE inbox (id INTEGER PRIMARY KEY AUTOINCREMENT, event TEXT NOT NULL);
                INSERT INTO ledger VALUES
                    ('t2', 1, 1, 'meya.text.event.say', 'user', 'u2', '{"text":"hello"}', 0, 10.0, NULL),
                    ('t1', 1, 1, 'meya.text.event.say', 'user', 'u1', '{"text":"start"}', 0, 20.0, 'wamid.1'),
                    ('t1', 2, 1, 'meya.text.event.ask', 'bot', 'u1', '{"text":"What''s your name?"}', 0, 20.0, NULL),
                    ('t1', 3, 3, 'meya.text.event.say', 'user', 'u1', '{"text":"secret"}', 1, 30.0, NULL);
                """)
        }
        try old.close()

        let store = try SQLiteStore(path: path)
        let t1 = try await store.events(thread: "t1", after: 0, limit: 10)
        #expect(t1.map(\.sequence) == [1, 2, 3])
        #expect(t1.map(\.text) == ["start", "What's your name?", "secret"])
        #expect(t1.map(\.isSensitive) == [false, false, true])
        #expect(t1.first?.idempotencyKey == "wamid.1")
        #expect(t1.last?.time == Date(timeIntervalSince1970: 30))
        #expect(try await store.events(thread: "t1", after: 1, limit: 1).map(\.sequence) == [2])
        #expect(try await store.events(thread: "t2", after: 0, limit: 10).map(\.text) == ["hello"])
        // New turns append after the migrated ones, and a sequence number is still unique per thread.
        let next = Event(type: EventTypes.say, threadID: "t1", userID: "u1", data: ["text": .string("Ana")], sequence: 4)
        try await store.commit(TurnCommit(thread: ThreadRecord(id: "t1", userID: "u1", lastSequence: 4), userChanges: [:],
                                          events: [next], turnSequence: 4))
        #expect(try await store.events(thread: "t1", after: 3, limit: 10).map(\.text) == ["Ana"])
        await #expect(throws: (any Error).self) {
            try await store.commit(TurnCommit(thread: ThreadRecord(id: "t1", userID: "u1", lastSequence: 4), userChanges: [:],
                                              events: [next], turnSequence: 4))
        }
    }

    /// Commits `count` one-event turns on distinct threads, 100 at a time, numbered from `first`.
    static func commitTurns(_ store: SQLiteStore, from first: Int, count: Int) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<100 {
                group.addTask {
                    for number in stride(from: first + worker, to: first + count, by: 100) {
                        let thread = ThreadRecord(id: "t\(number)", userID: "u\(number)", scope: ["mode": .string("bot")], lastSequence: 1)
                        let event = Event(type: EventTypes.say, threadID: thread.id, userID: thread.userID,
                                          data: ["text": .string("message \(number)")], sequence: 1)
                        try await store.commit(TurnCommit(thread: thread, userChanges: [:], events: [event], turnSequence: 1))
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// How many times the write-ahead log at `path` was started over: SQLite counts its restarts
    /// in the log's header (bytes 12–15, big-endian).
    static func logRestarts(_ path: String) throws -> Int {
        let header = try Data(contentsOf: URL(fileURLWithPath: path + "-wal")).prefix(16)
        return header.dropFirst(12).reduce(0) { $0 << 8 | Int($1) }
    }

    @Test("the write-ahead log is copied back while turns are committed, and started over every 5,000 turns")
    func checkpoints() async throws {
        let path = Self.temporaryDatabase()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        let store = try SQLiteStore(path: path)
        let emptyDatabase = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        try await Self.commitTurns(store, from: 0, count: 30_000)
        // Without checkpoints every page would stay in the log and the database file would not grow.
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0 > emptyDatabase + 1_000_000)
        // A restart waits for a copy in progress, so it may come a transaction or two late: 5 or 6.
        #expect(try Self.logRestarts(path) >= 5)
        let reopened = try SQLiteStore(path: path)
        #expect(try await reopened.events(thread: "t29999", after: 0, limit: 10).first?.text == "message 29999")
        #expect(try await reopened.thread("t0")?.lastSequence == 1)
    }

    @Test("a reader holding a transaction open does not hold up turns when the log is due to start over",
          .timeLimit(.minutes(1)))
    func longReader() async throws {
        let path = Self.temporaryDatabase()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        let store = try SQLiteStore(path: path)
        try await Self.commitTurns(store, from: 0, count: 100)
        // Another process's reader (a `sqlite3` shell, a backup) in a read transaction it keeps open.
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true  // the transaction spans two accesses
        let reader = try DatabaseQueue(path: path, configuration: configuration)
        try await reader.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN")
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM thread") == 100)
        }
        // Past the 5,000-turn restart: it cannot start the log over while the reader is in it,
        // and must not make every later transaction wait for the reader (10 s each, before).
        try await Self.commitTurns(store, from: 100, count: 6_000)
        try await reader.writeWithoutTransaction { db in
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM thread") == 100)  // its snapshot
            try db.execute(sql: "COMMIT")
        }
        #expect(try await store.thread("t6099")?.lastSequence == 1)
        // Once the reader is gone, the log starts over again.
        let restarts = try Self.logRestarts(path)
        try await Self.commitTurns(store, from: 6_100, count: 5_100)
        #expect(try Self.logRestarts(path) > restarts)
    }
}
