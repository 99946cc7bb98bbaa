import Foundation

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
        let process = Process()
        process.executableURL = venvPython
        process.arguments = ["-c", script] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["NO_PROXY"] = "127.0.0.1,localhost"
        environment["no_proxy"] = "127.0.0.1,localhost"
        process.environment = environment
        // Input from a file: a pipe write that a signal interrupts crashed Foundation's FileHandle.
        let inURL = FileManager.default.temporaryDirectory.appendingPathComponent("parley-python-\(UUID().uuidString)")
        try Data(input.utf8).write(to: inURL)
        defer { try? FileManager.default.removeItem(at: inURL) }
        let stdin = try FileHandle(forReadingFrom: inURL)
        defer { try? stdin.close() }
        let stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        let finished = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = { finished.continuation.yield($0.terminationStatus); finished.continuation.finish() }
        try process.run()
        // Read while it runs so a full pipe cannot block it, on threads of their own: blocking
        // reads on the concurrency pool (two threads on a two-core machine) would starve the
        // in-process emulator that Python is talking to.
        async let output = readToEnd(stdout.fileHandleForReading)
        async let errors = readToEnd(stderr.fileHandleForReading)
        var statuses = finished.stream.makeAsyncIterator()
        let status = await statuses.next() ?? -1
        let text = String(decoding: await output, as: UTF8.self)
        guard status == 0 else { throw Failure.failed(status: status, output: text + String(decoding: await errors, as: UTF8.self)) }
        return text
    }

    private static func readToEnd(_ handle: FileHandle) async -> Data {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: handle.readDataToEndOfFile()) }
        }
    }
}
