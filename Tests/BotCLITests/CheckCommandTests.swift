import Foundation
import Testing

@Suite("botcli check")
struct CheckCommandTests {
    @Test("an app written like Meya's Flex guide is valid")
    func flexGuideIsValid() async throws {
        let output = try await BotCLIRunner.run(["check", "--app", BotCLIRunner.fixtureApp("flex-guide").path])
        #expect(output.status == 0, "stderr: \(output.stderr)")
        #expect(output.stdout.contains("valid — 7 flows, 7 triggers, 18 steps, 1 integration"))
        // It names only a Flex Flow, as Meya's guide did: Programmable Chat, whose end is told.
        #expect(output.stderr == BotCLIRunner.programmableChatWarning + "\n")
    }

    @Test("`--app .` names the app by its folder")
    func namedByFolder() async throws {
        let output = try await BotCLIRunner.run(["check", "--app", "."], in: BotCLIRunner.fixtureApp("flex-guide"))
        #expect(output.stdout.hasPrefix("flex-guide: valid — "), "\(output.stdout)")
        let broken = try await BotCLIRunner.run(["check"], in: BotCLIRunner.fixtureApp("ten-mistakes"))
        #expect(broken.stderr.contains("errors in ten-mistakes"), "\(broken.stderr)")
    }

    @Test("ten planted mistakes give ten located errors in one run")
    func tenMistakes() async throws {
        let output = try await BotCLIRunner.run(["check", "--app", BotCLIRunner.fixtureApp("ten-mistakes").path])
        #expect(output.status == 1)
        let errors = output.stderr.split(separator: "\n").map(String.init).filter { $0.contains(": error: ") }
        let expected = [
            "flow/events.yaml:5:1: error: YAML syntax error",
            "flow/greet.yaml:3:12: error: invalid regular expression `^order (?P<id>\\d+`",
            "flow/greet.yaml:5:5: error: unknown step `sya:`; did you mean `say`?",
            "flow/greet.yaml:7:14: error: expected a number, found the text `many`",
            "flow/greet.yaml:8:11: error: unknown label `finish` in flow `flow.greet`",
            "flow/greet.yaml:9:5: error: `if` step is missing `then:`",
            "flow/greet.yaml:10:13: error: template error:",
            "flow/greet.yaml:13:18: error: unknown integration `integration.flexx`; did you mean `integration.flex`?",
            "flow/help.yaml:1:1: error: duplicate id `flow.greet`; first defined at flow/greet.yaml:1:1",
            "flow/multi.yaml:5:1: error: document 2 of 2 has no `id:`",
        ]
        #expect(errors.count == expected.count, "\(output.stderr)")
        for (line, prefix) in zip(errors, expected) {
            #expect(line.hasPrefix(prefix), "expected `\(prefix)…`, got `\(line)`")
        }
        #expect(output.stderr.hasSuffix("10 errors in \(BotCLIRunner.fixtureApp("ten-mistakes").path)\n"))
    }

    @Test("--summary sizes a Meya port: flow files and steps that check clean, the types Parley lacks, the app's own components, the other errors by step type")
    func summary() async throws {
        let app = try BotCLIRunner.temporaryApp([
            "flow/clean.yaml": "steps:\n  - say: hi\n  - ask: name?\n",
            "flow/calendly.yaml": "steps:\n  - say: pick\n  - calendly:\n      - title: A\n  - type: component.welcome\n  - calendly: []\n",
            "flow/typo.yaml": "steps:\n  - say: hi\n    quick_replise: [A]\n  - end\n",
            "integration/zendesk.yaml": "type: meya.zendesk.support.integration\n",
        ])
        defer { try? FileManager.default.removeItem(at: app) }
        let output = try await BotCLIRunner.run(["check", "--summary", "--app", app.path])
        #expect(output.status == 1)
        #expect(output.stdout == """
            \(app.path):
            flow files: 1 of 3 check clean (33%)
            steps: 4 of 8 check clean (50%)
            types Parley does not have (3 errors):
              2  calendly
              1  meya.zendesk.support.integration
            the app's own components (Meya's Python), to rewrite (1 error):
              1  component.welcome
            other errors, by step type or file (1 error):
              1  meya.text.component.say

            """, "\(output.stdout)")
        #expect(output.stderr.contains("flow/typo.yaml:3:5: error: unknown field `quick_replise`"), "\(output.stderr)")
    }

    @Test("a flow using the app's own Python element — by type, by its signature field, by its alias, as a trigger — is told so with the file to port, and --summary counts it to rewrite")
    func ownPythonElements() async throws {
        let app = try BotCLIRunner.temporaryApp([
            "flow/shout.yaml": """
                triggers:
                  - type: trigger.text.palindrome
                steps:
                  - say_upper: hello
                  - type: component.text.say_upper
                    say_upper: again
                  - flood
                  - shout_louder: never defined
                """,
            "component/text/say_upper.py": """
                from dataclasses import dataclass
                from meya.component.element import Component
                from meya.element.field import element_field

                @dataclass
                class SayUpperComponent(Component):
                    say_upper: str = element_field(
                        signature=True,
                        help="The text",
                    )
                    loud: bool = element_field(default=True)
                """,
            "component/core/flood/__init__.py": """
                @dataclass
                class FloodComponent(Component):
                    extra_alias: str = meta_field(value="flood")
                """,
            "trigger/text/palindrome.py": "class PalindromeTrigger(TextTrigger):\n    pass\n",
            "component/text/say_upper_test.py": "    say_louder: str = element_field(signature=True)\n",
            // Python outside component/ and trigger/ (a virtual environment left in the folder) is not read.
            "venv/lib/helpers.py": "    shout_louder: str = element_field(signature=True)\n",
        ])
        defer { try? FileManager.default.removeItem(at: app) }
        let output = try await BotCLIRunner.run(["check", "--app", app.path])
        let port = "Parley does not run Python: port it to a service that a flow calls with `http_call:` (docs/porting-meya.md)"
        let errors = output.stderr.replacingOccurrences(of: app.path + "/", with: "").split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(errors == [
            "flow/shout.yaml:2:11: error: unknown trigger type `trigger.text.palindrome`: the app's own Python trigger `trigger.text.palindrome` (trigger/text/palindrome.py); \(port)",
            "flow/shout.yaml:4:5: error: unknown step `say_upper:`: the app's own Python component `component.text.say_upper` (component/text/say_upper.py); \(port)",
            "flow/shout.yaml:5:11: error: unknown component type `component.text.say_upper`: the app's own Python component `component.text.say_upper` (component/text/say_upper.py); \(port)",
            "flow/shout.yaml:7:5: error: unknown step `flood`: the app's own Python component `component.core.flood` (component/core/flood/__init__.py); \(port)",
            "flow/shout.yaml:8:5: error: unknown step `shout_louder:`",
        ], "\(output.stderr)")
        let summary = try await BotCLIRunner.run(["check", "--summary", "--app", app.path])
        #expect(summary.stdout.contains("""
            types Parley does not have (1 error):
              1  shout_louder
            the app's own components (Meya's Python), to rewrite (4 errors):
              1  component.text.say_upper
              1  flood
              1  say_upper
              1  trigger.text.palindrome
            """), "\(summary.stdout)")
    }

    @Test("a missing app folder is an error naming it")
    func missingFolder() async throws {
        let output = try await BotCLIRunner.run(["check", "--app", "/nonexistent/parley-app"])
        #expect(output.status == 1)
        #expect(output.stderr.contains("/nonexistent/parley-app: no such app folder"))
    }

    @Test("a folder that is not an app (a repository's root) is said to be one, with the app folders below it")
    func notAnAppFolder() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("parley-root-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("examples"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: BotCLIRunner.fixtureApp("conversation-tests"), to: root.appendingPathComponent("examples/support-bot"))
        try Data("# not a bot\n".utf8).write(to: root.appendingPathComponent("README.md"))
        for command in ["check", "test"] {
            let output = try await BotCLIRunner.run([command], in: root)
            #expect(output.status == 1, "\(command)")
            #expect(output.stderr.contains("is not a bot app"), "\(command): \(output.stderr)")
            #expect(output.stderr.contains("try `--app examples/support-bot`"), "\(command): \(output.stderr)")
            #expect(!output.stderr.contains("errors in"), "\(command): \(output.stderr)")
        }
    }

    @Test("--help teaches the command")
    func help() async throws {
        let output = try await BotCLIRunner.run(["check", "--help"])
        #expect(output.status == 0)
        #expect(output.stdout.contains("--app <dir>"))
        #expect(output.stdout.contains("file:line:col"))
    }
}
