import BotRuntime
import BotTesting
import FlowDSL
import SharedTestFixtures
import Testing

private typealias S = ConversationTestSupport

@Suite("Conversation tests: the report")
struct ConversationTestReportTests {
    static let yaml = """
        - name: passes
          steps:
            - user: phone
            - bot: Call [vault.phone].
        - name: fails
          steps:
            - user: go
            - bot: Hello!
            - bot: Pick a color
        """

    @Test("one line per case, the failure's transcripts marked, the summary last")
    func rendering() async throws {
        let report = await ConversationTestRunner(app: S.app, logger: TestLogs.logger("parley.runtime")).run([S.file(Self.yaml)])
        let text = report.render()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "✔ passes")
        #expect(lines[1] == "✘ fails (tests/t.yaml:5)")
        #expect(lines[2] == "    tests/t.yaml:9:7: expected `bot: Pick a color`, got `bot: Pick a colour` (from flow.main step 1)")
        #expect(lines.last == "1 passed, 1 failed")
        #expect(text.contains("""
                expected:
                    user: go
                    bot: Hello!
                  > bot: Pick a color
                                    ^
                actual:
                    user: go
                    bot: Hello!
                  > bot: Pick a colour   ← flow.main step 1
                                    ^
                    button: Red
                    button: Blue
            """))
        #expect(!text.contains("\u{1B}["))
        #expect(!report.succeeded)
    }

    @Test("colour only when asked")
    func colour() async {
        let report = await ConversationTestRunner(app: S.app, logger: TestLogs.logger("parley.runtime")).run([S.file(Self.yaml)])
        let text = report.render(colour: true)
        #expect(text.contains("\u{1B}[32m✔\u{1B}[0m passes"))
        #expect(text.contains("\u{1B}[31m✘\u{1B}[0m fails"))
        #expect(text.hasSuffix("\n1 passed, 1 failed"))
    }

    @Test("multi-line text is shown on one line")
    func multiLine() {
        let failure = ConversationFailure(message: "m", position: SourcePosition(file: "t", line: 1, column: 1),
                                          expected: [.init("bot: a\nb")], expectedMark: 0, actual: [.init("bot: a\nc")], actualMark: 0)
        #expect(ConversationTestReport.describe(failure).contains("  > bot: a\\nb"))
    }
}
