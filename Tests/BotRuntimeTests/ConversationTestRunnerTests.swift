import BotRuntime
import BotTesting
import FlowDSL
import SharedTestFixtures
import Testing

private typealias S = ConversationTestSupport

@Suite("Conversation tests: running cases")
struct ConversationTestRunnerTests {
    @Test("a case using every kind of step passes")
    func passingCase() async {
        let result = await S.run(S.steps(
            "event: page_open",
            "bot: Welcome to http://localhost/chat.",
            "user: go",
            "bot: Hello!",
            "bot: Pick a colour",
            "buttons: [Red, Blue]",
            "click: Blue",
            "bot: {regex: 'picked b\\w+\\.$'}",
            "user: {colour: blue}",
            "user: wait",
            "status: Working on it",
            "bot: Done at 9–5.",
            "bot: Anything else?",
            "buttons: [Sure, Later]",
            "click: Later",
            "bot: You said Later.",
            "user: human",
            "bot: Connecting you to a person.",
            "thread: {mode: agent, topic: billing}",
            "user: are you there?",
            "agent: Hi, I'm Sam.",
            "agent: /bot",
            "bot: The bot is back.",
            "thread: {mode: bot}",
            "user: phone",
            "bot: Call [vault.phone].",
            "user: boom",
            "error: {regex: unknown label `nowhere`}",
            "event: {type: chat_open}",
            "event: {type: meya.session.event.chat.close, data: {reason: done}}"
        ))
        #expect(result.passed, "\(result.failure.map { ConversationTestReport.describe($0).joined(separator: "\n") } ?? "")")
    }

    @Test("a sensitive value (`encrypt_sensitive`) is shown in a case as the user sees it, with no vault key at hand")
    func sensitiveValues() async throws {
        let app = try #require(AppLoader().load(sources: [AppSource(path: "flow/card.yaml", text: """
            triggers:
              - keyword: card
            steps:
              - ask: Your card?
              - user_set:
                  card: (@ flow.result | encrypt_sensitive )
              - say: Card (@ user.card ), kept as (@ user.card | redact_sensitive )
            """)]).app)
        let file = S.file(S.steps("user: card", "bot: Your card?", "user: 4242", "bot: Card 4242, kept as [redacted]"))
        let result = await ConversationTestRunner(app: app, logger: TestLogs.logger("parley.runtime")).run(file.cases[0])
        #expect(result.passed, "\(result.failure.map { ConversationTestReport.describe($0).joined(separator: "\n") } ?? "")")
    }

    @Test("wrong text: both transcripts, the first differing character and the producing step")
    func wrongText() async throws {
        let result = await S.run(S.steps("user: go", "bot: Hello!", "bot: Pick a color", "click: Red"))
        let failure = try #require(result.failure)
        #expect(failure.message == "expected `bot: Pick a color`, got `bot: Pick a colour`")
        #expect(failure.origin == "flow.main step 1")
        #expect(failure.position.description == "tests/t.yaml:5:7")
        #expect(failure.expected.map(\.text) == ["user: go", "bot: Hello!", "bot: Pick a color", "click: Red"])
        #expect(failure.expectedMark == 2)
        #expect(failure.actual.map(\.text) == ["user: go", "bot: Hello!", "bot: Pick a colour", "button: Red", "button: Blue"])
        #expect(failure.actualMark == 2)
        #expect(failure.actual[2].origin == "flow.main step 1")
        #expect(failure.caret == "bot: Pick a colo".count)
    }

    @Test("an input while shown lines are unmatched fails on the first of them")
    func unexpectedLine() async throws {
        let result = await S.run(S.steps("user: go", "bot: Hello!", "click: Red"))
        let failure = try #require(result.failure)
        #expect(failure.message == "unexpected `bot: Pick a colour` before `click: Red`")
        #expect(failure.origin == "flow.main step 1")
        #expect(failure.expected[failure.expectedMark].text == "click: Red")
        #expect(failure.actual[failure.actualMark].text == "bot: Pick a colour")
    }

    @Test("lines left over at the end of the case fail")
    func leftoverLines() async throws {
        let result = await S.run(S.steps("user: go", "bot: Hello!", "bot: Pick a colour"))
        let failure = try #require(result.failure)
        #expect(failure.message == "unexpected `button: Red` after the last step")
        #expect(failure.expected[failure.expectedMark].text == "(end of test)")
        #expect(failure.expected[failure.expectedMark].isNote)
        #expect(failure.actual[failure.actualMark].text == "button: Red")
    }

    @Test("an expected line that never comes fails as missing")
    func missingLine() async throws {
        let result = await S.run(S.steps("user: phone", "bot: Call [vault.phone].", "bot: Anything else?"))
        let failure = try #require(result.failure)
        #expect(failure.message == "missing `bot: Anything else?`: nothing more was shown")
        #expect(failure.origin == nil)
        #expect(failure.actual[failure.actualMark].text == "(nothing more was shown)")
    }

    @Test("wrong buttons are marked at the first differing one")
    func wrongButtons() async throws {
        let result = await S.run(S.steps("user: go", "bot: Hello!", "bot: Pick a colour", "buttons: [Red, Green]"))
        let failure = try #require(result.failure)
        #expect(failure.message == "expected buttons [Red, Green], got [Red, Blue]")
        #expect(failure.expected[failure.expectedMark].text == "button: Green")
        #expect(failure.actual[failure.actualMark].text == "button: Blue")
        #expect(failure.origin == "flow.main step 1")
        #expect(failure.caret == "button: ".count)

        let fewer = try #require(await S.run(S.steps("user: go", "bot: Hello!", "bot: Pick a colour", "buttons: [Red]")).failure)
        #expect(fewer.message == "expected buttons [Red], got [Red, Blue]")
        #expect(fewer.expected[fewer.expectedMark].text == "(no more buttons)")
        #expect(fewer.actual[fewer.actualMark].text == "button: Blue")

        let none = try #require(await S.run(S.steps("user: go", "buttons: [Red, Blue]")).failure)
        #expect(none.message == "expected buttons [Red, Blue], but got `bot: Hello!`")
    }

    @Test("regex expectations use Python search semantics, case-sensitive")
    func regex() async throws {
        #expect(await S.run(S.steps("user: go", "bot: {regex: ell}", "bot: {regex: '^Pick'}", "buttons: [Red, Blue]")).passed)
        let failure = try #require(await S.run(S.steps("user: go", "bot: {regex: '^hello'}")).failure)
        #expect(failure.message == "expected `bot: {regex: ^hello}`, got `bot: Hello!`")
        #expect(failure.caret == nil)
    }

    @Test("a scope check names the key that differs and shows the actual values")
    func scopeAssertion() async throws {
        let failure = try #require(await S.run(S.steps("user: i am Ana", "bot: Hi Ana!", "user: {name: Bo}")).failure)
        #expect(failure.message == "`user.name` is `Ana`, expected `Bo`")
        #expect(failure.expected[failure.expectedMark].text == "user: {name: Bo}")
        #expect(failure.actual[failure.actualMark].text == "user: {name: Ana}")

        let unset = try #require(await S.run(S.steps("user: go", "thread: {mode: bot, topic: billing}")).failure)
        #expect(unset.message == "`thread.topic` is not set, expected `billing`")
        #expect(unset.actual[unset.actualMark].text == "thread: {mode: bot, topic: null}")
    }

    @Test("clicking a button that was not offered fails with the offered ones")
    func clickNotOffered() async throws {
        let failure = try #require(await S.run(S.steps(
            "user: go", "bot: Hello!", "bot: Pick a colour", "buttons: [Red, Blue]", "click: Green")).failure)
        #expect(failure.message == "no button `Green` is offered (offered: `Red`, `Blue`)")
        #expect(failure.expected[failure.expectedMark].text == "click: Green")
        #expect(failure.actual[failure.actualMark].isNote)

        let nothing = try #require(await S.run(S.steps("click: Red")).failure)
        #expect(nothing.message == "no button `Red` is offered")
    }

    @Test("an agent's own message is the agent step: it is not expected again")
    func agentEcho() async throws {
        let steps = ["user: human", "bot: Connecting you to a person.", "agent: Hello there", "user: thanks"]
        #expect(await S.run(S.steps(steps[0], steps[1], steps[2], steps[3])).passed)
        let failure = try #require(await S.run(S.steps(steps[0], steps[1], steps[2], steps[3], "bot: more")).failure)
        #expect(failure.actual.map(\.text) == steps + ["(nothing more was shown)"])
    }

    @Test("cases run in parallel, each on its own bot, and results keep the file's order")
    func parallelIsolation() async {
        let names = (0..<24).map { "User\($0)" }
        let yaml = names.map { name in
            """
            - name: case \(name)
              steps:
                - user: {name: null}
                - user: i am \(name)
                - bot: Hi \(name)!
                - user: {name: \(name)}
                - thread: {mode: bot}

            """
        }.joined()
        let report = await ConversationTestRunner(app: S.app, logger: TestLogs.logger("parley.runtime")).run([S.file(yaml)])
        #expect(report.results.map(\.name) == names.map { "case \($0)" })
        #expect(report.results.allSatisfy { $0.passed })
        #expect(report.summary == "24 passed, 0 failed")
    }

    @Test("files with format errors are not run, and the report is not a success")
    func formatErrorsSkipFile() async {
        let good = S.file(S.steps("user: go", "bot: Hello!", "bot: Pick a colour", "buttons: [Red, Blue]"), path: "tests/a.yaml")
        let bad = S.file(S.steps("usr: go"), path: "tests/b.yaml")
        let report = await ConversationTestRunner(app: S.app, logger: TestLogs.logger("parley.runtime")).run([good, bad])
        #expect(report.results.count == 1)
        #expect(report.summary == "1 passed, 0 failed")
        #expect(!report.succeeded)
        #expect(report.diagnostics.map(\.description) == ["tests/b.yaml:3:7: error: unknown step `usr:`; did you mean `user`?"])
    }
}
