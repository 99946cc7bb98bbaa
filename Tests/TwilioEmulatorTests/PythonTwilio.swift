import Foundation
import SharedTestFixtures

/// Runs Python code with Twilio's official library (twilio==9.13.0) from the venv that
/// `scripts/twilio-venv` creates in `.build/venv-twilio`.
///
/// Tests using it are skipped only when python3 itself is absent; a missing venv is a failure
/// that says how to create it.
enum PythonTwilio {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let venvPython = packageRoot.appendingPathComponent(".build/venv-twilio/bin/python")

    /// Whether a `python3` is on PATH.
    static let python3Available: Bool = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/python3") }
    }()

    enum Failure: Error, CustomStringConvertible {
        case venvMissing(String)
        case failed(status: Int32, output: String)

        var description: String {
            switch self {
            case .venvMissing(let path):
                "\(path) is missing: run `scripts/twilio-venv` (it creates .build/venv-twilio with twilio==9.13.0), then rerun the tests"
            case .failed(let status, let output): "python exited with status \(status):\n\(output)"
            }
        }
    }

    /// Runs `script` with `arguments`, `input` on standard input; answers standard output.
    static func run(_ script: String, arguments: [String] = [], input: String = "") async throws -> String {
        guard FileManager.default.isExecutableFile(atPath: venvPython.path) else { throw Failure.venvMissing(venvPython.path) }
        var environment = ProcessInfo.processInfo.environment
        environment["NO_PROXY"] = "127.0.0.1,localhost"
        environment["no_proxy"] = "127.0.0.1,localhost"
        let output = try await ChildProcess.run(venvPython, ["-c", script] + arguments, environment: environment, input: input)
        guard output.status == 0 else { throw Failure.failed(status: output.status, output: output.stdout + output.stderr) }
        return output.stdout
    }
}
