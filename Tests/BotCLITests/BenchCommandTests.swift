import Foundation
import Testing

@Suite("botcli bench")
struct BenchCommandTests {
    /// The benchmark itself is run by hand in release mode; here we only check that it works
    /// end to end and prints its figures (no timing assertions).
    @Test("bench load prints load and render figures")
    func benchLoadPrintsFigures() throws {
        let output = try BotCLIRunner.run(["bench", "load", "--flows", "20", "--runs", "1", "--seconds", "0.01"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("load+validate 20 flows (20 flows, 40 triggers,"))
        #expect(output.stdout.contains("render Hello (@ user.name ):"))
        #expect(output.stdout.contains("renders/s"))
    }

    // scripts/bench installs wrk; without it this is skipped, and the error is tested below.
    @Test("bench http serves the template app, drives it with wrk and prints turns/s, latency, the bare route and the ratio",
          .enabled(if: WrkAvailability.installed, "wrk is not installed"))
    func benchHTTPPrintsFigures() throws {
        let output = try BotCLIRunner.run(["bench", "http", "--duration", "2", "--warmup", "1", "--connections", "8"])
        #expect(output.status == 0, "\(output.stdout)\n\(output.stderr)")
        #expect(output.stdout.contains(/bare GET \/healthz: \d+ requests\/s/), "\(output.stdout)")
        #expect(output.stdout.contains(/\n\d+ turns\/s/))
        #expect(output.stdout.contains(/turn latency: p50 [\d.]+ ms, p90 [\d.]+ ms, p99 [\d.]+ ms/))
        #expect(output.stdout.contains(/ratio: \d+\.\d\d/))
        #expect(!output.stdout.contains("errors ("), "\(output.stdout)")
    }

    @Test("bench http without wrk names the package to install")
    func benchHTTPWithoutWrk() throws {
        let output = try BotCLIRunner.run(["bench", "http", "--duration", "1"], environment: ["PATH": "/nonexistent"])
        #expect(output.status == 1)
        #expect(output.stderr.contains("wrk is not installed"), "\(output.stderr)")
        #expect(output.stderr.contains("apt-get install wrk"))
    }
}

/// Whether wrk is on PATH, for the test that needs it.
enum WrkAvailability {
    static var installed: Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/wrk")
        }
    }
}
