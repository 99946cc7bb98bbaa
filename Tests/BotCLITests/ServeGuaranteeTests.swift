import Foundation
import Hummingbird
import Testing

/// The durability promises of `botcli serve`, checked against the real binary over real HTTP on
/// 127.0.0.1 with its SQLite store: a message acknowledged with a 2xx survives SIGTERM and
/// `kill -9`, with exactly its bot turn; a message that got no answer may or may not be there,
/// but never half of it.
@Suite("botcli serve: stop and crash guarantees", .serialized)
struct ServeGuaranteeTests {
    static let token = "guarantee-test-admin-token-0123456789"

    /// Every message gets two outputs; the count shows each turn saw all earlier ones.
    static let files = [
        "flow/count.yaml": """
            triggers:
              - regex: .+
            steps:
              - thread_set:
                  count: (@ (thread.count or 0) + 1 )
              - say: count (@ thread.count )
              - say: done
            """,
    ]

    /// An app folder with `files` (the counter flow) and an admin token file.
    static func makeApp(_ files: [String: String] = files) throws -> URL {
        let root = try BotCLIRunner.temporaryApp(files, prefix: "parley-guarantee")
        try token.write(to: root.appendingPathComponent("admin.token"), atomically: true, encoding: .utf8)
        return root
    }

    static func serve(_ app: URL) async throws -> (process: BotCLIProcess, port: Int) {
        try await BotCLIRunner.serve(app: app, arguments: ["--admin-token-file", app.appendingPathComponent("admin.token").path])
    }

    @Test("SIGTERM under load: in-flight requests finish, the process exits 0, every acknowledged turn is stored whole")
    func sigterm() async throws {
        let app = try Self.makeApp()
        defer { try? FileManager.default.removeItem(at: app) }
        let (server, port) = try await Self.serve(app)
        let load = try await MessageLoad.run(ports: [port]) { server.send(SIGTERM) }
        let exit = try await server.waitForExit(timeout: .seconds(60))
        #expect(exit.reason == .exit && exit.status == 0, "\(server.output)")
        #expect(server.output.contains("stopped"))
        #expect(load.acknowledged.count >= MessageLoad.acknowledgedBeforeSignal)

        let (restarted, newPort) = try await Self.serve(app)
        let ledgers = try await Ledger.read(load.threads, port: newPort, token: Self.token)
        try Self.checkWhole(ledgers, acknowledged: load.acknowledged)
        restarted.send(SIGTERM)
        #expect(try await restarted.waitForExit().status == 0)
    }

    @Test("kill -9 under load: after a restart every acknowledged message has exactly one bot turn, and a resend changes nothing")
    func crash() async throws {
        let app = try Self.makeApp()
        defer { try? FileManager.default.removeItem(at: app) }
        let (server, port) = try await Self.serve(app)
        let load = try await MessageLoad.run(ports: [port]) { server.send(SIGKILL) }
        let exit = try await server.waitForExit(timeout: .seconds(60))
        #expect(exit.reason == .uncaughtSignal && exit.status == SIGKILL)

        let (restarted, newPort) = try await Self.serve(app)
        let ledgers = try await Ledger.read(load.threads, port: newPort, token: Self.token)
        try Self.checkWhole(ledgers, acknowledged: load.acknowledged)

        // The acknowledged messages again, all at once: the first answers, no new rows.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for message in load.acknowledged.keys {
                group.addTask {
                    let reply = try await LoopbackHTTP.request(port: newPort, .post, "/webhooks/rest/webhook", body: message.body)
                    #expect(reply.status == 200)
                    #expect(reply.body == load.acknowledged[message], "\(message.id)")
                }
            }
            try await group.waitForAll()
        }
        let after = try await Ledger.read(load.threads, port: newPort, token: Self.token)
        for thread in load.threads {
            #expect(after[thread]?.lastSequence == ledgers[thread]?.lastSequence, "\(thread)")
            #expect(after[thread]?.events.count == ledgers[thread]?.events.count, "\(thread)")
        }
        restarted.send(SIGTERM)
        #expect(try await restarted.waitForExit().status == 0)
    }

    @Test("a WebSocket client that never answers the close frame does not keep SIGTERM from ending the server")
    func silentWebSocket() async throws {
        let app = try Self.makeApp()
        defer { try? FileManager.default.removeItem(at: app) }
        let (server, port) = try await BotCLIRunner.serve(app: app, arguments: ["--shutdown-timeout", "1"])
        let socket = try SilentWebSocket(port: port, query: "user=ana")
        // The server counts the socket once it is open (bounded wait, not a timing assertion).
        var open = false
        for _ in 0..<200 where !open {
            let metrics = try await LoopbackHTTP.request(port: port, .get, "/metrics").body
            open = metrics.split(separator: "\n").contains { line in
                let parts = line.split(separator: " ")
                return parts.count == 2 && parts[0] == "parley_websockets_open" && Double(parts[1]) == 1
            }
            if !open { try await Task.sleep(for: .milliseconds(25)) }
        }
        #expect(open)
        server.send(SIGTERM)
        let exit = try await server.waitForExit(timeout: .seconds(60))
        #expect(exit.reason == .exit && exit.status == 0, "\(server.output)")
        withExtendedLifetime(socket) {}
    }

    /// Each thread's ledger is whole turns — a user message, `count N`, `done` — numbered
    /// without gaps up to the thread's last sequence, N counting the thread's messages; each
    /// acknowledged message is there once, followed by the outputs its answer carried.
    static func checkWhole(_ ledgers: [String: Ledger], acknowledged: [MessageLoad.Message: String]) throws {
        var found = 0
        for (thread, ledger) in ledgers {
            let events = ledger.events
            #expect(events.map(\.sequence) == Array(0..<events.count).map { $0 + 1 }, "\(thread): gaps")
            #expect(ledger.lastSequence == events.count, "\(thread): last_sequence \(ledger.lastSequence), \(events.count) events")
            #expect(events.count % 3 == 0, "\(thread): a half turn")
            var keys: [String: Int] = [:]
            for turn in stride(from: 0, to: events.count - events.count % 3, by: 3) {
                let (user, count, done) = (events[turn], events[turn + 1], events[turn + 2])
                #expect(user.sender == "user" && count.sender == "bot" && done.sender == "bot", "\(thread) at \(turn + 1)")
                #expect(count.text == "count \(turn / 3 + 1)", "\(thread) at \(turn + 2): \(count.text ?? "-")")
                #expect(done.text == "done")
                if let key = user.idempotencyKey { keys[key, default: 0] += 1 }
            }
            #expect(keys.values.allSatisfy { $0 == 1 }, "\(thread): a message handled twice")
            #expect(ledger.scopeCount == events.count / 3, "\(thread): count \(ledger.scopeCount ?? -1)")
            for (message, answer) in acknowledged where message.thread == thread {
                let key = #"["rest","\#(thread)","\#(message.id)"]"#
                guard let index = events.firstIndex(where: { $0.idempotencyKey == key }) else {
                    Issue.record("\(thread): acknowledged message \(message.id) is not in the ledger")
                    continue
                }
                found += 1
                let texts = events[(index + 1)...].prefix(2).compactMap(\.text)
                let answered = MessageLoad.texts(of: answer)
                #expect(texts == answered, "\(message.id): ledger \(texts), answered \(answered)")
            }
        }
        #expect(found == acknowledged.count)
    }

    @Test("a waiting ask with `timeout: 2s` fires its timeout once, also when the server was stopped through the deadline and restarted after it")
    func timeoutAcrossRestart() async throws {
        let app = try Self.makeApp([
            "flow/ask.yaml": """
                triggers:
                  - keyword: start
                steps:
                  - ask: What's your name?
                    timeout: 2s
                  - say: Hi (@ flow.result )!
                """,
            "flow/timeout.yaml": """
                triggers:
                  - event_type: parley.session.event.timeout
                steps:
                  - say: Still there?
                """,
        ])
        defer { try? FileManager.default.removeItem(at: app) }
        let (server, port) = try await Self.serve(app)
        for user in ["ana", "bo"] {
            let asked = try await LoopbackHTTP.request(port: port, .post, "/webhooks/rest/webhook", body: #"{"sender": "\#(user)", "message": "start"}"#)
            #expect(asked.status == 200 && asked.body.contains("What's your name?"), "\(asked.body)")
        }
        // Bo answers in time; Ana does not, and the server is down when her deadline passes.
        let answered = try await LoopbackHTTP.request(port: port, .post, "/webhooks/rest/webhook", body: #"{"sender": "bo", "message": "Bo"}"#)
        #expect(answered.body.contains("Hi Bo!"), "\(answered.body)")
        server.send(SIGTERM)
        #expect(try await server.waitForExit().status == 0)
        try await Task.sleep(for: .seconds(3))

        let (restarted, newPort) = try await Self.serve(app)
        defer { restarted.send(SIGTERM) }
        let deadline = ContinuousClock.now + .seconds(20)
        var fired: [Ledger.Entry] = []
        while fired.isEmpty, ContinuousClock.now < deadline {
            fired = try await Ledger.read("ana", port: newPort, token: Self.token).events.filter { $0.text == "Still there?" }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(fired.count == 1, "the timeout fired late rather than never")
        // Once: it stays one, and Bo, who answered, gets none.
        try await Task.sleep(for: .seconds(3))
        #expect(try await Ledger.read("ana", port: newPort, token: Self.token).events.filter { $0.text == "Still there?" }.count == 1)
        #expect(try await Ledger.read("bo", port: newPort, token: Self.token).events.allSatisfy { $0.text != "Still there?" })
    }
}

