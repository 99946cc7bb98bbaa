import BotRuntime
import BotServer
import FlowDSL
import SharedTestFixtures
import Testing

@Suite("Server guarantees over real HTTP")
struct ServerGuaranteeTests {
    static let counterApp = ["flow/count.yaml": """
        triggers:
          - regex: ^inc \\s (?P<n>\\d+)$
        steps:
          - thread_set:
              count: (@ (thread.count or 0) + 1 )
          - say: count (@ thread.count )
        """]

    @Test("200 messages sent at once to one sender are each processed once, with no lost update")
    func perThreadOrder() async throws {
        try await LiveServer.with(files: Self.counterApp) { server in
            let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                for number in 1...200 {
                    group.addTask { try await server.say("inc \(number)", sender: "counter") }
                }
                return try await group.reduce(into: [Reply]()) { $0.append($1) }
            }
            #expect(replies.allSatisfy { $0.status == 200 })
            // Each turn saw the count its predecessors left: every value from 1 to 200 once.
            let counts = replies.compactMap { reply -> Int? in
                guard case .list(let messages)? = try? reply.json, case .map(let message)? = messages.first,
                      case .string(let text)? = message["text"] else { return nil }
                return Int(text.dropFirst("count ".count))
            }
            #expect(counts.sorted() == Array(1...200))
            #expect(try await server.engine!.thread("counter")?.scope["count"] == .int(200))
            let inbound = try await server.ledger("counter").filter { $0.sender == .user }
            #expect(inbound.count == 200)
            #expect(Set(inbound.compactMap(\.text)) == Set((1...200).map { "inc \($0)" }))
        }
    }

    @Test("the same message_id delivered 50 times at once has one effect, and every answer is the same")
    func idempotency() async throws {
        try await LiveServer.with(files: Self.counterApp) { server in
            let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                for _ in 1...50 {
                    group.addTask { try await server.say("inc 1", sender: "once", messageID: "m-1") }
                }
                return try await group.reduce(into: [Reply]()) { $0.append($1) }
            }
            #expect(replies.allSatisfy { $0.status == 200 })
            #expect(Set(replies.map(\.body)) == [#"[{"recipient_id":"once","text":"count 1"}]"#])
            let ledger = try await server.ledger("once")
            #expect(ledger.filter { $0.sender == .user }.count == 1)
            #expect(try await server.engine!.thread("once")?.scope["count"] == .int(1))
            // Another id is another message.
            #expect(try await server.say("inc 2", sender: "once", messageID: "m-2").body == #"[{"recipient_id":"once","text":"count 2"}]"#)
        }
    }

    @Test("a turn not done by the server's deadline is answered 503 and goes on; the retry with its message_id gets its answer")
    func slowTurnAnswered() async throws {
        let result = AppLoader(registry: .standard).load(sources: [AppSource(path: "flow/slow.yaml", text: """
            triggers:
              - keyword: slow
            steps:
              - delay: 2
              - say: done at last
            """)])
        let app = try #require(result.app)
        let engine = BotEngine(app: app, store: MemoryStore(), options: EngineOptions(realDelays: true), logger: TestLogs.logger("parley.runtime"))
        try await LiveServer.with(engine: engine, configure: { $0.restTurnDeadline = .milliseconds(300) }) { server in
            let first = try await server.say("slow", sender: "patient", messageID: "m-slow")
            #expect(first.status == 503, "\(first.body)")
            #expect(first.body.contains("send the message again with the same message_id"), "\(first.body)")
            // The turn went on.
            let deadline = ContinuousClock.now + .seconds(10)
            while try await !server.ledger("patient").contains(where: { $0.text == "done at last" }), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            let again = try await server.say("slow", sender: "patient", messageID: "m-slow")
            #expect(again.status == 200)
            #expect(again.body == #"[{"recipient_id":"patient","text":"done at last"}]"#)
            #expect(try await server.ledger("patient").filter { $0.sender == .user }.count == 1)
        }
    }
}
