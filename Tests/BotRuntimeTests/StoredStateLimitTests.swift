import BotRuntime
import FlowDSL
import Foundation
import GRDB
import SharedTestFixtures
import Testing

/// What is accepted is always readable again: a turn never stores state deeper than the store
/// reads back, and a thread whose stored state cannot be read is reset and told, not broken.
@Suite("Stored state limits")
struct StoredStateLimitTests {
    /// Each message wraps `thread.box` in one more list.
    static let app: BotApp = {
        AppLoader().load(sources: [AppSource(path: "flow/wrap.yaml", text: """
            triggers:
              - catchall
            steps:
              - thread_set:
                  box: (@ [thread.box | default(0)] )
              - say: wrapped
            """)]).app!
    }()

    static func folder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("parley-limits-\(UUID().uuidString)")
    }

    static func say(_ engine: BotEngine, _ text: String = "again") async throws -> [String] {
        try await engine.handle(Event(type: EventTypes.say, threadID: "t1", userID: "u1", data: ["text": .string(text)])).plainLines
    }

    static func depth(_ value: TemplateValue?) -> Int {
        guard case .list(let items)? = value else { return 0 }
        return 1 + depth(items.first)
    }

    @Test("a turn whose state would nest past the stored limit keeps the earlier state and files an error; the thread reads back after a restart")
    func tooDeepTurn() async throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("state.sqlite").path
        do {
            let engine = BotEngine(app: Self.app, store: try SQLiteStore(path: path), logger: TestLogs.logger("parley.runtime"))
            var refused = 0
            for _ in 0..<(JSONLimits.storedDepth + 5) {
                let lines = try await Self.say(engine)
                if lines == ["bot: wrapped"] { continue }
                refused += 1
                #expect(lines.count == 1 && lines[0].hasPrefix("error: this turn changed nothing: the thread's state nests deeper than"))
            }
            #expect(refused > 0)
        }
        let engine = BotEngine(app: Self.app, store: try SQLiteStore(path: path), logger: TestLogs.logger("parley.runtime"))
        let thread = try #require(try await engine.thread("t1"))
        #expect(thread.unreadable == nil)
        #expect(Self.depth(thread.scope["box"]) < JSONLimits.storedDepth)
        let ledger = try await engine.events(thread: "t1", limit: 10_000)
        #expect(ledger.map(\.sequence) == Array(1...ledger.count))
        #expect(ledger.filter { $0.sender == .user }.count == JSONLimits.storedDepth + 5)
    }

    @Test("stored state the store cannot read (an older version's, a damaged file) is reset, reported once, and the thread goes on")
    func unreadableState() async throws {
        let folder = Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("state.sqlite").path
        do {
            let engine = BotEngine(app: Self.app, store: try SQLiteStore(path: path), logger: TestLogs.logger("parley.runtime"))
            #expect(try await Self.say(engine) == ["bot: wrapped"])
        }
        // What an older version wrote: scope nested past what any reader takes.
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: "UPDATE thread SET state = ? WHERE id = 't1'", arguments: [#"{"scope":{"mode":"bot","box":\#(deep)}}"#])
            try db.execute(sql: "UPDATE user SET scope = ? WHERE id = 'u1'", arguments: ["{not json"])
        }
        try queue.close()

        let engine = BotEngine(app: Self.app, store: try SQLiteStore(path: path), logger: TestLogs.logger("parley.runtime"))
        let read = try #require(try await engine.thread("t1"))
        #expect(read.unreadable?.hasPrefix("the thread's state: invalid JSON") == true)
        #expect(read.lastSequence == 2)
        #expect(try await engine.userScope("u1") == [:])

        let lines = try await Self.say(engine)
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("error: the conversation's saved state could not be read and was reset") == true)
        #expect(lines.last == "bot: wrapped")
        #expect(try await Self.say(engine) == ["bot: wrapped"])
        let thread = try #require(try await engine.thread("t1"))
        #expect(thread.unreadable == nil)
        #expect(Self.depth(thread.scope["box"]) == 2)
        #expect(try await engine.events(thread: "t1").map(\.sequence) == Array(1...7))
    }
}
