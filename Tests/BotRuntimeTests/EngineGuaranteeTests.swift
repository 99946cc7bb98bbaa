import BotRuntime
import BotTesting
import FlowDSL
import Foundation
import SharedTestFixtures
import Testing

@Suite("Engine guarantees")
struct EngineGuaranteeTests {
    @Test("an event delivered twice with the same idempotency key has one effect and the same answer", arguments: StoreKind.allCases)
    func idempotency(_ kind: StoreKind) async throws {
        let store = try await kind.place().open()
        let client = try BotTestClient(files: ["flow/count.yaml": """
            triggers:
              - keyword: inc
            steps:
              - thread_set:
                  count: (@ (thread.count or 0) + 1 )
              - say: count (@ thread.count )
            """], store: store, logger: TestLogs.logger("parley.runtime"))
        let first = try await client.turn(EventTypes.say, data: ["text": .string("inc")], idempotencyKey: "m-1")
        let second = try await client.turn(EventTypes.say, data: ["text": .string("inc")], idempotencyKey: "m-1")
        #expect(first.plainLines == ["bot: count 1"])
        #expect(second.isDuplicate && !first.isDuplicate)
        #expect(second.outputs.map(\.plainLines) == first.outputs.map(\.plainLines))
        #expect(second.inbound.sequence == first.inbound.sequence)
        #expect(try await client.threadScope()["count"] == .int(1))
        #expect(try await client.engine.events(thread: client.threadID).count == 2)
        await store.close()
    }

    @Test("a loop that never waits is stopped by the step budget, and the thread stays usable")
    func stepBudget() async throws {
        let client = try BotTestClient(files: [
            "flow/loop.yaml": "triggers:\n  - keyword: loop\nsteps:\n  - (top)\n  - jump: top\n",
            "flow/ok.yaml": "triggers:\n  - keyword: ok\nsteps:\n  - say: still here\n",
        ], options: EngineOptions(stepBudget: 50, realDelays: false), logger: TestLogs.logger("parley.runtime"))
        let lines = try await client.say("loop")
        #expect(lines == ["error: flow `flow.loop` step 1 (flow/loop.yaml:5:5): stopped after 50 steps in one turn without waiting for the user; is there a loop?"])
        #expect(try await client.say("ok") == ["bot: still here"])
    }

    static let counterApp = ["flow/count.yaml": """
        triggers:
          - regex: ^inc \\s (?P<n>\\d+)$
        steps:
          - thread_set:
              count: (@ (thread.count or 0) + 1 )
              order: (@ (thread.order or []) + [flow.groups.n | int] )
        """]

    @Test("200 events queued on one thread run in arrival order with no lost scope update", arguments: StoreKind.allCases)
    func ordering(_ kind: StoreKind) async throws {
        let store = try await kind.place().open()
        let client = try BotTestClient(files: Self.counterApp, store: store, logger: TestLogs.logger("parley.runtime"))
        let tickets = (1...200).map { number in
            client.engine.enqueue(Event(type: EventTypes.say, threadID: client.threadID, userID: client.userID,
                                        data: ["text": .string("inc \(number)")]))
        }
        for ticket in tickets { _ = try await ticket.result }
        let scope = try await client.threadScope()
        #expect(scope["count"] == .int(200))
        #expect(scope["order"] == .list((1...200).map { .int($0) }))
        let inbound = try await client.engine.events(thread: client.threadID).filter { $0.sender == .user }
        #expect(inbound.compactMap(\.text) == (1...200).map { "inc \($0)" })
        await store.close()
    }

    @Test("200 concurrent senders on one thread: every update kept; other threads run alongside", arguments: StoreKind.allCases)
    func concurrency(_ kind: StoreKind) async throws {
        let store = try await kind.place().open()
        let client = try BotTestClient(files: Self.counterApp, store: store, logger: TestLogs.logger("parley.runtime"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 1...200 {
                group.addTask { _ = try await client.say("inc \(number)") }
                group.addTask {
                    _ = try await client.engine.handle(Event(type: EventTypes.say, threadID: "other-\(number % 7)", userID: "u\(number % 7)",
                                                             data: ["text": .string("inc \(number)")]))
                }
            }
            try await group.waitForAll()
        }
        #expect(try await client.threadScope()["count"] == .int(200))
        var others = 0
        for index in 0..<7 {
            if case .int(let count)? = try await client.engine.thread("other-\(index)")?.scope["count"] { others += count }
        }
        #expect(others == 200)
        await store.close()
    }
}
