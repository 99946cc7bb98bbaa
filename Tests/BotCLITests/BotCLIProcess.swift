import Foundation

/// A `botcli` child process that keeps running — `botcli serve` — with a handle to signal it,
/// wait for its exit (boundedly) and read its log. Standard error goes to a file, so a chatty
/// child never blocks on a full pipe; the port comes from its `listening` log line
/// (`address=http://127.0.0.1:PORT`), which `--port 0` makes necessary.
final class BotCLIProcess: @unchecked Sendable {
    let process: Process
    let logURL: URL
    private let log: FileHandle

    /// Starts `botcli arguments…` with `environment` added (PARLEY_LOG_LEVEL removed unless
    /// given), in `directory` when one is given.
    init(_ arguments: [String], environment extra: [String: String] = [:], directory: URL? = nil) throws {
        process = Process()
        process.executableURL = BotCLIRunner.executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "PARLEY_LOG_LEVEL")
        environment["NO_COLOR"] = "1"
        environment.merge(extra) { _, new in new }
        process.environment = environment
        logURL = FileManager.default.temporaryDirectory.appendingPathComponent("botcli-process-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        log = try FileHandle(forWritingTo: logURL)
        process.standardError = log
        process.standardOutput = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? log.close()
        try? FileManager.default.removeItem(at: logURL)
    }

    /// What the process wrote so far (standard error and output).
    var output: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    var isRunning: Bool { process.isRunning }

    /// Sends `signal` (SIGTERM, SIGINT, SIGKILL…).
    func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// The port of the process's `listening` log line, waiting for it at most `timeout`.
    func listeningPort(timeout: Duration = .seconds(60)) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let match = output.firstMatch(of: /address=http:\/\/127\.0\.0\.1:(\d+)/), let port = Int(match.1) { return port }
            guard process.isRunning else { throw BotCLIProcessError.exited(status: process.terminationStatus, output: output) }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw BotCLIProcessError.timedOut("no listening line", output: output)
    }

    /// Waits until `GET /readyz` on `port` answers 200, at most `timeout`.
    func waitUntilReady(port: Int, timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard process.isRunning else { throw BotCLIProcessError.exited(status: process.terminationStatus, output: output) }
            let reply = try? await LoopbackHTTP.request(port: port, .get, "/readyz", timeout: .seconds(5))
            if reply?.status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BotCLIProcessError.timedOut("never ready", output: output)
    }

    /// Waits for the process to end, at most `timeout` (then kills it and throws).
    @discardableResult
    func waitForExit(timeout: Duration = .seconds(60)) async throws -> (reason: Process.TerminationReason, status: Int32) {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                send(SIGKILL)
                throw BotCLIProcessError.timedOut("did not exit", output: output)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        // `isRunning` turns false before the status is collected; this returns at once then.
        process.waitUntilExit()
        return (process.terminationReason, process.terminationStatus)
    }
}

/// Why a child botcli could not be used: it exited early or missed a deadline; with its output.
enum BotCLIProcessError: Error, CustomStringConvertible {
    case exited(status: Int32, output: String)
    case timedOut(String, output: String)

    var description: String {
        switch self {
        case let .exited(status, output): "botcli exited early with status \(status):\n\(output)"
        case let .timedOut(what, output): "botcli: \(what) in time:\n\(output)"
        }
    }
}

extension BotCLIRunner {
    /// `botcli serve --app APP --port 0 …` started and ready; its port. Clients name their
    /// sender as Rasa's do (`--rest-auth open`) unless `arguments` or `environment` say otherwise.
    static func serve(app: URL, arguments: [String] = [], environment: [String: String] = [:], directory: URL? = nil) async throws
        -> (process: BotCLIProcess, port: Int) {
        var environment = environment
        if !arguments.contains("--rest-auth"), environment["PARLEY_REST_AUTH"] == nil { environment["PARLEY_REST_AUTH"] = "open" }
        let process = try BotCLIProcess(["serve", "--app", app.path, "--port", "0"] + arguments, environment: environment,
                                        directory: directory)
        let port = try await process.listeningPort()
        try await process.waitUntilReady(port: port)
        return (process, port)
    }
}
