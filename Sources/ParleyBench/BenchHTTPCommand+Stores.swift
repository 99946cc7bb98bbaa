import BotRuntime
import BotServer
import Foundation
import ParleyApp
import ParleyPostgres
import PostgresNIO

/// `parley-bench http --store postgres`: the same REST turns on SQLite, on PostgreSQL with one
/// replica and with two, in one run.
extension BenchHTTPCommand {
    /// One server of the template app in this process, on its own engine and store.
    struct Replica {
        let engine: BotEngine
        let integrations: AppIntegrations
        let serving: Task<Void, any Error>
        let port: Int

        static func start(_ served: ServedApp, store: (any BotStore)?) async throws -> Replica {
            let logger = ParleyLogging.logger("parley.server")
            let integrations = AppIntegrations(setup: IntegrationSetup(logger: ParleyLogging.logger))
            let engine = try await served.openEngine(integrations: integrations, logger: logger, store: store)
            // As `botcli serve` runs: a REST turn's deadline on a shared store.
            let server = BotServer(configuration: BotServerConfiguration(host: "127.0.0.1", port: 0, integrations: integrations.all,
                                                                         clientAuthentication: .open,
                                                                         restTurnDeadline: store?.sharedLease == nil ? nil : StoreLocation.sharedStoreTurnDeadline),
                                   logger: logger)
            let (ports, listening) = AsyncStream.makeStream(of: Int.self)
            let serving = Task {
                defer { listening.finish() }
                try await server.serve(engine) { listening.yield($0) }
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                let reason: String
                if case .failure(let error) = await serving.result { reason = "\(error)" } else { reason = "it stopped" }
                throw BenchHTTPError.serverDidNotStart(reason)
            }
            return Replica(engine: engine, integrations: integrations, serving: serving, port: port)
        }

        func stop() async {
            serving.cancel()
            _ = await serving.result
            await engine.stop()
            await integrations.shutdown()
            await engine.store.close()
        }
    }

    func compareStores() async throws {
        guard let executable = WrkRun.locate() else { throw BenchHTTPError.wrkMissing }
        #if DEBUG
        print("note: this is a debug build; build with `swift build -c release` for real figures")
        #endif
        let server = try PostgresSettings(url: resolvedDatabaseURL!)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-bench-http-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let served = try await Self.templateApp(in: folder)
        print("bench http: template app over REST on 127.0.0.1; wrk \(connections) connections, \(wrkThreads) threads, split over the "
              + "replicas; \(duration) s per measurement; PostgreSQL at \(server)")
        var rows: [(name: String, figures: WrkRun.Figures)] = []
        rows.append(("SQLite (WAL), 1 process", try await measure(executable, replicas: [Replica.start(served, store: nil)], prefix: "sqlite")))
        for count in [1, 2] {
            let database = try await BenchDatabase.create(on: server)
            var replicas: [Replica] = []
            for index in 0..<count {
                let store = try await PostgresStore.open(database.settings, logger: ParleyLogging.logger("parley.store"))
                if index == 0 { try await Self.storeVaultValue(in: served.vaultSource(on: store).vault) }
                replicas.append(try await Replica.start(served, store: store))
            }
            rows.append(("PostgreSQL, \(count) replica\(count == 1 ? "" : "s")", try await measure(executable, replicas: replicas, prefix: "pg\(count)")))
            try await database.drop()
        }
        for row in rows {
            let figures = row.figures
            print("\(row.name): \(Self.number(figures.perSecond)) turns/s, p50 \(Self.ms(figures.p50)), p99 \(Self.ms(figures.p99))"
                  + (figures.errors > 0 ? ", \(figures.errors) errors" : ""))
        }
    }

    /// Warms up, then drives every replica at once, wrk's connections split between them; the
    /// turns of all, the latencies of the slowest. Stops the replicas.
    private func measure(_ executable: URL, replicas: [Replica], prefix: String) async throws -> WrkRun.Figures {
        let wrk = WrkRun(executable: executable, connections: max(1, connections / replicas.count),
                         threads: max(1, wrkThreads / replicas.count))
        let figures = try await withThrowingTaskGroup(of: WrkRun.Figures.self) { group in
            for (index, replica) in replicas.enumerated() {
                group.addTask {
                    let base = "http://127.0.0.1:\(replica.port)"
                    if warmup > 0 { _ = try await wrk.run(url: base, script: BenchHTTPScripts.turns, seconds: warmup, arguments: ["warm\(prefix)r\(index)"]) }
                    return try await wrk.run(url: base, script: BenchHTTPScripts.turns, seconds: duration, arguments: ["\(prefix)r\(index)"])
                }
            }
            return try await group.reduce(into: [WrkRun.Figures]()) { $0.append($1) }
        }
        try await Self.checkConversation(replicas[0].engine, prefix: "\(prefix)r0")
        for replica in replicas { await replica.stop() }
        return WrkRun.Figures(combining: figures)
    }
}

/// A database of its own for one measurement, on a server where the user may create them.
struct BenchDatabase {
    let settings: PostgresSettings
    private let server: PostgresSettings
    private let name: String

    static func create(on server: PostgresSettings) async throws -> BenchDatabase {
        let name = "parley_bench_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
        try await run("CREATE DATABASE \(name)", on: server)
        var settings = server
        settings.configuration.database = name
        return BenchDatabase(settings: settings, server: server, name: name)
    }

    func drop() async throws {
        try await Self.run("DROP DATABASE \(name)", on: server)
    }

    private static func run(_ statement: String, on server: PostgresSettings) async throws {
        let client = PostgresClient(configuration: server.configuration)
        let running = Task { await client.run() }
        defer { running.cancel() }
        try await client.query(PostgresQuery(unsafeSQL: statement))
    }
}

extension WrkRun.Figures {
    /// Runs of wrk at the same time against replicas: their turns added up, the worst latencies.
    init(combining runs: [WrkRun.Figures]) {
        self = runs[0]
        requests = runs.map(\.requests).reduce(0, +)
        seconds = runs.map(\.seconds).max() ?? 0
        (p50, p90, p99, max) = (runs.map(\.p50).max()!, runs.map(\.p90).max()!, runs.map(\.p99).max()!, runs.map(\.max).max()!)
        connectErrors = runs.map(\.connectErrors).reduce(0, +)
        readErrors = runs.map(\.readErrors).reduce(0, +)
        writeErrors = runs.map(\.writeErrors).reduce(0, +)
        statusErrors = runs.map(\.statusErrors).reduce(0, +)
        timeouts = runs.map(\.timeouts).reduce(0, +)
    }
}
