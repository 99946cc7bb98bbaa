import BotRuntime
import BotTesting
import FlowDSL
import SharedTestFixtures

/// A small app exercising every kind of conversation test step, and helpers to run test text
/// against it.
enum ConversationTestSupport {
    static let files: [String: String] = [
        "vault.yaml": "phone: xxx\n",
        "config.yaml": "hours: 9–5\n",
        "flow/main.yaml": """
            triggers:
              - keyword: go
            steps:
              - say: Hello!
              - ask: Pick a colour
                buttons:
                  - text: Red
                    result: red
                  - text: Blue
                    result: blue
              - user_set: colour
              - say: You picked (@ user.colour ).
            """,
        "flow/name.yaml": """
            triggers:
              - regex: ^i\\ am\\ (?P<name>\\w+)$
            steps:
              - user_set:
                  name: (@ flow.groups.name )
              - say: Hi (@ user.name )!
            """,
        "flow/status.yaml": """
            triggers:
              - keyword: wait
            steps:
              - status: Working on it
              - say: Done at (@ config.hours ).
              - say: Anything else?
                quick_replies:
                  - Sure
                  - Later
            """,
        "flow/human.yaml": """
            triggers:
              - keyword: human
            steps:
              - thread_set:
                  topic: billing
              - mode: agent
              - say: Connecting you to a person.
            """,
        "flow/back.yaml": """
            triggers:
              - agent_command: ^/bot
            steps:
              - mode: bot
              - say: The bot is back.
            """,
        "flow/page.yaml": """
            triggers:
              - page_open
            steps:
              - say: Welcome to (@ flow.result ).
            """,
        "flow/phone.yaml": """
            triggers:
              - keyword: phone
            steps:
              - say: Call (@ vault.phone ).
            """,
        "flow/boom.yaml": """
            triggers:
              - keyword: boom
            steps:
              - jump: (@ 'nowhere' )
            """,
        "flow/fallback.yaml": """
            triggers:
              - catchall
            steps:
              - say: You said (@ flow.result ).
            """,
    ]

    static let app: BotApp = {
        let result = AppLoader().load(sources: files.map { AppSource(path: $0.key, text: $0.value) })
        guard let app = result.app else { fatalError("fixture app: \(result.diagnostics)") }
        return app
    }()

    /// Parses `yaml` as `tests/t.yaml`; the file must have no format errors.
    static func file(_ yaml: String, path: String = "tests/t.yaml") -> ConversationTestFile {
        ConversationTestFile(parsing: yaml, path: path)
    }

    /// Runs the only case of `yaml`.
    static func run(_ yaml: String) async -> ConversationTestResult {
        let file = file(yaml)
        precondition(file.diagnostics.isEmpty, "format errors: \(file.diagnostics)")
        precondition(file.cases.count == 1, "expected one case")
        return await ConversationTestRunner(app: app, logger: TestLogs.logger("parley.runtime")).run(file.cases[0])
    }

    /// One case named `t` with these steps (each a YAML step line without the `- `).
    static func steps(_ lines: String...) -> String {
        "- name: t\n  steps:\n" + lines.map { "    - \($0)\n" }.joined()
    }
}
