import Foundation
import SharedTestFixtures
import Testing

@Suite("botcli test")
struct TestCommandTests {
    static func copy(_ source: URL) throws -> URL {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("parley-test-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: source, to: copy)
        return copy
    }

    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init)
    }

    @Test("the app template's own conversation tests pass, in memory and on PostgreSQL (--store)", arguments: [false, true])
    func appTemplatePasses(onPostgres: Bool) async throws {
        let app = try Self.copy(BotCLIRunner.templateApp)
        defer { try? FileManager.default.removeItem(at: app) }
        let store = onPostgres ? ["--store", try await TestPostgres.database() + "?sslmode=disable"] : []
        let output = try await BotCLIRunner.run(["test", "--app", app.path] + store)
        #expect(output.status == 0, "stdout: \(output.stdout)\nstderr: \(output.stderr)")
        let lines = Self.lines(output.stdout)
        let last = try #require(lines.last)
        #expect(last.wholeMatch(of: /[1-9]\d* passed, 0 failed/) != nil, "last line: \(last)")
        #expect(lines.dropLast().allSatisfy { $0.hasPrefix("✔ ") }, "\(output.stdout)")
        #expect(lines.count - 1 == Int(last.prefix { $0.isNumber }))
        #expect(output.stderr.isEmpty, "\(output.stderr)")
    }

    @Test("--update writes what the bot showed into failing cases, in place: comments, inputs, scope checks and matching lines stay; the diff is printed; the run passes")
    func update() async throws {
        let test = """
            # A comment that stays.
            - name: greets and says goodbye
              steps:
                - user: hi
                # the greeting
                - bot: Hello!
                - bot: {regex: ^Pick}
                - user: bye
                - thread: {mode: bot}

            - name: passes as it is
              steps:
                - user: bye
                - bot: "Note: bye!"
            """
        let app = try BotCLIRunner.temporaryApp([
            "bot/default.yaml": "type: meya.bot.element\nname: Test\n",
            "flow/hi.yaml": "triggers:\n  - keyword: hi\nsteps:\n  - say: Hello there!\n  - ask: Pick one\n    buttons:\n      - text: A, or B\n        result: a\n      - text: yes\n        result: b\n",
            "flow/bye.yaml": "triggers:\n  - keyword: bye\nsteps:\n  - say: \"Note: bye!\"\n",
            "tests/greet.yaml": test,
        ], prefix: "parley-update")
        defer { try? FileManager.default.removeItem(at: app) }
        let output = try await BotCLIRunner.run(["test", "--app", app.path, "--update"])
        #expect(output.status == 0, "stdout: \(output.stdout)\nstderr: \(output.stderr)")
        #expect(output.stdout.contains("""
            @@ greets and says goodbye
            -    - bot: Hello!
            +    - bot: Hello there!
                 - bot: {regex: ^Pick}
            +    - buttons: ["A, or B", "yes"]
            @@ greets and says goodbye
            +    - bot: "Note: bye!"
            """), "\(output.stdout)")
        #expect(Self.lines(output.stdout).last == "2 passed, 0 failed")
        #expect(try String(contentsOf: app.appendingPathComponent("tests/greet.yaml"), encoding: .utf8) == """
            # A comment that stays.
            - name: greets and says goodbye
              steps:
                - user: hi
                # the greeting
                - bot: Hello there!
                - bot: {regex: ^Pick}
                - buttons: ["A, or B", "yes"]
                - user: bye
                - bot: "Note: bye!"
                - thread: {mode: bot}

            - name: passes as it is
              steps:
                - user: bye
                - bot: "Note: bye!"
            """)
        #expect(try await BotCLIRunner.run(["test", "--app", app.path]).status == 0)
    }

    @Test("a trigger whose `when:` does not render is reported under the case (it did not fire), never silent")
    func whenThatFailsIsReported() async throws {
        let app = try BotCLIRunner.temporaryApp([
            "flow/vip.yaml": "triggers:\n  - keyword: hi\n    when: (@ flow.customer.tier == 'vip' )\nsteps:\n  - say: Welcome back, VIP.\n",
            "flow/hello.yaml": "triggers:\n  - keyword: hi\nsteps:\n  - say: Hello!\n",
            "tests/hi.yaml": "- name: says hello\n  steps:\n    - user: hi\n    - bot: Hello!\n",
        ])
        defer { try? FileManager.default.removeItem(at: app) }
        let output = try await BotCLIRunner.run(["test", "--app", app.path])
        #expect(output.status == 0, "\(output.stdout)\n\(output.stderr)")
        let lines = Self.lines(output.stdout)
        #expect(lines.first == "✔ says hello", "\(output.stdout)")
        #expect(lines.dropFirst().first?.hasPrefix("    warning: the `when:` of the trigger at flow/vip.yaml:2:5 did not render, "
                                                   + "so the trigger did not fire: ") == true, "\(output.stdout)")
    }

    @Test("a failing case: exit 1, the diff with the producing step, the summary last")
    func failingCase() async throws {
        let app = try BotCLIRunner.copyOfFixtureApp("conversation-tests")
        defer { try? FileManager.default.removeItem(at: app) }
        let output = try await BotCLIRunner.run(["test", "--app", app.path])
        #expect(output.status == 1)
        let lines = Self.lines(output.stdout)
        #expect(lines.last == "1 passed, 1 failed")
        #expect(lines.first == "✔ a good day")
        #expect(lines.contains("✘ a bad day is answered kindly (tests/more/bad_day.yaml:1)"))
        #expect(lines.contains("    tests/more/bad_day.yaml:8:7: expected `bot: Sorry to hear it.`, got `bot: Sorry to hear that.` (from flow.greet step 2)"))
        #expect(lines.contains("      > bot: Sorry to hear it."))
        #expect(lines.contains("      > bot: Sorry to hear that.   ← flow.greet step 2"))
        #expect(lines.contains("    expected:") && lines.contains("    actual:"))
        #expect(lines.contains(String(repeating: " ", count: 27) + "^"))
        #expect(!output.stdout.contains("\u{1B}["), "NO_COLOR is set by the runner")
    }

    @Test("PATHs select test files or folders, relative to the current folder or the app")
    func pathSelection() async throws {
        let app = try BotCLIRunner.copyOfFixtureApp("conversation-tests")
        defer { try? FileManager.default.removeItem(at: app) }
        let file = try await BotCLIRunner.run(["test", "--app", app.path, "tests/greet.yaml"])
        #expect(file.status == 0, "\(file.stdout)\(file.stderr)")
        #expect(Self.lines(file.stdout) == ["✔ a good day", "1 passed, 0 failed"])

        let folder = try await BotCLIRunner.run(["test", "tests/more"], in: app)
        #expect(folder.status == 1)
        #expect(Self.lines(folder.stdout).last == "0 passed, 1 failed")

        let absolute = try await BotCLIRunner.run(["test", "--app", app.path, app.appendingPathComponent("tests/greet.yaml").path])
        #expect(Self.lines(absolute.stdout).last == "1 passed, 0 failed")

        let missing = try await BotCLIRunner.run(["test", "--app", app.path, "tests/nope.yaml"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("tests/nope.yaml: no such test file or folder"))
    }

    @Test("a format error is reported as file:line:col and fails the run")
    func formatError() async throws {
        let app = try BotCLIRunner.copyOfFixtureApp("conversation-tests")
        defer { try? FileManager.default.removeItem(at: app) }
        try "- name: typo\n  steps:\n    - usr: hi\n".write(to: app.appendingPathComponent("tests/typo.yaml"), atomically: true, encoding: .utf8)
        let output = try await BotCLIRunner.run(["test", "--app", app.path, "tests/greet.yaml", "tests/typo.yaml"])
        #expect(output.status == 1)
        #expect(output.stderr.contains("tests/typo.yaml:3:7: error: unknown step `usr:`; did you mean `user`?"))
        #expect(Self.lines(output.stdout).last == "1 passed, 0 failed")
    }

    @Test("an app that does not load gets check's diagnostics and exit 1")
    func invalidApp() async throws {
        let app = try BotCLIRunner.copyOfFixtureApp("conversation-tests")
        defer { try? FileManager.default.removeItem(at: app) }
        try "steps:\n  - sya: hi\n".write(to: app.appendingPathComponent("flow/broken.yaml"), atomically: true, encoding: .utf8)
        let output = try await BotCLIRunner.run(["test", "--app", app.path])
        #expect(output.status == 1)
        #expect(output.stderr.contains("flow/broken.yaml:2:5: error: unknown step `sya:`; did you mean `say`?"))
        #expect(output.stdout.isEmpty)
    }

    @Test("--help teaches the format")
    func help() async throws {
        let output = try await BotCLIRunner.run(["test", "--help"])
        #expect(output.status == 0)
        // Help text is wrapped to the terminal width: compare with runs of spaces folded.
        let text = output.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for phrase in ["--app <dir>", "<path>", "user: TEXT", "click:", "buttons:", "{regex: PATTERN}", "N passed, N failed"] {
            #expect(text.contains(phrase), "help lacks \(phrase)")
        }
    }

    @Test("--store names a database: a file path or a URL that does not read is refused with what to give")
    func storeMustBePostgres() async throws {
        let output = try await BotCLIRunner.run(["test", "--app", BotCLIRunner.templateApp.path, "--store", "state.sqlite"])
        #expect(output.status != 0)
        #expect(output.stderr.contains("--store takes a postgres:// URL"), "\(output.stderr)")
        let secret = try await BotCLIRunner.run(["test", "--app", BotCLIRunner.templateApp.path, "--store", "postgres://bot:hunter2@db/x?pool=0"])
        #expect(secret.status != 0)
        #expect(secret.stderr.contains("pool `0` is not a number of connections from 1 to 1000"), "\(secret.stderr)")
        #expect(!secret.stderr.contains("hunter2"), "the password is never shown")
    }
}
