import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import SharedTestFixtures
import Synchronization
import Testing
import TwilioEmulator

/// Two `botcli serve` processes on one PostgreSQL database (`--store postgres://…`), as replicas
/// behind a load balancer: the real binary over real HTTP on 127.0.0.1, on a throwaway cluster.
@Suite("botcli serve: two replicas on one PostgreSQL database", .serialized)
struct ServeReplicaTests {
    /// Replicas on `app` sharing a new database; a stopped replica's work is the other's after
    /// two seconds.
    static func replicas(_ app: URL, arguments: [String] = []) async throws -> [(process: BotCLIProcess, port: Int)] {
        let database = try await TestPostgres.database()
        var replicas: [(process: BotCLIProcess, port: Int)] = []
        for _ in 0..<2 {
            replicas.append(try await BotCLIRunner.serve(app: app, arguments: [
                "--store", database + "?sslmode=disable&lease=2",
                "--admin-token-file", app.appendingPathComponent("admin.token").path,
            ] + arguments))
        }
        return replicas
    }

    static func post(_ body: String, port: Int) async throws -> (status: Int, body: String) {
        let reply = try await LoopbackHTTP.request(port: port, .post, "/webhooks/rest/webhook", body: body)
        return (reply.status, reply.body)
    }

    @Test("200 concurrent messages to one thread over both replicas: each turn after the one before; one message id 50 times to each: one effect")
    func orderAndDuplicates() async throws {
        let app = try ServeGuaranteeTests.makeApp()
        defer { try? FileManager.default.removeItem(at: app) }
        let replicas = try await Self.replicas(app)
        let ports = replicas.map(\.port)
        let acknowledged = try await withThrowingTaskGroup(of: (MessageLoad.Message, String).self) { group in
            for number in 1...200 {
                let message = MessageLoad.Message(sender: "ana", thread: "ana", id: "m\(number)", text: "message \(number)")
                group.addTask {
                    let reply = try await Self.post(message.body, port: ports[number % 2])
                    #expect(reply.status == 200, "\(reply.body)")
                    return (message, reply.body)
                }
            }
            return try await group.reduce(into: [MessageLoad.Message: String]()) { $0[$1.0] = $1.1 }
        }
        let ledger = try await Ledger.read("ana", port: ports[0], token: ServeGuaranteeTests.token)
        #expect(ledger.events.count == 600)
        try ServeGuaranteeTests.checkWhole(["ana": ledger], acknowledged: acknowledged)

        let same = #"{"sender": "ana", "message": "once", "message_id": "the-same"}"#
        let answers = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<100 {
                group.addTask {
                    let reply = try await Self.post(same, port: ports[index % 2])
                    #expect(reply.status == 200)
                    return reply.body
                }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(answers).count == 1)
        #expect(MessageLoad.texts(of: answers[0]) == ["count 201", "done"])
        let after = try await Ledger.read("ana", port: ports[1], token: ServeGuaranteeTests.token)
        #expect(after.events.count == 603)
        #expect(after.scopeCount == 201)
        // Each replica counts the waits for the thread's lock (every one of its turns) and
        // shows its pool.
        var turns = 0
        for port in ports {
            let metrics = try await LoopbackHTTP.request(port: port, .get, "/metrics").body.split(separator: "\n")
            turns += metrics.compactMap { line -> Int? in
                guard line.hasPrefix("parley_store_lock_wait_seconds_count ") else { return nil }
                return Int(Double(line.split(separator: " ")[1]) ?? 0)
            }.reduce(0, +)
            #expect(metrics.contains("parley_store_pool_connections 20.0") || metrics.contains("parley_store_pool_connections 20"),
                    "\(metrics.filter { $0.hasPrefix("parley_store") })")
            #expect(metrics.contains { $0.hasPrefix("parley_store_turn_connections ") })
        }
        #expect(turns >= 300)
        for replica in replicas {
            replica.process.send(SIGTERM)
            #expect(try await replica.process.waitForExit().status == 0)
        }
    }

    @Test("kill -9 of one replica under load: every acknowledged message once with its one bot turn, and the other replica goes on with the same threads")
    func replicaKilled() async throws {
        let app = try ServeGuaranteeTests.makeApp()
        defer { try? FileManager.default.removeItem(at: app) }
        let replicas = try await Self.replicas(app)
        let (doomed, survivor) = (replicas[0], replicas[1])
        let load = try await MessageLoad.run(ports: replicas.map(\.port)) { doomed.process.send(SIGKILL) }
        let exit = try await doomed.process.waitForExit(timeout: .seconds(60))
        #expect(exit.reason == .uncaughtSignal && exit.status == SIGKILL)
        #expect(load.acknowledged.count >= MessageLoad.acknowledgedBeforeSignal)

        // The dead process's transactions were rolled back and its thread locks went with its
        // connections: the survivor answers on every thread, the shared one included.
        for thread in load.threads {
            let reply = try await Self.post(#"{"sender": "\#(thread)", "message": "after", "message_id": "after-\#(thread)"}"#,
                                            port: survivor.port)
            #expect(reply.status == 200, "\(thread): \(reply.body)")
        }
        let ledgers = try await Ledger.read(load.threads, port: survivor.port, token: ServeGuaranteeTests.token)
        try ServeGuaranteeTests.checkWhole(ledgers, acknowledged: load.acknowledged)
        survivor.process.send(SIGTERM)
        #expect(try await survivor.process.waitForExit().status == 0)
    }

    @Test("Flex behind a load balancer: an agent's messages handled on one replica reach the user's WebSocket on the other; kill -9 of that replica: the other takes over what it accepted, and each message reaches the user once, in order")
    func flexAcrossReplicas() async throws {
        let (app, emulator) = try await FlexHandoffServeTests.templateWithEmulator()
        defer { try? FileManager.default.removeItem(at: app) }
        let proxy = try await SwitchingProxy.start()
        do {
            let database = try await TestPostgres.database()
            // The app's vault (the emulator's account) goes where the replicas read it.
            let migrate = try await BotCLIRunner.run(["store", "migrate", "--app", app.path, "--to", database + "?sslmode=disable"])
            try #require(migrate.status == 0, "\(migrate.stderr)")
            var servers: [(process: BotCLIProcess, port: Int)] = []
            for _ in 0..<2 {
                servers.append(try await BotCLIRunner.serve(app: app, arguments: ["--store", database + "?sslmode=disable&lease=2",
                                                                                  "--public-url", proxy.url],
                                                            environment: ["PARLEY_ADMIN_TOKEN": FlexHandoffServeTests.token]))
            }
            let (webhooks, users) = (servers[0], servers[1])
            defer { users.process.send(SIGTERM) }
            // Twilio reaches the replicas through the balancer, which sends everything to the first.
            proxy.point(at: webhooks.port)
            try await FlexHandoffServeTests.pointWebhooks(of: emulator, at: proxy.port)
            let channel = try await TestClient.withClient(host: "127.0.0.1", port: users.port) { client in
                let handoff = FlexHandoffServeTests.Handoff(emulator: emulator, client: client)
                let task = try await FlexHandoffServeTests.handOver(handoff)
                try await handoff.agent.accept(task.sid)
                try await handoff.waitForLedger("status: Alice E. joined the chat.")
                return task.channelSid
            }
            let token = FlexHandoffServeTests.token
            let before = try await Ledger.read("ana", port: users.port, token: token).lastSequence
            let texts = (1...20).map { "agent message \($0)" }
            // The user's WebSocket is on the replica no webhook reaches.
            let seen = try await Self.agentTexts(port: users.port, after: before, count: texts.count) {
                for text in texts.prefix(10) { try await emulator.agent.say(text, channel: channel) }
            } then: {
                // The rest at once; the replica that accepts them dies, and the balancer moves on.
                for text in texts.suffix(10) { try await emulator.agent.say(text, channel: channel) }
                webhooks.process.send(SIGKILL)
                proxy.point(at: users.port)
            }
            #expect(seen == texts)
            let ledger = try await Ledger.read("ana", port: users.port, token: token)
            #expect(ledger.events.filter { $0.sender == "agent" && $0.text?.hasPrefix("agent message") == true }.compactMap(\.text) == texts)
            let exit = try await webhooks.process.waitForExit()
            #expect(exit.reason == .uncaughtSignal)
        } catch {
            await proxy.stop()
            await emulator.stop()
            throw error
        }
        await proxy.stop()
        await emulator.stop()
    }

    /// Opens the user's WebSocket on `port` (after ledger sequence `after`), runs `first`, waits
    /// for the agent's first half of `count` messages, runs `then`, and returns the texts of the
    /// agent messages the socket received, once `count` arrived (at most 60 s).
    static func agentTexts(port: Int, after: Int, count: Int, _ first: @escaping @Sendable () async throws -> Void,
                           then: @escaping @Sendable () async throws -> Void) async throws -> [String] {
        try await withThrowingTaskGroup(of: [String]?.self) { group in
            group.addTask {
                let received = Received()
                try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/ws?user=ana&thread=ana&after=\(after)",
                                                  logger: TestLogs.logger("parley.ws.test")) { inbound, _, _ in
                    try await first()
                    var thenDone = false
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        guard case .text(let text) = message,
                              let frame = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                              frame["sender"] as? String == "agent", let said = frame["text"] as? String else { continue }
                        let total = received.append(said)
                        if total == count / 2, !thenDone {
                            thenDone = true
                            try await then()
                        }
                        if total >= count { break }
                    }
                }
                return received.texts.withLock { $0 }
            }
            group.addTask {
                try await Task.sleep(for: .seconds(60))
                return nil
            }
            let texts = try await group.next() ?? nil
            group.cancelAll()
            return try #require(texts, "the agent's messages did not all reach the WebSocket in 60 s")
        }
    }

    @Test("a database that cannot be opened: serve says why (refused, no such database) and exits 1, never showing the password")
    func unreachableDatabase() async throws {
        let app = try ServeGuaranteeTests.makeApp()
        defer { try? FileManager.default.removeItem(at: app) }
        var missing = try #require(URLComponents(string: try await TestPostgres.database()))
        missing.path = "/no_such_database"
        missing.user = "postgres"
        missing.password = "hunter2"
        for (url, reason) in [("postgres://bot:hunter2@127.0.0.1:1/x?sslmode=disable", "Connection refused"),
                              (missing.string! + "?sslmode=disable", #"database "no_such_database" does not exist"#)] {
            let server = try BotCLIProcess(["serve", "--app", app.path, "--port", "0", "--store", url])
            let exit = try await server.waitForExit(timeout: .seconds(30))
            #expect(exit.status == 1, "\(server.output)")
            #expect(server.output.contains("cannot open the store") && server.output.contains(reason), "\(server.output)")
            #expect(!server.output.contains("hunter2"))
        }
    }

    @Test("/readyz asks the database: ready while it answers, 503 saying why once it is gone")
    func readinessAsksTheDatabase() async throws {
        let app = try ServeGuaranteeTests.makeApp()
        defer { try? FileManager.default.removeItem(at: app) }
        let database = try await TestPostgres.database()
        let (server, port) = try await BotCLIRunner.serve(app: app, arguments: ["--store", database + "?sslmode=disable"])
        defer { server.send(SIGTERM) }
        let ready = try await LoopbackHTTP.request(port: port, .get, "/readyz")
        #expect(ready.status == 200 && ready.body.contains("ready"), "\(ready.body)")
        let name = try #require(URLComponents(string: database)?.path.dropFirst())
        var cluster = try #require(URLComponents(string: database))
        cluster.path = "/postgres"
        try await ProjectScripts.run("/usr/bin/env", ["psql", cluster.string!, "--quiet", "--no-psqlrc", "-v", "ON_ERROR_STOP=1",
                                                      "-c", "DROP DATABASE \(name) WITH (FORCE)"])
        let gone = try await LoopbackHTTP.request(port: port, .get, "/readyz")
        #expect(gone.status == 503, "\(gone.body)")
        // The pool keeps trying to connect (the database is gone): the probe's own time limit answers.
        #expect(gone.body.contains(#""status":"store unavailable""#) && gone.body.contains("did not answer within 2 s"), "\(gone.body)")
    }
}

/// What a socket's handler received, read after it returns.
private final class Received: Sendable {
    let texts = Mutex<[String]>([])

    /// Adds `text`; how many there are now.
    func append(_ text: String) -> Int {
        texts.withLock { texts in
            texts.append(text)
            return texts.count
        }
    }
}
