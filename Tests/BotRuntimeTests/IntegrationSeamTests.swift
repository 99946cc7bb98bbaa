import BotRuntime
import FlowDSL
import Foundation
import SharedTestFixtures
import Synchronization
import Testing

/// The engine's seam for integrations: components that link a thread, `prepare` changing the
/// thread before triggers, `outboundWork` in ledger order, and the durable inbox.
@Suite("Integration seam")
struct IntegrationSeamTests {
    /// A made-up integration: `handoff.link` links the thread to a key and enters agent mode;
    /// a `handoff.release` event gives it back to the bot before its flows run.
    final class HandoffIntegration: Integration, ComponentHandler {
        static let releaseEvent = "test.handoff.event.release"
        static let earlyEvent = "test.handoff.event.early"
        let elementType = "test.handoff.integration"
        var types: [String] { ["test.handoff.component.link"] }
        var components: [any ComponentHandler] { [self] }
        let committed = Mutex<[[String]]>([])

        init(setup: IntegrationSetup = IntegrationSetup()) {}

        static func register(in registry: inout ElementRegistry) {
            registry.register(ElementSpec("test.handoff.integration", kind: .integration))
            registry.register(ElementSpec("test.handoff.component.link", kind: .component, parent: "meya.component.element",
                                          fields: [FieldSpec("key", .string, required: true)]))
            registry.register(event: EventTypeSpec(releaseEvent))
            registry.register(event: EventTypeSpec(earlyEvent))
        }

        func run(_ element: Element, in context: inout ComponentContext) async throws -> ComponentOutcome {
            let key = try context.renderText(element["key"])
            context.link(key)
            context.setThread("handoff_key", .string(key))
            context.setThread("mode", .string("agent"))
            return .next(["ok": .bool(true)])
        }

        func prepare(_ event: Event, in context: inout ComponentContext) throws {
            // News of a handoff not linked yet waits for the link.
            if event.type == Self.earlyEvent, context.thread.scope["handoff_key"] == nil {
                context.deferredBecause = "not linked yet"
                return
            }
            guard event.type == Self.releaseEvent, case .string(let key)? = context.thread.scope["handoff_key"] else { return }
            context.unlink(key)
            context.setThread("mode", .string("bot"))
        }

        func outboundWork(for turn: CommittedTurn) -> [OutboundWork] {
            committed.withLock { $0.append(turn.events.map { "\($0.sequence) \($0.type)" }) }
            return []
        }

        static var registry: ElementRegistry {
            var registry = ElementRegistry.standard
            register(in: &registry)
            return registry
        }
    }

    static let files = [
        "integration/handoff.yaml": "type: test.handoff.integration\n",
        "flow/handoff.yaml": """
            triggers:
              - keyword: human
            steps:
              - type: test.handoff.component.link
                key: desk-t1
              - say: linked (@ flow.ok )
            """,
        "flow/released.yaml": """
            triggers:
              - event_type: test.handoff.event.release
            steps:
              - say: back in (@ thread.mode ) mode
            """,
        "flow/hello.yaml": "triggers:\n  - keyword: hello\nsteps:\n  - say: hi there\n",
        "flow/early.yaml": "triggers:\n  - event_type: test.handoff.event.early\nsteps:\n  - say: the desk says hi (@ thread.handoff_key )\n",
    ]

    static func app() throws -> BotApp {
        let sources = files.map { AppSource(path: $0.key, text: $0.value) }
        let loaded = AppLoader(registry: HandoffIntegration.registry).load(sources: sources)
        return try #require(loaded.app, "\(loaded.diagnostics)")
    }

    static func temporaryDatabase() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("parley-seam-\(UUID().uuidString).sqlite").path
    }

    @Test("a component links the thread; prepare releases it before the event's flow runs; hooks see turns in order",
          arguments: ["memory", "sqlite"])
    func linkAndRelease(store kind: String) async throws {
        let integration = HandoffIntegration()
        let store: any BotStore = kind == "memory" ? MemoryStore() : try SQLiteStore(path: Self.temporaryDatabase())
        let engine = BotEngine(app: try Self.app(), store: store, integrations: [integration],
                               options: EngineOptions(realDelays: false), logger: TestLogs.logger("parley.runtime"))
        let say = { (text: String) in Event(type: EventTypes.say, threadID: "t1", userID: "u1", data: ["text": .string(text)]) }

        #expect(try await engine.handle(say("human")).plainLines == ["bot: linked True"])
        #expect(try await engine.thread(forLink: "desk-t1") == "t1")
        #expect(try await engine.thread("t1")?.mode == "agent")
        // In agent mode the user's keywords stay silent.
        #expect(try await engine.handle(say("hello")).plainLines == [])

        let release = Event(type: HandoffIntegration.releaseEvent, threadID: "t1", sender: .system, userID: "desk")
        #expect(try await engine.handle(release).plainLines == ["bot: back in bot mode"])
        #expect(try await engine.thread(forLink: "desk-t1") == nil)
        #expect(try await engine.handle(say("hello")).plainLines == ["bot: hi there"])
        #expect(integration.committed.withLock { $0 } == [
            ["1 meya.text.event.say", "2 meya.text.event.say"],
            ["3 meya.text.event.say"],
            ["4 \(HandoffIntegration.releaseEvent)", "5 meya.text.event.say"],
            ["6 meya.text.event.say", "7 meya.text.event.say"],
        ])
    }

    @Test("an accepted event is kept until its turn commits; after a restart it runs once")
    func durableInbox() async throws {
        let path = Self.temporaryDatabase()
        let event = Event(type: EventTypes.say, threadID: "t2", userID: "u2", data: ["text": .string("hello")], idempotencyKey: "webhook-1")
        do {
            // Accepted, then the process "dies" before any turn runs: only the inbox has it.
            let store = try SQLiteStore(path: path)
            _ = try await store.enqueueInbound(event)
            _ = try await store.enqueueInbound(event)  // the same delivery retried
            #expect(try await store.pendingInbound().count == 2)
            #expect(try await store.events(thread: "t2", after: 0, limit: 10).isEmpty)
        }
        let store = try SQLiteStore(path: path)
        let engine = BotEngine(app: try Self.app(), store: store, options: EngineOptions(realDelays: false), logger: TestLogs.logger("parley.runtime"))
        let live = engine.subscribe(thread: "t2")
        #expect(try await engine.resumeInbox() == 2)
        var iterator = live.makeAsyncIterator()
        #expect(await iterator.next()?.text == "hi there")
        try await engine.accept(Event(type: EventTypes.say, threadID: "t2", userID: "u2", data: ["text": .string("hello")], idempotencyKey: "webhook-2"))
        #expect(await iterator.next()?.text == "hi there")
        // Drain: one more accepted event runs after both, so the duplicate has been dropped by then.
        try await engine.accept(Event(type: EventTypes.say, threadID: "t2", userID: "u2", data: ["text": .string("hello")], idempotencyKey: "webhook-3"))
        #expect(await iterator.next()?.text == "hi there")
        let ledger = try await engine.events(thread: "t2")
        #expect(ledger.filter { $0.sender == .user }.compactMap(\.idempotencyKey) == ["webhook-1", "webhook-2", "webhook-3"])
        #expect(try await store.pendingInbound().isEmpty)
    }

    @Test("an accepted event an integration judges early waits, unfiled, and runs after the thread's next turn", arguments: ["memory", "sqlite"])
    func deferredEvent(store kind: String) async throws {
        let store: any BotStore = kind == "memory" ? MemoryStore() : try SQLiteStore(path: Self.temporaryDatabase())
        let engine = BotEngine(app: try Self.app(), store: store, integrations: [HandoffIntegration()], options: EngineOptions(realDelays: false), logger: TestLogs.logger("parley.runtime"))
        let live = engine.subscribe(thread: "t3")
        try await engine.accept(Event(type: HandoffIntegration.earlyEvent, threadID: "t3", sender: .system, userID: "desk", idempotencyKey: "early-1"))
        _ = try await engine.handle(Event(type: EventTypes.say, threadID: "t3", userID: "u3", data: ["text": "hello"]))
        // Still early after a turn that did not link: waiting again, kept in the inbox, nothing filed.
        #expect(try await store.pendingInbound().count == 1)
        #expect(try await engine.events(thread: "t3").allSatisfy { $0.type != HandoffIntegration.earlyEvent })
        _ = try await engine.handle(Event(type: EventTypes.say, threadID: "t3", userID: "u3", data: ["text": "human"]))
        var iterator = live.makeAsyncIterator()
        var shown: [String] = []
        while let event = await iterator.next() {
            if let text = event.text { shown.append(text) }
            if shown.contains("the desk says hi desk-t1") { break }
        }
        #expect(shown.last == "the desk says hi desk-t1")
        let ledger = try await engine.events(thread: "t3")
        #expect(ledger.filter { $0.type == HandoffIntegration.earlyEvent }.count == 1)
        #expect(try await store.pendingInbound().isEmpty)
    }
}
