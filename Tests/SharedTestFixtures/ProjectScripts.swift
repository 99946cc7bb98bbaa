import Foundation

/// The repository's scripts, run from tests: Twilio's Python library in its venv, and the
/// generators whose `--check` says the committed test data is what the library makes.
public enum ProjectScripts {
    /// The package's root folder.
    public static let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The venv's python, made (when missing) by `scripts/twilio-venv`; nil when python3 is not installed.
    public static func python() async throws -> String? {
        let path = try await run("/bin/bash", [projectRoot.appendingPathComponent("scripts/twilio-venv").path, "--print-python"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return path.isEmpty ? nil : path
    }

    /// Runs `scripts/NAME ARGUMENTS` in the project root; throws with its error output when it fails.
    @discardableResult
    public static func script(_ name: String, _ arguments: [String] = []) async throws -> String {
        try await run("/bin/bash", [projectRoot.appendingPathComponent("scripts/\(name)").path] + arguments)
    }

    /// Runs a program in the project root to its end and returns what it printed; throws with
    /// its error output when it fails.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], input: String? = nil) async throws -> String {
        let output = try await ChildProcess.run(URL(fileURLWithPath: executable), arguments, in: projectRoot, input: input)
        guard output.status == 0 else {
            throw FixtureError("\(executable) \(arguments.first ?? "") failed: \(output.stderr.suffix(1200))")
        }
        return output.stdout
    }
}
