import ArgumentParser
import BotRuntime
import FlowDSL
import Foundation

/// `parley-bench growth`: what a turn costs, in time and memory, as the SQLite store fills up
/// with threads.
struct BenchGrowthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "growth",
        abstract: "Measure turn latency and memory as the SQLite store grows to 1k, 100k and 1M threads.",
        discussion: """
            One SQLite store (WAL, group commits, in a temporary folder) grows through --sizes: \
            each new thread is a template-app user who said `start` and was asked their name \
            (one engine turn, as a real first message leaves it). At each size, --conversations \
            new users run the pre-chat conversation (start, a name, a button: 3 turns), then \
            --conversations earlier users picked at random come back and give their name (1 turn \
            on an existing thread), --concurrency at a time. Prints, side by side for every size: \
            the growth rate, turns/s and p50 / p99 latency of new and returning users, this \
            process's resident memory (now and peak) and the store's size on disk (database and write-ahead log). Growing stops \
            at --time-limit, and the last size reached is measured and named. Build with `-c release`.
            """
    )

    @Option(help: "Thread counts to measure at, comma-separated, ascending (k and M suffixes allowed; default 1k,100k,1M).",
            transform: BenchGrowthCommand.parseSizes)
    var sizes: [Int] = [1_000, 100_000, 1_000_000]

    @Option(help: "New conversations, and as many returning users, measured at each size.")
    var conversations = 1_000

    @Option(help: "Turns in flight at once.")
    var concurrency = 64

    @Option(name: .customLong("time-limit"), help: "Seconds the whole run may take; growing stops there and the size reached is measured.")
    var timeLimit = 1_800

    func validate() throws {
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 > 0 }), sizes == sizes.sorted(), Set(sizes).count == sizes.count else {
            throw ValidationError("--sizes must be positive thread counts in ascending order, e.g. 1k,100k,1M")
        }
        guard conversations > 0, concurrency > 0, timeLimit > 0 else {
            throw ValidationError("--conversations, --concurrency and --time-limit must be positive")
        }
        guard conversations <= sizes[0] else {
            throw ValidationError("--conversations (\(conversations)) must not exceed the smallest size (\(sizes[0])): returning users are distinct existing threads")
        }
    }

    /// `1000`, `1k`, `1M` → 1000, 1000, 1000000.
    static func parseSizes(_ text: String) throws -> [Int] {
        try text.split(separator: ",").map { part in
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            let (digits, scale) = switch trimmed.last {
            case "k", "K": (trimmed.dropLast(), 1_000)
            case "m", "M": (trimmed.dropLast(), 1_000_000)
            default: (Substring(trimmed), 1)
            }
            guard let number = Int(digits), number.multipliedReportingOverflow(by: scale).overflow == false else {
                throw ValidationError("--sizes: '\(trimmed)' is not a thread count (e.g. 1000, 100k, 1M)")
            }
            return number * scale
        }
    }

    func run() async throws {
        #if DEBUG
        print("note: this is a debug build; build with `swift build -c release` for real figures")
        #endif
        let deadline = ContinuousClock.now + .seconds(timeLimit)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-bench-growth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("state.sqlite").path
        let engine = BotEngine(app: try BenchEngineCommand.templateApp(), store: try SQLiteStore(path: path),
                               options: EngineOptions(realDelays: false))
        print("bench growth: template app, SQLite store (WAL) at \(path); \(concurrency) turns in flight; "
              + "at each size \(conversations) new conversations (3 turns) and \(conversations) returning users (1 turn)")

        var grown = GrownThreads()
        var stages: [Stage] = []
        for size in sizes {
            // Earlier sizes' new users count among the existing threads.
            let measuredUsers = stages.count * conversations
            let growth = try await grow(engine, to: max(size - measuredUsers, grown.count), from: &grown, until: deadline)
            let existing = grown.count + measuredUsers
            print("grew to \(existing) threads: \(Int(growth.turnsPerSecond)) turns/s")
            let fresh = try await newConversations(engine, numbered: stages.count)
            let returning = try await returningUsers(engine, from: &grown)
            let stage = Stage(existingThreads: existing, growth: growth, fresh: fresh, returning: returning,
                              resident: ProcessMemory.residentBytes() ?? 0, peakResident: ProcessMemory.peakResidentBytes() ?? 0,
                              databaseBytes: Self.fileBytes(path), logBytes: Self.fileBytes(path + "-wal"))
            print(stage.line)
            stages.append(stage)
            if existing < size {
                print("time limit (\(timeLimit) s) reached while growing to \(size): measured at \(existing) threads")
                break
            }
        }
        print("")
        print(Stage.header)
        for stage in stages { print(stage.line) }
    }

    /// Grows the store to `size` grown threads, each one template-app user who said `start`.
    private func grow(_ engine: BotEngine, to size: Int, from grown: inout GrownThreads,
                      until deadline: ContinuousClock.Instant) async throws -> BenchEngineCommand.Round {
        let first = grown.count
        let start = ContinuousClock.now, cpuStart = ProcessCPU.seconds()
        let (added, latencies) = try await BenchWorkers.run(count: size - first, concurrency: concurrency, until: deadline) { offset in
            let number = first + offset, started = ContinuousClock.now
            _ = try await engine.handle(GrownThreads.event(number, text: "start"))
            return [ContinuousClock.now - started]
        }
        // Workers that stop at the deadline leave no gap: each finished the number it took, and
        // numbers are taken in order, so the first `added` numbers are all there.
        grown.count = first + added
        return BenchEngineCommand.Round(latencies: latencies.map(\.seconds).sorted(), seconds: (ContinuousClock.now - start).seconds,
                                        cpuSeconds: ProcessCPU.seconds() - cpuStart)
    }

    /// `conversations` pre-chat conversations on new threads.
    private func newConversations(_ engine: BotEngine, numbered stage: Int) async throws -> BenchEngineCommand.Round {
        let conversations = conversations
        let start = ContinuousClock.now, cpuStart = ProcessCPU.seconds()
        let (_, latencies) = try await BenchWorkers.run(count: conversations, concurrency: concurrency) { offset in
            let conversation = try await BenchEngineCommand.conversation(engine, number: stage * conversations + offset)
            guard conversation.turns == 3 else { throw ValidationError("a new conversation ended after \(conversation.turns) turns") }
            return conversation.latencies
        }
        return BenchEngineCommand.Round(latencies: latencies.map(\.seconds).sorted(), seconds: (ContinuousClock.now - start).seconds,
                                        cpuSeconds: ProcessCPU.seconds() - cpuStart)
    }

    /// `conversations` grown threads, picked at random among those not yet back, answer the name question.
    private func returningUsers(_ engine: BotEngine, from grown: inout GrownThreads) async throws -> BenchEngineCommand.Round {
        let picked = grown.pickUnreturned(conversations)
        let start = ContinuousClock.now, cpuStart = ProcessCPU.seconds()
        let (_, latencies) = try await BenchWorkers.run(count: picked.count, concurrency: concurrency) { index in
            let started = ContinuousClock.now
            let result = try await engine.handle(GrownThreads.event(picked[index], text: "Ana"))
            let latency = ContinuousClock.now - started
            guard result.outputs.contains(where: { !$0.choices.isEmpty }) else {
                throw ValidationError("returning user \(picked[index]) was not asked the issue question: \(result.plainLines)")
            }
            return [latency]
        }
        return BenchEngineCommand.Round(latencies: latencies.map(\.seconds).sorted(), seconds: (ContinuousClock.now - start).seconds,
                                        cpuSeconds: ProcessCPU.seconds() - cpuStart)
    }

    /// The size of a file in bytes, 0 if it is not there.
    static func fileBytes(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }
}

/// The threads the growth run made, numbered from 0, and which of them came back already.
private struct GrownThreads {
    var count = 0
    private var returned: Set<Int> = []

    static func event(_ number: Int, text: String) -> Event {
        Event(type: EventTypes.say, threadID: "grown-\(number)", userID: "grown-user-\(number)", data: ["text": .string(text)])
    }

    /// Up to `wanted` distinct thread numbers below `count`, at random, none picked before.
    mutating func pickUnreturned(_ wanted: Int) -> [Int] {
        var picked: [Int] = []
        let available = count - returned.count
        while picked.count < min(wanted, available) {
            let number = Int.random(in: 0..<count)
            if returned.insert(number).inserted { picked.append(number) }
        }
        return picked
    }
}

/// One size's figures.
private struct Stage {
    /// Threads in the store before this size's measured turns: grown ones and earlier sizes' new users.
    var existingThreads: Int
    var growth: BenchEngineCommand.Round
    var fresh: BenchEngineCommand.Round
    var returning: BenchEngineCommand.Round
    var resident: Int
    var peakResident: Int
    var databaseBytes: Int
    /// The write-ahead log, which the store keeps within about 5,000 turns of pages.
    var logBytes: Int

    static let header = "threads    | growing   | new users: turns/s, p50, p99     | returning: turns/s, p50, p99     | RSS now, peak         | database + log"

    var line: String {
        func figures(_ round: BenchEngineCommand.Round) -> String {
            "\(Int(round.turnsPerSecond)) turns/s, \(round.percentile(0.5)), \(round.percentile(0.99))"
        }
        func padded(_ text: String, _ width: Int) -> String { text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0) }
        return [padded("\(existingThreads)", 10), padded("\(Int(growth.turnsPerSecond)) /s", 9), padded(figures(fresh), 32),
                padded(figures(returning), 32), padded("\(ProcessMemory.mebibytes(resident)), \(ProcessMemory.mebibytes(peakResident))", 21),
                "\(ProcessMemory.mebibytes(databaseBytes)) + \(ProcessMemory.mebibytes(logBytes))"].joined(separator: " | ")
    }
}
