import BotRuntime
import FlowDSL
import Foundation
import ParleyPostgres
import SharedTestFixtures
import Testing

/// Two engines on one PostgreSQL database, as two `botcli serve` replicas are: one thread's turns
/// in order whichever replica runs them, one effect per idempotency key, live events of either
/// replica's turns on both, and a stopped replica's accepted events handled by the other.
@Suite("Replicas sharing a PostgreSQL store")
struct ReplicaTests {
    static let app: BotApp = {
        var registry = ElementRegistry.standard
        registry.register(event: EventTypeSpec("test.agent.event.said"))
        // The engine guarantees' counter, saying its count.
        let counter = EngineGuaranteeTests.counterApp["flow/count.yaml"]! + "\n  - say: count (@ thread.count )\n"
        return AppLoader(registry: registry).load(sources: [AppSource(path: "flow/count.yaml", text: counter), AppSource(path: "flow/agent.yaml", text: """
            triggers:
              - event_type: test.agent.event.said
            steps:
              - say: (the agent spoke)
            """)]).app!
    }()

    /// Two replicas started on one new database.
    static func replicas() async throws -> (BotEngine, BotEngine) {
        let place = try await StoreKind.postgres.place()
        let first = BotEngine(app: app, store: try await place.open(), logger: TestLogs.logger("parley.runtime"))
        let second = BotEngine(app: app, store: try await place.open(), logger: TestLogs.logger("parley.runtime"))
        // Started as serve starts them: followers of the other replica's commits among what starts.
        try await first.resumeOutbox()
        try await second.resumeOutbox()
        return (first, second)
    }

    static func stop(_ engines: BotEngine...) async {
        for engine in engines {
            await engine.stop()
            await engine.store.close()
        }
    }

    static func inc(_ number: Int, thread: String = "t", key: String? = nil) -> Event {
        Event(type: EventTypes.say, threadID: thread, userID: "u", data: ["text": .string("inc \(number)")], idempotencyKey: key)
    }

    /// Collects what `stream` hands out until an event at `sequence` or later arrives (bounded).
    static func collect(_ stream: AsyncStream<Event>, through sequence: Int) async -> [Event] {
        await withTaskGroup(of: [Event].self) { group in
            group.addTask {
                var seen: [Event] = []
                for await event in stream {
                    seen.append(event)
                    if event.sequence >= sequence { break }
                }
                return seen
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(20))
                return []
            }
            let first = await group.next() ?? []
            group.cancelAll()
            return first
        }
    }

    @Test("200 messages to one thread spread over both replicas: every update kept, the ledger in one order")
    func oneThreadOverTwoReplicas() async throws {
        let (first, second) = try await Self.replicas()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 1...200 {
                let engine = number.isMultiple(of: 2) ? first : second
                group.addTask { _ = try await engine.handle(Self.inc(number)) }
            }
            try await group.waitForAll()
        }
        let scope = try #require(try await second.thread("t")).scope
        #expect(scope["count"] == .int(200))
        guard case .list(let order)? = scope["order"] else { Issue.record("no order"); return }
        // Each turn saw the one before it: the order the turns ran in is the ledger's.
        let ledger = try await first.events(thread: "t", limit: 1_000)
        #expect(ledger.map(\.sequence) == Array(1...400))
        let inbound = ledger.filter { $0.sender == .user }.compactMap(\.text).map { Int($0.dropFirst(4))! }
        #expect(order == inbound.map { .int($0) })
        #expect(Set(inbound) == Set(1...200))
        let counts = ledger.filter { $0.sender == .bot }.compactMap(\.text)
        #expect(counts == (1...200).map { "count \($0)" })
        await Self.stop(first, second)
    }

    @Test("the same message id delivered 50 times to each replica at once: one effect, one answer")
    func duplicatesOnBothReplicas() async throws {
        let (first, second) = try await Self.replicas()
        let answers = try await withThrowingTaskGroup(of: [String].self) { group in
            for index in 0..<100 {
                let engine = index.isMultiple(of: 2) ? first : second
                group.addTask { try await engine.handle(Self.inc(1, key: "wamid.same")).plainLines }
            }
            return try await group.reduce(into: [[String]]()) { $0.append($1) }
        }
        #expect(answers.count == 100)
        #expect(Set(answers) == [["bot: count 1"]])
        #expect(try await first.thread("t")?.scope["count"] == .int(1))
        #expect(try await second.events(thread: "t").count == 2)
        await Self.stop(first, second)
    }

    @Test("an agent's message handled on one replica reaches the user's live stream on the other, then the bot's answer")
    func liveEventsAcrossReplicas() async throws {
        let (first, second) = try await Self.replicas()
        _ = try await first.handle(Self.inc(1))
        let watching = first.subscribe(thread: "t")
        let agent = Event(type: "test.agent.event.said", threadID: "t", sender: .agent, userID: "agent-7", data: ["text": .string("hello from Flex")])
        let result = try await second.handle(agent)
        let seen = await Self.collect(watching, through: result.outputs.last!.sequence)
        #expect(seen.map(\.type) == ["test.agent.event.said", EventTypes.say])
        #expect(seen.map(\.sequence) == [3, 4])
        #expect(seen.last?.text == "(the agent spoke)")
        await Self.stop(first, second)
    }

    @Test("turns of one thread on both replicas reach a subscriber on each once, in ledger order")
    func liveOrderAcrossReplicas() async throws {
        let (firstEngine, secondEngine) = try await Self.replicas()
        _ = try await firstEngine.handle(Self.inc(0))
        let onFirst = firstEngine.subscribe(thread: "t"), onSecond = secondEngine.subscribe(thread: "t")
        let seenFirst = Task { await Self.collect(onFirst, through: 2 + 2 * 60) }
        let seenSecond = Task { await Self.collect(onSecond, through: 2 + 2 * 60) }
        for number in 1...60 {
            _ = try await (number.isMultiple(of: 3) ? firstEngine : secondEngine).handle(Self.inc(number))
        }
        // As a subscriber must, events at or below what it read when it subscribed (2) are
        // skipped: the first turn's notice may reach the second replica after it subscribed.
        let expected = (1...60).map { "count \($0 + 1)" }
        let first = await seenFirst.value.filter { $0.sequence > 2 }, second = await seenSecond.value.filter { $0.sequence > 2 }
        #expect(first.compactMap(\.text) == expected)
        #expect(second.compactMap(\.text) == expected)
        #expect(first.map(\.sequence) == (1...60).map { 2 + 2 * $0 })
        await Self.stop(firstEngine, secondEngine)
    }

    @Test("a replica that stops leaves the events it accepted to the other, which handles each once")
    func acceptedEventsTakenOver() async throws {
        let place = try await StoreKind.postgres.place()
        // A lease a loaded machine cannot outlast between two renewals (a one-second lease was
        // seen lapsing under the full suite); the clean stop hands the work over at once anyway.
        let leaving = try await place.open(lease: 30)
        for number in 1...5 { _ = try await leaving.enqueueInbound(Self.inc(number, thread: "t\(number)")) }
        let staying = BotEngine(app: Self.app, store: try await place.open(), logger: TestLogs.logger("parley.runtime"))
        // Still the first replica's while it lives.
        #expect(try await staying.takeOverAbandonedWork().events == 0)
        await leaving.close()
        #expect(try await staying.takeOverAbandonedWork().events == 5)
        #expect(try await staying.takeOverAbandonedWork().events == 0)
        for number in 1...5 {
            #expect(await OutboxTimerTests.eventually { try await staying.thread("t\(number)")?.scope["count"] == .int(1) })
        }
        #expect(try await staying.store.backlog().inbox == 0)
        await Self.stop(staying)
    }

    @Test("an event of a thread whose earlier event another replica holds waits for it, and runs after it once that replica is gone")
    func arrivalOrderAcrossTakeover() async throws {
        let place = try await StoreKind.postgres.place()
        let holding = try await place.open(lease: 30)
        _ = try await holding.enqueueInbound(Self.inc(1))
        let engine = BotEngine(app: Self.app, store: try await place.open(), logger: TestLogs.logger("parley.runtime"))
        // The first replica lives and holds `inc 1`: `inc 2` waits, answered with nothing yet.
        let waiting = try await engine.handle(Self.inc(2))
        #expect(waiting.outputs.isEmpty)
        #expect(try await engine.thread("t") == nil)
        await holding.close()
        #expect(try await engine.takeOverAbandonedWork().events == 2)
        #expect(await OutboxTimerTests.eventually { try await engine.thread("t")?.scope["count"] == .int(2) })
        #expect(try await engine.thread("t")?.scope["order"] == .list([.int(1), .int(2)]))
        #expect(try await engine.events(thread: "t").compactMap(\.text) == ["inc 1", "count 1", "inc 2", "count 2"])
        #expect(try await engine.store.backlog().inbox == 0)
        await Self.stop(engine)
    }
}
