import ArgumentParser
import BotRuntime
import FlowDSL
import Foundation
import ParleyApp

/// `parley-bench engine`: turns per second of the template's pre-chat conversation.
struct BenchEngineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "Measure engine turns per second on the template app's pre-chat conversation.",
        discussion: """
            Each conversation is the template's pre-chat: the user says `start`, gives a name, \
            clicks a button (3 user turns). --threads conversations run on distinct threads, \
            --concurrency of them at a time, in --rounds rounds on fresh stores. Prints each \
            round's turns/s, then the median round's turns/s, p50 / p99 turn latency and the \
            process's CPU time per turn. The peer is benchmarks/peers/botframework/prechat_bench.py \
            (Bot Framework, same conversation); see BENCHMARKS.md. Build with `-c release`.
            """
    )

    enum StoreKind: String, ExpressibleByArgument, CaseIterable {
        case memory, sqlite
    }

    @Option(help: "Number of conversations, each on its own thread.")
    var threads = 20_000

    @Option(help: "Conversations in flight at once.")
    var concurrency = 64

    @Option(help: "Where state goes: memory, or sqlite (a temporary file, WAL).")
    var store: StoreKind = .memory

    @Option(help: "Rounds, each on a fresh store; the figures printed are the median round's (this machine is shared: single runs move by ±30%).")
    var rounds = 5

    func validate() throws {
        guard threads > 0, concurrency > 0, rounds > 0 else { throw ValidationError("--threads, --concurrency and --rounds must be positive") }
    }

    func run() async throws {
        #if DEBUG
        print("note: this is a debug build; build with `swift build -c release` for real figures")
        #endif
        let app = try Self.templateApp()
        var results: [Round] = []
        for number in 1...rounds {
            let round = try await measure(app)
            print("round \(number): \(Int(round.turnsPerSecond)) turns/s")
            results.append(round)
        }
        let median = results.sorted { $0.turnsPerSecond < $1.turnsPerSecond }[results.count / 2]
        print("engine, \(store.rawValue) store: \(threads) conversations, \(median.latencies.count) turns in "
              + "\(String(format: "%.2f", median.seconds)) s (median of \(rounds) rounds)")
        print("\(Int(median.turnsPerSecond)) turns/s")
        print("turn latency: p50 \(median.percentile(0.50)), p99 \(median.percentile(0.99))")
        print("cpu: \(String(format: "%.1f", median.cpuSeconds / Double(median.latencies.count) * 1e6)) µs per turn "
              + "(this process, all threads; \(String(format: "%.2f", median.cpuSeconds / median.seconds)) cores busy)")
    }

    /// The template app as `botcli init` writes it, loaded in memory.
    static func templateApp() throws -> BotApp {
        let sources = AppTemplate.files.filter { $0.path.hasSuffix(".yaml") && !$0.path.hasPrefix("tests/") }.map {
            AppSource(path: $0.path, text: String(decoding: $0.contents, as: UTF8.self))
        }
        let loaded = AppLoader(registry: ParleyIntegrations.standardRegistry).load(sources: sources)
        guard let app = loaded.app else { throw ValidationError("the template app does not load: \(loaded.diagnostics.first?.description ?? "")") }
        return app
    }

    /// One round's figures.
    struct Round {
        var latencies: [Double]
        var seconds: Double
        var cpuSeconds: Double

        var turnsPerSecond: Double { Double(latencies.count) / seconds }

        func percentile(_ p: Double) -> String {
            guard !latencies.isEmpty else { return "no turns" }
            return String(format: "%.2f ms", latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] * 1000)
        }
    }

    /// `threads` conversations on a fresh store and engine.
    private func measure(_ app: BotApp) async throws -> Round {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let botStore: any BotStore = switch store {
        case .memory: MemoryStore(expectedThreads: threads + 1)
        case .sqlite: try SQLiteStore(path: directory.appendingPathComponent("state.sqlite").path)
        }
        let engine = BotEngine(app: app, store: botStore, options: EngineOptions(realDelays: false))

        // Warm up, and check the conversation does what it should.
        let check = try await Self.conversation(engine, number: -1, transcript: true)
        guard check.lines.contains(where: { $0.hasPrefix("button: ") }), check.turns == 3 else {
            throw ValidationError("the pre-chat conversation did not run as expected: \(check.lines)")
        }

        let start = ContinuousClock.now, cpuStart = ProcessCPU.seconds()
        let (_, latencies) = try await BenchWorkers.run(count: threads, concurrency: concurrency) { number in
            try await Self.conversation(engine, number: number).latencies
        }
        let seconds = (ContinuousClock.now - start).seconds, cpu = ProcessCPU.seconds() - cpuStart
        return Round(latencies: latencies.map(\.seconds).sorted(), seconds: seconds, cpuSeconds: cpu)
    }

    /// One pre-chat conversation: start → name → click the first issue button.
    static func conversation(_ engine: BotEngine, number: Int, transcript: Bool = false) async throws
        -> (turns: Int, latencies: [Duration], lines: [String]) {
        let thread = "bench-\(number)", user = "bench-user-\(number)"
        var latencies: [Duration] = [], lines: [String] = []
        func turn(_ type: String, _ data: TemplateMap) async throws -> TurnResult {
            let start = ContinuousClock.now
            let result = try await engine.handle(Event(type: type, threadID: thread, userID: user, data: data))
            latencies.append(ContinuousClock.now - start)
            if transcript { lines += result.plainLines }
            return result
        }
        _ = try await turn(EventTypes.say, ["text": .string("start")])
        let named = try await turn(EventTypes.say, ["text": .string("Ana")])
        guard let button = named.outputs.flatMap({ $0.choices }).first else { return (2, latencies, lines) }
        if let id = button.buttonID {
            _ = try await turn(EventTypes.click, ["button_id": .string(id), "text": .string(button.text)])
        } else {
            _ = try await turn(EventTypes.say, ["text": .string(button.text)])
        }
        return (latencies.count, latencies, lines)
    }
}
