import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One running Chromium, started with a DevTools port: finds the executable, launches it with
/// a throwaway profile, reads the `DevTools listening on ws://…` line from its standard error,
/// and kills it — its whole process group — however the test ends.
///
/// Foundation's `Process` starts the browser as the leader of a new process group, so
/// `kill(-pid, …)` also reaches its renderer and GPU processes. Standard error is drained for
/// the browser's whole life (a full pipe would stall it); its last lines explain a failed start.
final class ChromiumProcess: @unchecked Sendable {
    // `Process` is not `Sendable`; only its thread-safe members (`processIdentifier`,
    // `isRunning`) are used after `run()`, and `stop()` is serialised by `stopped`.
    private let process: Process
    private let profile: URL
    private let stderrLines = LineBuffer()
    private let stopped = Mutex(false)
    /// The browser-wide DevTools WebSocket URL.
    let devToolsURL: String

    /// Executable names looked for on `PATH`, in order.
    static let executableNames = ["chromium", "chromium-browser", "google-chrome-stable", "google-chrome", "chrome"]

    /// The executable to run: `explicit`, else `$PARLEY_CHROMIUM`, else the first of
    /// `executableNames` on `PATH`.
    static func findExecutable(_ explicit: String?) throws(BrowserError) -> String {
        let environment = ProcessInfo.processInfo.environment
        if let path = explicit ?? environment["PARLEY_CHROMIUM"].flatMap({ $0.isEmpty ? nil : $0 }) {
            guard FileManager.default.isExecutableFile(atPath: path) else { throw .browserNotFound(searched: [path]) }
            return path
        }
        let folders = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in executableNames {
            for folder in folders {
                let path = URL(fileURLWithPath: folder).appendingPathComponent(name).path
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
        }
        throw .browserNotFound(searched: executableNames.map { "\($0) on PATH" } + ["$PARLEY_CHROMIUM"])
    }

    /// Starts the browser and waits (at most `timeout`) until it listens for DevTools.
    init(executable: String, arguments extra: [String], timeout: Duration) async throws(BrowserError) {
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("headless-browser-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        } catch {
            throw .launchFailed("cannot create a profile folder at \(profile.path): \(error)")
        }
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Self.arguments(profile: profile) + extra + ["about:blank"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors

        let (lines, lineSink) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(100))
        do {
            try process.run()
        } catch {
            try? FileManager.default.removeItem(at: profile)
            throw .launchFailed("\(executable): \(error)")
        }
        Self.drain(errors.fileHandleForReading, lines: lineSink, keep: stderrLines.append)

        let found = await Self.firstDevToolsURL(in: lines, timeout: timeout)
        guard let found else {
            let running = process.isRunning
            let said = stderrLines.last(15).joined(separator: "\n  ")
            devToolsURL = ""
            stop()
            throw .launchFailed((running ? "no DevTools URL within \(timeout)" : "it exited with status \(process.terminationStatus)")
                                + (said.isEmpty ? "" : "; it said:\n  \(said)"))
        }
        devToolsURL = found
    }

    deinit {
        stop()
    }

    var processIdentifier: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// What the browser wrote to standard error lately.
    var recentOutput: [String] { stderrLines.last(30) }

    /// Stops the browser: gives it `exitWithin` to exit by itself (after DevTools'
    /// `Browser.close`, so it reaps its own helper processes), then sends its process group
    /// SIGTERM and, after `grace`, SIGKILL; then removes its profile. Safe to call more than
    /// once, from any thread.
    func stop(exitWithin: Duration = .zero, grace: Duration = .seconds(3)) {
        let first = stopped.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        let pid = process.processIdentifier
        if pid > 0 {
            waitForExit(within: exitWithin)
            if process.isRunning {
                kill(-pid, SIGTERM)
                waitForExit(within: grace)
            }
            // Helpers may outlive the leader: whatever is left of the group gets SIGKILL.
            kill(-pid, SIGKILL)
            waitForExit(within: .seconds(2))
        }
        try? FileManager.default.removeItem(at: profile)
    }

    private func waitForExit(within duration: Duration) {
        let deadline = ContinuousClock.now + duration
        while process.isRunning, ContinuousClock.now < deadline { usleep(20_000) }
    }

    // MARK: Launching

    static func arguments(profile: URL) -> [String] {
        [
            "--headless",
            "--no-sandbox",
            "--remote-debugging-port=0",
            // HummingbirdWSClient sends this Origin; DevTools refuses other origins.
            "--remote-allow-origins=ws://127.0.0.1",
            "--user-data-dir=\(profile.path)",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--disable-domain-reliability",
            "--disable-client-side-phishing-detection",
            "--disable-features=Translate,MediaRouter,OptimizationHints",
            "--no-pings",
            "--mute-audio",
            "--hide-scrollbars",
            "--force-color-profile=srgb",
            "--password-store=basic",
            "--use-mock-keychain",
        ]
    }

    /// Reads `handle` on a thread of its own until end of file, keeping the last lines and
    /// handing each line to `lines`.
    private static func drain(_ handle: FileHandle, lines: AsyncStream<String>.Continuation,
                              keep: @escaping @Sendable (String) -> Void) {
        let thread = Thread {
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex...newline)
                    keep(line)
                    lines.yield(line)
                }
            }
            lines.finish()
        }
        thread.name = "chromium-stderr"
        thread.start()
    }

    /// The URL of the first `DevTools listening on ws://…` line, or nil when the output ends
    /// or `timeout` passes first.
    private static func firstDevToolsURL(in lines: AsyncStream<String>, timeout: Duration) async -> String? {
        await withTaskGroup(of: String?.self) { group in
            group.addTask {
                for await line in lines {
                    if let range = line.range(of: "DevTools listening on ") {
                        return String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces)
                    }
                }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
