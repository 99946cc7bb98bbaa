import ArgumentParser
import BotRuntime
import BotServer
import FlowDSL
import Foundation
import ParleyApp
import Vault

/// `parley-bench http`: what the HTTP server adds to a turn — REST turns per second and their
/// latency, against the bare `/healthz` route measured in the same run.
struct BenchHTTPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http",
        abstract: "Measure REST turns per second and latency over HTTP, against the bare /healthz route.",
        discussion: """
            Serves a temporary copy of the template app in this process on 127.0.0.1, with the \
            durable SQLite store (WAL, group commits) and a vault holding a real value, as \
            `botcli serve` does. wrk (Debian package `wrk`) then drives, one after the other: \
            --warmup seconds of turns, --duration seconds of the bare GET /healthz, and \
            --duration seconds of turns. Turns are web chat users, each a distinct sender on a \
            thread of its own, who send their next message once the previous answer came back: \
            page_open, a name, a button click, an order question, `contact` (5 turns), each with \
            a message_id. Prints the bare route's requests/s, turns/s, p50 / p99 turn latency \
            (as wrk measures it, connection to answer) and `ratio: R`, turn throughput over bare \
            throughput. wrk and the server share this machine's cores. Build with `-c release`.

            --store postgres measures, in one run and on the same turns, SQLite, then PostgreSQL \
            (--database-url, default $PARLEY_DATABASE_URL: a server where the user may create \
            databases; each measurement gets a new one, dropped after) with one replica and with \
            two: two servers in this process, each with its own store and pool, wrk's connections \
            split between them as a load balancer would. Prints one line per configuration: \
            turns/s and p50 / p99 (the slower replica's).
            """
    )

    @Option(help: "Seconds each measured phase lasts (the bare route, then the turns).")
    var duration = 15

    @Option(help: "Seconds of turns before measuring, to warm connections, caches and the store.")
    var warmup = 3

    @Option(help: "HTTP connections wrk keeps busy.")
    var connections = 64

    @Option(name: .customLong("wrk-threads"), help: "wrk threads.")
    var wrkThreads = 2

    /// Where state goes.
    enum StoreKind: String, ExpressibleByArgument, CaseIterable {
        case memory, sqlite, postgres
    }

    @Option(help: ArgumentHelp("Where state goes: sqlite (as `botcli serve` keeps it, the target's figure), memory (to see what the "
                               + "store costs), or postgres (SQLite, PostgreSQL with one replica and with two, side by side)."))
    var store: StoreKind = .sqlite

    @Option(name: .customLong("database-url"),
            help: ArgumentHelp("The PostgreSQL server for --store postgres (default: $PARLEY_DATABASE_URL).", valueName: "url"))
    var databaseURL: String?

    func validate() throws {
        guard duration > 0 else { throw ValidationError("--duration must be at least 1 second") }
        guard warmup >= 0 else { throw ValidationError("--warmup must not be negative") }
        guard connections > 0, wrkThreads > 0 else { throw ValidationError("--connections and --wrk-threads must be positive") }
        guard connections >= wrkThreads else { throw ValidationError("--connections must be at least --wrk-threads") }
        if store == .postgres, resolvedDatabaseURL == nil {
            throw ValidationError("--store postgres needs --database-url URL (or PARLEY_DATABASE_URL)")
        }
    }

    var resolvedDatabaseURL: String? {
        databaseURL ?? ProcessInfo.processInfo.environment["PARLEY_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    func run() async throws {
        do {
            if store == .postgres { try await compareStores() } else { try await measure() }
        } catch let error as BenchHTTPError {
            Terminal.error("error: \(error)")
            throw ExitCode(1)
        } catch let error as ServeFailure {
            Terminal.error("error: \(error)")
            throw ExitCode(1)
        }
    }

    private func measure() async throws {
        guard let executable = WrkRun.locate() else { throw BenchHTTPError.wrkMissing }
        #if DEBUG
        print("note: this is a debug build; build with `swift build -c release` for real figures")
        #endif
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-bench-http-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let served = try await Self.templateApp(in: folder)
        // As `botcli serve` runs it, with the app's integrations (the conversation hands nothing over).
        let replica = try await Replica.start(served, store: store == .memory ? MemoryStore() : nil)
        let port = replica.port

        let wrk = WrkRun(executable: executable, connections: connections, threads: wrkThreads)
        let base = "http://127.0.0.1:\(port)"
        print("bench http: template app over REST on 127.0.0.1, \(store == .memory ? "memory store" : "SQLite store (WAL)"); wrk \(connections) connections, "
              + "\(wrkThreads) threads; \(duration) s per phase")
        if warmup > 0 { _ = try await wrk.run(url: base, script: BenchHTTPScripts.turns, seconds: warmup, arguments: ["warmup"]) }
        let bare = try await wrk.run(url: base + "/healthz", script: BenchHTTPScripts.bare, seconds: duration)
        let turns = try await wrk.run(url: base, script: BenchHTTPScripts.turns, seconds: duration, arguments: ["run"])
        try await Self.checkConversation(replica.engine)
        await replica.stop()

        print("bare GET /healthz: \(Self.number(bare.perSecond)) requests/s, p50 \(Self.ms(bare.p50)), p99 \(Self.ms(bare.p99))")
        print("\(Self.number(turns.perSecond)) turns/s (\(turns.requests) turns in \(String(format: "%.1f", turns.seconds)) s)")
        print("turn latency: p50 \(Self.ms(turns.p50)), p90 \(Self.ms(turns.p90)), p99 \(Self.ms(turns.p99)), max \(Self.ms(turns.max))")
        print("ratio: \(String(format: "%.2f", bare.perSecond > 0 ? turns.perSecond / bare.perSecond : 0)) (turns/s over bare requests/s)")
        for (name, figures) in [("bare route", bare), ("turns", turns)] where figures.errors > 0 {
            print("errors (\(name)): \(figures.statusErrors) non-2xx, \(figures.timeouts) timeouts, "
                  + "\(figures.connectErrors + figures.readErrors + figures.writeErrors) socket errors")
        }
    }

    /// The template app written to `folder`, with a key pair and the vault value its
    /// `contact` flow shows, ready to serve from `folder/.parley/state.sqlite`.
    static func templateApp(in folder: URL) async throws -> ServedApp {
        for file in AppTemplate.files {
            let url = folder.appendingPathComponent(file.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try file.contents.write(to: url)
        }
        let vault = AppVault(app: folder, environment: [:])
        _ = try vault.keyring.generate(force: false)
        try await storeVaultValue(in: vault)
        let loaded = AppLoader(registry: ParleyIntegrations.standardRegistry).load(folder)
        guard let app = loaded.app else {
            throw BenchHTTPError.conversationFailed("the template app does not load: \(loaded.diagnostics.first?.description ?? "")")
        }
        return ServedApp(app: app, root: folder, environment: [:], logger: ParleyLogging.logger)
    }

    /// The vault value the template's `contact` flow shows, stored in `vault`.
    static func storeVaultValue(in vault: AppVault) async throws {
        _ = try await vault.upload([("support_phone", .string("+1-555-0100"))])
    }

    /// The run's first sender that wrk sent went through the conversation as designed: five
    /// user turns, the last one showing the contact text. (wrk calls the script's `request()`
    /// once to check it without sending it, so `run-1-1` may never have been sent.)
    static func checkConversation(_ engine: BotEngine, prefix: String = "run") async throws {
        for number in 1...10 {
            let sender = "\(prefix)-1-\(number)"
            let events = try await engine.events(thread: sender)
            guard !events.isEmpty else { continue }
            let users = events.filter { $0.sender == .user }.count
            guard users == 5, events.last?.text?.hasPrefix("You can call us at") == true else {
                throw BenchHTTPError.conversationFailed("\(sender) sent \(users) messages; the last answer was "
                                                        + "\(events.last?.text.map { "\"\($0)\"" } ?? "none")")
            }
            return
        }
        throw BenchHTTPError.conversationFailed("no conversation of the run is in the store")
    }

    static func number(_ value: Double) -> String { String(Int(value.rounded())) }

    static func ms(_ seconds: Double) -> String { String(format: "%.2f ms", seconds * 1000) }
}
