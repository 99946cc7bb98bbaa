import BotRuntime
import FlowDSL
import Foundation
import Testing

@Suite("SQLite store")
struct SQLiteStoreTests {
    static let app: BotApp = {
        AppLoader().load(sources: [AppSource(path: "flow/a.yaml", text: """
            triggers:
              - keyword: start
            steps:
              - ask: What's your name?
              - user_set: name
              - ask: Hi (@ user.name )! Hardware or software?
                buttons:
                  - text: Hardware
                    result: hardware
              - say: Noted, (@ flow.result ) (@ 1.0 ).
            """)]).app!
    }()

    static func temporaryDatabase() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("parley-\(UUID().uuidString)/state.sqlite").path
    }

    static func say(_ text: String, _ engine: BotEngine) async throws -> [String] {
        try await engine.handle(Event(type: EventTypes.say, threadID: "t1", userID: "u1", data: ["text": .string(text)])).plainLines
    }

    @Test("a conversation continues after a restart in the middle of a question")
    func restartMidQuestion() async throws {
        let path = Self.temporaryDatabase()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        do {
            let engine = BotEngine(app: Self.app, store: try SQLiteStore(path: path))
            #expect(try await Self.say("start", engine) == ["bot: What's your name?"])
            #expect(try await Self.say("Ana", engine) == ["bot: Hi Ana! Hardware or software?", "button: Hardware"])
        }
        // A new process: a new store on the same file, a new engine.
        let engine = BotEngine(app: Self.app, store: try SQLiteStore(path: path))
        let result = try await engine.handle(Event(type: EventTypes.click, threadID: "t1", userID: "u1",
                                                   data: ["button_id": .string("flow.a.steps.2.buttons.0")]))
        #expect(result.plainLines == ["bot: Noted, hardware 1.0."])
        #expect(try await engine.userScope("u1")["name"] == .string("Ana"))
        let ledger = try await engine.events(thread: "t1")
        #expect(ledger.map(\.sequence) == Array(1...ledger.count))
        #expect(ledger.first?.text == "start")
    }

    @Test("idempotency keys survive a restart")
    func idempotencyAcrossRestart() async throws {
        let path = Self.temporaryDatabase()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        let event = Event(type: EventTypes.say, threadID: "t1", userID: "u1", data: ["text": .string("start")], idempotencyKey: "wamid.1")
        let first = try await BotEngine(app: Self.app, store: try SQLiteStore(path: path)).handle(event)
        let again = try await BotEngine(app: Self.app, store: try SQLiteStore(path: path)).handle(event)
        #expect(again.isDuplicate)
        #expect(again.plainLines == first.plainLines)
    }

    @Test("thread state and values round-trip exactly (ints, floats, unicode, nesting)")
    func roundTrip() async throws {
        let path = Self.temporaryDatabase()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path) }
        let store = try SQLiteStore(path: path)
        let scope: TemplateMap = ["i": .int(-3), "f": .double(2.0), "s": .string("quote \" é 🎉\n"), "l": .list([.none, .bool(true)]),
                                  "m": .map(["z": .int(1), "a": .int(2)])]
        let thread = ThreadRecord(id: "t", userID: "u", scope: scope, lastSequence: 1)
        try await store.commit(TurnCommit(thread: thread, userChanges: ["k": .some(.double(0.1))],
                                          events: [Event(type: EventTypes.say, threadID: "t", userID: "u", data: ["text": .string("x")], sequence: 1)],
                                          turnSequence: 1))
        #expect(try await store.thread("t") == thread)
        #expect(try await store.userScope("u") == ["k": .double(0.1)])
    }
}
