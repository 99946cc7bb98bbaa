import Foundation
import Testing

@Suite("botcli bench")
struct BenchCommandTests {
    /// The benchmark itself is run by hand in release mode; here we only check that it works
    /// end to end and prints its figures (no timing assertions).
    @Test("bench load prints load and render figures")
    func benchLoadPrintsFigures() async throws {
        let output = try await BotCLIRunner.run(["bench", "load", "--flows", "20", "--runs", "1", "--seconds", "0.01"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("load+validate 20 flows (20 flows, 40 triggers,"))
        #expect(output.stdout.contains("render Hello (@ user.name ):"))
        #expect(output.stdout.contains("renders/s"))
    }

    @Test("bench growth measures new and returning users at each size, side by side, with memory and the store's size")
    func benchGrowthPrintsFigures() async throws {
        let output = try await BotCLIRunner.run(["bench", "growth", "--sizes", "100,300", "--conversations", "20", "--concurrency", "8"])
        #expect(output.status == 0, "\(output.stderr)")
        let table = output.stdout.components(separatedBy: "\n\n").last ?? ""
        let rows = table.split(separator: "\n").map(String.init)
        #expect(rows.first?.hasPrefix("threads    | growing   | new users") == true, "\(output.stdout)")
        let row = /^(\d+) +\| \d+ \/s +\| \d+ turns\/s, [\d.]+ ms, [\d.]+ ms +\| \d+ turns\/s, [\d.]+ ms, [\d.]+ ms +\| [\d.]+ MiB, [\d.]+ MiB +\| [\d.]+ MiB \+ [\d.]+ MiB$/
        #expect(rows.dropFirst().compactMap { try? row.wholeMatch(in: $0)?.output.1 }.map(String.init) == ["100", "300"], "\(table)")
    }

    @Test("bench growth stops growing at its time limit and measures the size it reached")
    func benchGrowthTimeLimit() async throws {
        // Five seconds: a loaded machine (the whole suite on 2 cores) once took more than one to grow to 10.
        let output = try await BotCLIRunner.run(["bench", "growth", "--sizes", "10,10M", "--conversations", "5", "--time-limit", "5"])
        #expect(output.status == 0, "\(output.stderr)")
        let stopped = try #require(output.stdout.firstMatch(of: /time limit \(5 s\) reached while growing to 10000000: measured at (\d+) threads/),
                                   "\(output.stdout)")
        let reached = try #require(Int(stopped.output.1))
        #expect(reached > 10 && reached < 10_000_000)
        #expect(output.stdout.contains("\n\(reached) "), "the table has a row for the size reached: \(output.stdout)")
    }

    @Test("bench growth refuses sizes out of order and names the bad one")
    func benchGrowthSizes() async throws {
        let unordered = try await BotCLIRunner.run(["bench", "growth", "--sizes", "2k,1k"])
        #expect(unordered.status != 0)
        #expect(unordered.stderr.contains("--sizes must be positive thread counts in ascending order"), "\(unordered.stderr)")
        let garbled = try await BotCLIRunner.run(["bench", "growth", "--sizes", "1k,2x"])
        #expect(garbled.stderr.contains("'2x' is not a thread count"), "\(garbled.stderr)")
    }

    // scripts/bench installs wrk; without it this is skipped, and the error is tested below.
    @Test("bench http serves the template app, drives it with wrk and prints turns/s, latency, the bare route and the ratio",
          .enabled(if: WrkAvailability.installed, "wrk is not installed"))
    func benchHTTPPrintsFigures() async throws {
        let output = try await BotCLIRunner.run(["bench", "http", "--duration", "2", "--warmup", "1", "--connections", "8"])
        #expect(output.status == 0, "\(output.stdout)\n\(output.stderr)")
        #expect(output.stdout.contains(/bare GET \/healthz: \d+ requests\/s/), "\(output.stdout)")
        #expect(output.stdout.contains(/\n\d+ turns\/s/))
        #expect(output.stdout.contains(/turn latency: p50 [\d.]+ ms, p90 [\d.]+ ms, p99 [\d.]+ ms/))
        #expect(output.stdout.contains(/ratio: \d+\.\d\d/))
        #expect(!output.stdout.contains("errors ("), "\(output.stdout)")
    }

    @Test("bench http without wrk names the package to install")
    func benchHTTPWithoutWrk() async throws {
        let output = try await BotCLIRunner.run(["bench", "http", "--duration", "1"], environment: ["PATH": "/nonexistent"])
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
