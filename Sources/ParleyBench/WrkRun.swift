import Foundation

/// One run of wrk, the HTTP load generator, and the figures its `done()` printed (see
/// `BenchHTTPScripts`). wrk comes from Debian's `wrk` package; `parley-bench http` drives it.
struct WrkRun {
    /// What one run measured.
    struct Figures: Equatable {
        var requests: Int
        var seconds: Double
        var p50: Double, p90: Double, p99: Double, max: Double
        var connectErrors = 0, readErrors = 0, writeErrors = 0, statusErrors = 0, timeouts = 0

        var perSecond: Double { seconds > 0 ? Double(requests) / seconds : 0 }
        var errors: Int { connectErrors + readErrors + writeErrors + statusErrors + timeouts }

        /// The `parley-wrk key=value …` line of wrk's output; nil when there is none.
        init?(output: String) {
            guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("parley-wrk ") }) else { return nil }
            var values: [String: Int] = [:]
            for pair in line.split(separator: " ").dropFirst() {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, let value = Int(parts[1]) { values[String(parts[0])] = value }
            }
            guard let requests = values["requests"], let duration = values["duration_us"], let p50 = values["p50_us"],
                  let p90 = values["p90_us"], let p99 = values["p99_us"], let max = values["max_us"] else { return nil }
            self.requests = requests
            seconds = Double(duration) / 1e6
            (self.p50, self.p90, self.p99, self.max) = (Double(p50) / 1e6, Double(p90) / 1e6, Double(p99) / 1e6, Double(max) / 1e6)
            connectErrors = values["connect_errors"] ?? 0
            readErrors = values["read_errors"] ?? 0
            writeErrors = values["write_errors"] ?? 0
            statusErrors = values["status_errors"] ?? 0
            timeouts = values["timeouts"] ?? 0
        }
    }

    /// The Debian package that provides wrk.
    static let package = "wrk"

    let executable: URL
    let connections: Int
    let threads: Int

    /// wrk from PATH; nil when it is not installed.
    static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        for directory in (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("wrk")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Runs wrk against `url` for `seconds` with `script` (Lua text), passing `arguments` to the
    /// script's `init`. Waits without holding a thread: the server under test may be in this process.
    func run(url: String, script: String, seconds: Int, arguments: [String] = []) async throws(BenchHTTPError) -> Figures {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-wrk-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let scriptURL = folder.appendingPathComponent("script.lua"), outputURL = folder.appendingPathComponent("output")
        let process = Process()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try script.write(to: scriptURL, atomically: true, encoding: .utf8)
            _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
            let output = try FileHandle(forWritingTo: outputURL)
            defer { try? output.close() }
            process.executableURL = executable
            process.arguments = ["-t", "\(threads)", "-c", "\(connections)", "-d", "\(seconds)s", "--timeout", "10s",
                                 "-s", scriptURL.path, url] + (arguments.isEmpty ? [] : ["--"] + arguments)
            process.standardOutput = output
            process.standardError = output
            process.standardInput = FileHandle.nullDevice
            let (ended, ending) = AsyncStream.makeStream(of: Void.self)
            process.terminationHandler = { _ in ending.yield(); ending.finish() }
            try process.run()
            for await _ in ended {}
        } catch {
            throw .wrkFailed(status: -1, output: "\(error)")
        }
        let text = (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else { throw .wrkFailed(status: process.terminationStatus, output: text) }
        guard let figures = Figures(output: text) else { throw .unreadableOutput(text) }
        return figures
    }
}
