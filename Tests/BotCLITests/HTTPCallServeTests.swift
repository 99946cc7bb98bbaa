import Foundation
import Hummingbird
import SharedTestFixtures
import Synchronization
import Testing

/// `http_call:` through `botcli serve`, against a real service on 127.0.0.1: the scopes go out
/// as JSON with a vault value in a header, the answer comes back as `flow.result`; a service
/// that fails at first is tried again; one that does not answer in time, or is not there,
/// leaves `flow.ok` false and says why; the token is never logged.
@Suite("http_call: a flow calls a service of its own")
struct HTTPCallServeTests {
    static let token = "crm-TOKEN-5b1c9e"

    static func app(port: Int) -> [String: String] {
        [
            "vault.yaml": "crm.token: xxx\n",
            "flow/order.yaml": """
                triggers:
                  - regex: ^order\\s(?P<number>\\d+)$
                steps:
                  - user_set:
                      name: Ana
                  - http_call: http://127.0.0.1:\(port)/orders
                    headers:
                      Authorization: Bearer (@ vault.crm.token )
                    data:
                      number: (@ flow.groups.number )
                  - say: (@ flow.result.state ) (@ flow.status ) (@ flow.ok )
                """,
            "flow/flaky.yaml": """
                triggers:
                  - keyword: flaky
                steps:
                  - http_call: http://127.0.0.1:\(port)/flaky
                    method: GET
                  - say: (@ flow.result ) (@ flow.status )
                """,
            "flow/slow.yaml": """
                triggers:
                  - keyword: slow
                steps:
                  - http_call: http://127.0.0.1:\(port)/slow
                    timeout: 0.3
                    retries: 0
                  - say: (@ flow.ok ) (@ flow.error )
                """,
            "flow/gone.yaml": """
                triggers:
                  - keyword: gone
                steps:
                  - http_call: http://127.0.0.1:1/nothing
                    retries: 0
                  - say: (@ flow.ok ) (@ flow.error )
                """,
        ]
    }

    @Test("scopes out as JSON with the vault value in a header, the JSON answer in flow.result; retried after a 503; a timeout and a refused connection say why")
    func call() async throws {
        let received = Mutex<(body: String?, authorization: String?, flaky: Int)>((nil, nil, 0))
        let router = Router()
        router.post("/orders") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            received.withLock { $0.body = String(buffer: body); $0.authorization = request.headers[.authorization] }
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"state": "shipped"}"#)))
        }
        router.get("/flaky") { _, _ -> Response in
            let calls = received.withLock { state in
                state.flaky += 1
                return state.flaky
            }
            return Response(status: calls == 1 ? .serviceUnavailable : .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "fine")))
        }
        router.post("/slow") { _, _ -> Response in
            try await Task.sleep(for: .seconds(1))
            return Response(status: .ok)
        }
        try await LocalServer.run(router) { port in
            let app = try BotCLIRunner.temporaryApp(Self.app(port: port))
            defer { try? FileManager.default.removeItem(at: app) }
            try Data("crm.token: \(Self.token)\n".utf8).write(to: app.appendingPathComponent("vault.secret.yaml"))
            #expect(try await BotCLIRunner.run(["vault", "keygen", "--app", app.path]).status == 0)
            #expect(try await BotCLIRunner.run(["vault", "upload", "--app", app.path, "--file",
                                                app.appendingPathComponent("vault.secret.yaml").path]).status == 0)
            let check = try await BotCLIRunner.run(["check", "--app", app.path])
            #expect(check.status == 0, "\(check.stderr)")

            let (server, serverPort) = try await BotCLIRunner.serve(app: app, environment: ["PARLEY_LOG_LEVEL": "debug"])
            func say(_ text: String) async throws -> [String] {
                let reply = try await LoopbackHTTP.request(port: serverPort, .post, "/webhooks/rest/webhook",
                                                           body: #"{"sender": "ana", "message": "\#(text)"}"#)
                return MessageLoad.texts(of: reply.body)
            }
            let ordered = try await say("order 42")
            #expect(ordered == ["shipped 200 True"], "\(ordered) \(server.output.suffix(1500))")
            let (body, authorization, _) = received.withLock { $0 }
            #expect(authorization == "Bearer \(Self.token)")
            let sent = try #require(try JSONSerialization.jsonObject(with: Data((body ?? "").utf8)) as? [String: Any], "\(String(describing: body))")
            #expect(sent["data"] as? [String: String] == ["number": "42"])
            #expect(sent["user"] as? [String: String] == ["name": "Ana"])
            #expect((sent["flow"] as? [String: Any])?["groups"] as? [String: String] == ["number": "42", "0": "42"])
            #expect((sent["event"] as? [String: Any])?["type"] as? String == "meya.text.event.say")
            #expect(sent["thread"] is [String: Any])

            #expect(try await say("flaky") == ["fine 200"])
            #expect(received.withLock { $0.flaky } == 2, "tried again after the 503")
            #expect(try await say("slow") == ["False http://127.0.0.1:\(port)/slow could not be reached: no answer in time"])
            let gone = try await say("gone")
            #expect(gone.first?.hasPrefix("False http://127.0.0.1:1/nothing could not be reached:") == true, "\(gone)")

            server.send(SIGTERM)
            #expect(try await server.waitForExit().status == 0)
            #expect(!server.output.contains(Self.token), "the token is never logged")
            #expect(server.output.contains("http_call"), "each call is logged")
        }
    }

    @Test("check refuses more than 5 retries: the turn waits for every attempt")
    func retriesLimited() async throws {
        let app = try BotCLIRunner.temporaryApp([
            "flow/call.yaml": "steps:\n  - http_call: https://example.com/a\n    retries: 9\n  - http_call: https://example.com/b\n    retries: 5\n",
        ])
        defer { try? FileManager.default.removeItem(at: app) }
        let check = try await BotCLIRunner.run(["check", "--app", app.path])
        #expect(check.status == 1)
        let errors = check.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(errors == ["flow/call.yaml:3:5: error: `retries: 9` is more than 5; the turn waits for every attempt"], "\(check.stderr)")
    }
}
