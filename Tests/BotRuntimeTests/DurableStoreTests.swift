import BotRuntime
import FlowDSL
import Foundation
import SharedTestFixtures
import Testing

/// What every durable store keeps across a restart, on SQLite and on PostgreSQL.
@Suite("Durable stores")
struct DurableStoreTests {
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

    static func say(_ text: String, _ engine: BotEngine) async throws -> [String] {
        try await engine.handle(Event(type: EventTypes.say, threadID: "t1", userID: "u1", data: ["text": .string(text)])).plainLines
    }

    static func engine(_ store: any BotStore) -> BotEngine {
        BotEngine(app: Self.app, store: store, logger: TestLogs.logger("parley.runtime"))
    }

    @Test("a conversation continues after a restart in the middle of a question", arguments: StoreKind.durable)
    func restartMidQuestion(_ kind: StoreKind) async throws {
        let place = try await kind.place()
        do {
            let engine = Self.engine(try await place.open())
            #expect(try await Self.say("start", engine) == ["bot: What's your name?"])
            #expect(try await Self.say("Ana", engine) == ["bot: Hi Ana! Hardware or software?", "button: Hardware"])
            await engine.store.close()
        }
        // A new process: a new store on the same file or database, a new engine.
        let engine = Self.engine(try await place.open())
        let result = try await engine.handle(Event(type: EventTypes.click, threadID: "t1", userID: "u1",
                                                   data: ["button_id": .string("flow.a.steps.2.buttons.0")]))
        #expect(result.plainLines == ["bot: Noted, hardware 1.0."])
        #expect(try await engine.userScope("u1")["name"] == .string("Ana"))
        let ledger = try await engine.events(thread: "t1")
        #expect(ledger.map(\.sequence) == Array(1...ledger.count))
        #expect(ledger.first?.text == "start")
        await engine.store.close()
    }

    @Test("idempotency keys survive a restart", arguments: StoreKind.durable)
    func idempotencyAcrossRestart(_ kind: StoreKind) async throws {
        let place = try await kind.place()
        let event = Event(type: EventTypes.say, threadID: "t1", userID: "u1", data: ["text": .string("start")], idempotencyKey: "wamid.1")
        let firstStore = try await place.open()
        let first = try await Self.engine(firstStore).handle(event)
        await firstStore.close()
        let againStore = try await place.open()
        let again = try await Self.engine(againStore).handle(event)
        #expect(again.isDuplicate)
        #expect(again.plainLines == first.plainLines)
        await againStore.close()
    }

    @Test("thread state and values round-trip exactly (ints, floats, unicode, nesting)", arguments: StoreKind.durable)
    func roundTrip(_ kind: StoreKind) async throws {
        let store = try await kind.place().open()
        let scope: TemplateMap = ["i": .int(-3), "f": .double(2.0), "s": .string("quote \" é 🎉\n"), "l": .list([.none, .bool(true)]),
                                  "m": .map(["z": .int(1), "a": .int(2)])]
        let thread = ThreadRecord(id: "t", userID: "u", scope: scope, lastSequence: 1)
        try await store.commit(TurnCommit(thread: thread, userChanges: ["k": .some(.double(0.1))],
                                          events: [Event(type: EventTypes.say, threadID: "t", userID: "u", data: ["text": .string("x")], sequence: 1)],
                                          turnSequence: 1))
        #expect(try await store.thread("t") == thread)
        #expect(try await store.userScope("u") == ["k": .double(0.1)])
        await store.close()
    }
}
