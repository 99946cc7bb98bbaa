import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("botcli serve")
struct ServeCommandTests {
    @Test("--help documents the channel, the probes, the flags and their environment variables")
    func help() async throws {
        let output = try await BotCLIRunner.run(["serve", "--help"])
        #expect(output.status == 0)
        for text in ["/chat", "/ws?user=", "after=", "/webhooks/rest/webhook", "/healthz", "/readyz", "page_open", "message_id", "--host", "--port",
                     "--public-url", "PARLEY_HOST", "PARLEY_PORT", "PARLEY_PUBLIC_URL", "--max-body-size",
                     "parley_websockets_open", #"parley_turns_total{channel="rest"|"websocket"}"#, "--shutdown-timeout",
                     "--turn-timeout", "PARLEY_TURN_TIMEOUT"] {
            #expect(output.stdout.contains(text), "missing \(text)")
        }
    }

    @Test("a bad port or public URL is refused before anything starts")
    func validation() async throws {
        let port = try await BotCLIRunner.run(["serve", "--app", BotCLIRunner.fixtureApp("conversation-tests").path],
                                        environment: ["PARLEY_PORT": "eighty"])
        #expect(port.status != 0 && port.stderr.contains("PARLEY_PORT must be a port number"))
        let url = try await BotCLIRunner.run(["serve", "--public-url", "bot.example.com"])
        #expect(url.status != 0 && url.stderr.contains("--public-url must be an http:// or https:// URL"))
    }

    @Test("--turn-timeout: a REST turn not done in time is answered 503 and goes on; the retry with its message_id gets its answer")
    func turnTimeout() async throws {
        let app = try BotCLIRunner.temporaryApp(["flow/slow.yaml": "triggers:\n  - keyword: slow\nsteps:\n  - delay: 2\n  - say: done at last\n"])
        defer { try? FileManager.default.removeItem(at: app) }
        let refused = try await BotCLIRunner.run(["serve", "--app", app.path, "--turn-timeout=-1"])
        #expect(refused.status != 0 && refused.stderr.contains("--turn-timeout must be 0 or more seconds"), "\(refused.stderr)")

        let (server, port) = try await BotCLIRunner.serve(app: app, arguments: ["--turn-timeout", "0.5"])
        defer { server.send(SIGTERM) }
        let body = #"{"sender": "ana", "message": "slow", "message_id": "m-1"}"#
        let first = try await LoopbackHTTP.request(port: port, .post, "/webhooks/rest/webhook", body: body)
        #expect(first.status == 503, "\(first.body)")
        #expect(first.body.contains("send the message again with the same message_id"))
        try await Task.sleep(for: .seconds(2))
        let again = try await LoopbackHTTP.request(port: port, .post, "/webhooks/rest/webhook", body: body)
        #expect(again.status == 200)
        #expect(MessageLoad.texts(of: again.body) == ["done at last"], "\(again.body)")
        #expect(server.output.contains("rest turn not done in time"), "\(server.output)")
    }

    @Test("a port in use: the error names it and how to pick another, and nothing says ready first")
    func portInUse() async throws {
        let taken = try #require(SimulateFlexTests.listening(port: 0))
        defer { close(taken.socket) }
        let output = try await BotCLIRunner.run(["serve", "--app", BotCLIRunner.fixtureApp("conversation-tests").path, "--port", "\(taken.port)"],
                                          environment: ["PARLEY_REST_AUTH": "open"])
        #expect(output.status == 1)
        #expect(output.stderr.contains("error: cannot listen on 127.0.0.1:\(taken.port): the port is already in use"), "\(output.stderr)")
        #expect(output.stderr.contains("hint: pick another port with --port PORT (or PARLEY_PORT); --port 0 takes any free one"))
        #expect(!output.stderr.contains("[BotServer] ready"), "\(output.stderr)")
    }

    @Test("by default a client needs a server-issued token; ids with newlines and escapes reach the log escaped, never as lines of their own")
    func tokensAndLogEscaping() async throws {
        let app = try BotCLIRunner.copyOfFixtureApp("conversation-tests")
        defer { try? FileManager.default.removeItem(at: app) }
        // PARLEY_REST_AUTH empty: the default.
        let (server, port) = try await BotCLIRunner.serve(app: app, environment: ["PARLEY_REST_AUTH": "", "PARLEY_LOG_LEVEL": "debug"])
        defer { server.send(SIGTERM) }
        let bare = try await LoopbackHTTP.request(port: port, .post, "/webhooks/rest/webhook", body: #"{"sender": "ana", "message": "hi"}"#)
        #expect(bare.status == 401)
        let identity = try await LoopbackHTTP.request(port: port, .post, "/webchat/identity")
        guard let issued = try? JSONSerialization.jsonObject(with: Data(identity.body.utf8)) as? [String: Any],
              let token = issued["token"] as? String else {
            Issue.record("no identity: \(identity.body)")
            return
        }
        // The identity key is kept beside the store, readable by its owner only.
        let key = app.appendingPathComponent(".parley/web-identity.key").path
        #expect((try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int) == 0o600)

        let forged = #"{"thread": "t\nFORGED level=critical\r\u001b[31m", "message": "hi"}"#
        let reply = try await LoopbackHTTP.request(port: port, .post, "/webhooks/rest/webhook", body: forged,
                                                   headers: [.authorization: "Bearer \(token)"])
        #expect(reply.status == 200)
        let log = server.output
        #expect(log.contains(#"t\nFORGED level=critical\r\u{1B}[31m"#), "\(log)")
        #expect(!log.split(separator: "\n").contains { $0.hasPrefix("FORGED") })
        #expect(!log.contains("\u{1B}") && !log.contains("\r"))
    }

    @Test("serves the app's store over HTTP and stops cleanly on SIGTERM")
    func serveAndStop() async throws {
        let app = try BotCLIRunner.copyOfFixtureApp("conversation-tests")
        defer { try? FileManager.default.removeItem(at: app) }
        // Ready once `GET /readyz` answers. Far from the sources: the chat page is built into the binary.
        let (server, port) = try await BotCLIRunner.serve(app: app, directory: FileManager.default.temporaryDirectory)
        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            let reply = try await client.post("/webhooks/rest/webhook", body: ByteBuffer(string: #"{"sender": "ana", "message": "hi"}"#))
            #expect(reply.status == .ok)
            #expect(reply.body.map { String(buffer: $0) }?.contains(#""title":"Good","payload":"flow.greet.steps.1.buttons.0""#) == true)
            for (path, type) in [("/chat", "text/html; charset=utf-8"), ("/chat/chat.js", "text/javascript; charset=utf-8")] {
                let file = try await client.get(path)
                #expect(file.status == .ok, "\(path)")
                #expect(file.headers[.contentType] == type, "\(path)")
            }
        }
        server.send(SIGTERM)  // as a process supervisor stops it
        let exit = try await server.waitForExit()
        #expect(exit.status == 0, "\(server.output)")
        #expect(server.output.contains("stopped"))
        #expect(FileManager.default.fileExists(atPath: app.appendingPathComponent(".parley/state.sqlite").path))
    }
}
