import Foundation

/// A program run to its end from a test: `botcli`, a project script, Twilio's Python library,
/// the README's tutorial. The one way tests run a program and collect what it printed.
///
/// - Input and output go through files, not pipes: a large output can never block the child
///   on a full pipe, and a pipe read or write that a signal interrupts (another test's child
///   exiting) crashed Foundation's FileHandle (seen on a fresh clone: signal 11).
/// - The wait suspends instead of blocking a thread (`terminationHandler`, not
///   `waitUntilExit`). Swift Testing runs tests on the concurrency pool, two threads on a
///   two-core machine: two tests blocked in `waitUntilExit` starved every server inside the
///   test process, and a child talking to one of them timed out (seen in CI).
public enum ChildProcess {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        /// Empty when the run combined standard error into `stdout`.
        public var stderr: String
    }

    /// Runs `executable arguments…` in `directory` with `environment` (this process's when
    /// nil) and `input` on standard input; with `combiningOutput` standard error goes into
    /// `stdout`, interleaved as printed.
    public static func run(_ executable: URL, _ arguments: [String], in directory: URL? = nil,
                           environment: [String: String]? = nil, input: String? = nil,
                           combiningOutput: Bool = false) async throws -> Output {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("parley-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (inURL, outURL, errURL) = (scratch.appendingPathComponent("in"), scratch.appendingPathComponent("out"),
                                       scratch.appendingPathComponent("err"))
        try Data((input ?? "").utf8).write(to: inURL)
        for url in [outURL, errURL] { _ = FileManager.default.createFile(atPath: url.path, contents: nil) }
        let stdin = try FileHandle(forReadingFrom: inURL)
        let stdout = try FileHandle(forWritingTo: outURL), stderr = try FileHandle(forWritingTo: errURL)
        defer {
            for handle in [stdin, stdout, stderr] { try? handle.close() }
        }

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = combiningOutput ? stdout : stderr
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return Output(status: status, stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                      stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}
