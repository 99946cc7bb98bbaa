import Foundation
import SharedTestFixtures

/// Runs the built `botcli` binary as a user would, capturing its output.
struct BotCLIRunner {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `botcli` built next to this test bundle.
    static let executable: URL = {
        if let path = ProcessInfo.processInfo.environment["BOTCLI"] { return URL(fileURLWithPath: path) }
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        // On Linux the test runner is `<products>/ParleyPackageTests.xctest`.
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("botcli").path), directory.path != "/" {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("botcli")
    }()

    /// The repository's `Tests/Fixtures/apps/<name>` folder.
    /// What `check` says of the flex-guide app, which names only a Flex Flow as Meya's guide did.
    static let programmableChatWarning = "integration/twilio/flex.yaml:5:1: warning: Programmable Chat for Flex reached its end of life "
        + "on 2026-06-01; move to Flex Conversations: add `workspace_sid:` (WS…) and `workflow_sid:` (WW…) and remove "
        + "`flex_flow_sid:` / `flex_chat_service_sid:` (or keep it with `mode: programmable_chat`)"

    /// The repository's `app-template/` (copy it before running anything that writes `.parley/`).
    static let templateApp = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("app-template")

    /// A new app folder in the temporary folder holding `files` (path → text); the caller removes it.
    static func temporaryApp(_ files: [String: String], prefix: String = "parley-app") throws -> URL {
        try TemporaryApp.write(files, prefix: prefix)
    }

    static func fixtureApp(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/apps/\(name)")
    }

    /// A fresh temporary copy of a fixture app, removed by the caller.
    static func copyOfFixtureApp(_ name: String) throws -> URL {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("parley-test-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: fixtureApp(name), to: copy)
        return copy
    }

    /// Runs `botcli arguments…` to its end (colour off), with `extra` added to this process's environment.
    static func run(_ arguments: [String], in directory: URL? = nil, environment extra: [String: String] = [:],
                    input: String? = nil) async throws -> Output {
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment.merge(extra) { _, new in new }
        let output = try await ChildProcess.run(executable, arguments, in: directory, environment: environment, input: input)
        return Output(status: output.status, stdout: output.stdout, stderr: output.stderr)
    }
}
