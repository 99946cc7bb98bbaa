import Foundation

/// The repository's scripts, run from tests: Twilio's Python library in its venv, and the
/// generators whose `--check` says the committed test data is what the library makes.
public enum ProjectScripts {
    /// The package's root folder.
    public static let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The venv's python, made (when missing) by `scripts/twilio-venv`; nil when python3 is not installed.
    public static func python() throws -> String? {
        let path = try run("/bin/bash", [projectRoot.appendingPathComponent("scripts/twilio-venv").path, "--print-python"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return path.isEmpty ? nil : path
    }

    /// Runs `scripts/NAME ARGUMENTS` in the project root; throws with its error output when it fails.
    @discardableResult
    public static func script(_ name: String, _ arguments: [String] = []) throws -> String {
        try run("/bin/bash", [projectRoot.appendingPathComponent("scripts/\(name)").path] + arguments)
    }

    /// Runs a program in the project root to its end and returns what it printed. Its input and
    /// output go through files, not pipes: a pipe read or write that a signal interrupts
    /// (another test's child exiting) traps in Foundation.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], input: String? = nil) throws -> String {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("parley-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (inURL, outURL, errURL) = (scratch.appendingPathComponent("in"), scratch.appendingPathComponent("out"),
                                       scratch.appendingPathComponent("err"))
        try Data((input ?? "").utf8).write(to: inURL)
        for url in [outURL, errURL] { _ = FileManager.default.createFile(atPath: url.path, contents: nil) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = projectRoot
        process.standardInput = try FileHandle(forReadingFrom: inURL)
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        process.waitUntilExit()
        let data = try Data(contentsOf: outURL), problems = try Data(contentsOf: errURL)
        guard process.terminationStatus == 0 else {
            throw FixtureError("\(executable) \(arguments.first ?? "") failed: \(String(decoding: problems, as: UTF8.self).suffix(1200))")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
