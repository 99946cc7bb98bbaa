import BotRuntime
import BotTesting
import FlowDSL
import Foundation
import SharedTestFixtures
import Synchronization
import Testing

/// `timeout:` on a waiting step and the thread's `reply_timeout`: `parley.session.event.timeout`
/// once, when the deadline passes with no answer, on the durable timers and an injected clock.
@Suite("Reply timeouts")
struct ReplyTimeoutTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static let files = [
        "flow/main.yaml": """
            triggers:
              - keyword: go
            steps:
              - ask: Still there?
                timeout: 2s
              - say: You said (@ flow.result ).
            """,
        "flow/default.yaml": """
            triggers:
              - keyword: slow
            steps:
              - thread_set:
                  reply_timeout: 10m
              - ask: Take your time.
              - say: Thanks.
            """,
        "flow/code.yaml": """
            triggers:
              - keyword: code
            steps:
              - ask: Your code?
                regex: ^\\d+$
                timeout: 1m
              - say: Code (@ flow.result ).
            """,
        "flow/timeout.yaml": """
            triggers:
              - event_type: parley.session.event.timeout
            steps:
              - say: "Goodbye after (@ flow.event.data.timeout )s waiting at (@ flow.event.data.element )."
            """,
    ]

    /// A test client on the SQLite file at `path`, on `clock`.
    static func client(_ path: String, clock: @escaping @Sendable () -> Date, thread: String = "t1") throws -> BotTestClient {
        let app = try #require(AppLoader(registry: .standard).load(sources: files.map { AppSource(path: $0.key, text: $0.value) }).app)
        let engine = BotEngine(app: app, store: try SQLiteStore(path: path),
                               options: EngineOptions(realDelays: false, clock: clock), logger: TestLogs.logger("parley.runtime"))
        return BotTestClient(engine: engine, threadID: thread)
    }

    static func temporaryDatabase() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("parley-timeout-\(UUID().uuidString).sqlite").path
    }

    static func lines(_ client: BotTestClient) async throws -> [String] {
        try await client.engine.events(thread: client.threadID).flatMap(\.plainLines)
    }

    @Test("a waiting ask with `timeout: 2s` fires the timeout event once, at the deadline, and its flow runs")
    func firesOnce() async throws {
        let now = Mutex(Self.start)
        let clock: @Sendable () -> Date = { now.withLock { $0 } }
        let client = try Self.client(Self.temporaryDatabase(), clock: clock)
        #expect(try await client.say("go") == ["bot: Still there?"])
        #expect(try await client.engine.store.nextTimerDue() == Self.start.addingTimeInterval(2))
        #expect(try await client.engine.fireDueTimers(at: Self.start.addingTimeInterval(1.9)) == 0)
        #expect(try await client.engine.fireDueTimers(at: Self.start.addingTimeInterval(2)) == 1)
        #expect(await OutboxTimerTests.eventually {
            try await Self.lines(client).contains("bot: Goodbye after 2.0s waiting at flow.main.steps.0.")
        })
        #expect(try await client.engine.fireDueTimers(at: Self.start.addingTimeInterval(3_600)) == 0)
        let fired = try await client.engine.events(thread: "t1").filter { $0.type == EventTypes.timeout }
        #expect(fired.count == 1)
        #expect(fired.first?.data["flow"] == TemplateValue.string("flow.main"))
    }

    @Test("an answer before the deadline removes it; with no flow for the timeout the step goes on waiting")
    func answerDisarms() async throws {
        let now = Mutex(Self.start)
        let clock: @Sendable () -> Date = { now.withLock { $0 } }
        let client = try Self.client(Self.temporaryDatabase(), clock: clock)
        try await client.say("go")
        now.withLock { $0 = $0.addingTimeInterval(1) }
        #expect(try await client.say("here") == ["bot: You said here."])
        #expect(try await client.engine.store.nextTimerDue() == nil)
        #expect(try await client.engine.fireDueTimers(at: Self.start.addingTimeInterval(60)) == 0)
        // With no flow for the timeout, the step goes on waiting and still takes its answer.
        let quiet = try BotTestClient(files: ["flow/main.yaml": Self.files["flow/main.yaml"]!],
                                      options: EngineOptions(realDelays: false, clock: clock), logger: TestLogs.logger("parley.runtime"))
        try await quiet.say("go")
        #expect(try await quiet.engine.fireDueTimers(at: clock().addingTimeInterval(5)) == 1)
        #expect(await OutboxTimerTests.eventually {
            try await quiet.engine.events(thread: quiet.threadID).contains { $0.type == EventTypes.timeout }
        })
        #expect(try await quiet.say("late") == ["bot: You said late."])
    }

    @Test("an invalid answer re-arms the deadline from the user's last message; a bot-side event does not move it")
    func rearmedByUser() async throws {
        let now = Mutex(Self.start)
        let clock: @Sendable () -> Date = { now.withLock { $0 } }
        let client = try Self.client(Self.temporaryDatabase(), clock: clock)
        #expect(try await client.say("code") == ["bot: Your code?"])
        now.withLock { $0 = Self.start.addingTimeInterval(40) }
        _ = try await client.say("abc")
        #expect(try await client.engine.store.nextTimerDue() == Self.start.addingTimeInterval(100))
        now.withLock { $0 = Self.start.addingTimeInterval(50) }
        _ = try await client.send(EventTypes.status, data: ["text": .string("still working")], sender: .system)
        #expect(try await client.engine.store.nextTimerDue() == Self.start.addingTimeInterval(100))
        #expect(try await client.say("42") == ["bot: Code 42."])
        #expect(try await client.engine.store.nextTimerDue() == nil)
    }

    @Test("`thread.reply_timeout` is the default for a step with no `timeout`; a flow may set it")
    func threadDefault() async throws {
        let now = Mutex(Self.start)
        let clock: @Sendable () -> Date = { now.withLock { $0 } }
        let client = try Self.client(Self.temporaryDatabase(), clock: clock)
        #expect(try await client.say("slow") == ["bot: Take your time."])
        #expect(try await client.engine.store.nextTimerDue() == Self.start.addingTimeInterval(600))
        #expect(try await client.engine.fireDueTimers(at: Self.start.addingTimeInterval(600)) == 1)
        #expect(await OutboxTimerTests.eventually {
            try await Self.lines(client).contains("bot: Goodbye after 600.0s waiting at flow.default.steps.1.")
        })
    }

    @Test("stopped through the deadline and started after it, the bot fires the timeout once, late rather than never")
    func acrossRestart() async throws {
        let path = Self.temporaryDatabase()
        let now = Mutex(Self.start)
        let clock: @Sendable () -> Date = { now.withLock { $0 } }
        do {
            let client = try Self.client(path, clock: clock)
            try await client.say("go")
            await client.engine.stop()
        }
        now.withLock { $0 = Self.start.addingTimeInterval(120) }
        let restarted = try Self.client(path, clock: clock)
        try await restarted.engine.resumeOutbox()
        #expect(await OutboxTimerTests.eventually {
            try await Self.lines(restarted).contains("bot: Goodbye after 2.0s waiting at flow.main.steps.0.")
        })
        await restarted.engine.stop()
        let again = try Self.client(path, clock: clock)
        try await again.engine.resumeOutbox()
        #expect(try await again.engine.fireDueTimers(at: Self.start.addingTimeInterval(7_200)) == 0)
        #expect(try await again.engine.events(thread: "t1").filter { $0.type == EventTypes.timeout }.count == 1)
        await again.engine.stop()
    }

    @Test("`botcli check` names a timeout that is not a duration, where it is")
    func checked() {
        let loaded = AppLoader(registry: .standard).load(sources: [AppSource(path: "flow/main.yaml", text: """
            steps:
              - ask: When?
                timeout: 5 minutes
            """)])
        #expect(loaded.diagnostics.map(\.description).contains { $0.contains("flow/main.yaml:3:") && $0.contains("`5 minutes` is not a duration") })
        for good in ["48h", "10m", "1h30m", "90", "0.5", "500ms"] {
            let app = AppLoader(registry: .standard).load(sources: [AppSource(path: "flow/main.yaml", text: "steps:\n  - ask: When?\n    timeout: \(good)\n")])
            #expect(app.diagnostics.isEmpty, "\(good): \(app.diagnostics)")
        }
    }
}
