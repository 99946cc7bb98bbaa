import Foundation
import Testing

@Suite("botcli format")
struct FormatCommandTests {
    static let messy = """
        # greets the user
        triggers:
        - keyword:    hello   # exact word
        steps:
            -   say: Hi there
            -   ask: Your name?
            -   user_set: name
            -   say: |
                  Nice to meet you,
                    (@ user.name ).

        """

    @Test("--check lists files that would change, format rewrites them, and the result is stable and valid")
    func formatsAndChecks() async throws {
        let app = try BotCLIRunner.copyOfFixtureApp("flex-guide")
        defer { try? FileManager.default.removeItem(at: app) }
        let messyFile = app.appendingPathComponent("flow/messy.yaml")
        try Data(Self.messy.utf8).write(to: messyFile)

        let before = try await BotCLIRunner.run(["format", "--app", app.path, "--check"])
        #expect(before.status == 1)
        #expect(before.stdout.contains("would reformat flow/messy.yaml"))
        #expect(try String(contentsOf: messyFile, encoding: .utf8) == Self.messy, "--check must not write")

        let format = try await BotCLIRunner.run(["format", "--app", app.path])
        #expect(format.status == 0, "\(format.stderr)")
        #expect(format.stdout.contains("reformatted flow/messy.yaml"))
        let formatted = try String(contentsOf: messyFile, encoding: .utf8)
        #expect(formatted == """
            # greets the user
            triggers:
              - keyword: hello   # exact word
            steps:
              - say: Hi there
              - ask: Your name?
              - user_set: name
              - say: |
                  Nice to meet you,
                    (@ user.name ).

            """)

        let after = try await BotCLIRunner.run(["format", "--app", app.path, "--check"])
        #expect(after.status == 0)
        #expect(after.stdout.contains("0 files would be reformatted"))
        let check = try await BotCLIRunner.run(["check", "--app", app.path])
        #expect(check.status == 0, "\(check.stderr)")
    }

    @Test("a file that does not parse is left untouched, with the reason")
    func leavesBrokenFilesAlone() async throws {
        let app = try BotCLIRunner.copyOfFixtureApp("flex-guide")
        defer { try? FileManager.default.removeItem(at: app) }
        let broken = "steps:\n    - say: [unclosed\n"
        let file = app.appendingPathComponent("flow/broken.yaml")
        try Data(broken.utf8).write(to: file)
        let output = try await BotCLIRunner.run(["format", "--app", app.path])
        #expect(output.stderr.contains("flow/broken.yaml:"))
        #expect(output.stderr.contains("warning: not formatted"))
        #expect(try String(contentsOf: file, encoding: .utf8) == broken)
    }
}
