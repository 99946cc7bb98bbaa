import BotRuntime
import BotServer
import FlowDSL
import Testing

@Suite("Requests the server refuses")
struct RequestValidationTests {
    static let app = ["flow/echo.yaml": "triggers:\n  - catchall\nsteps:\n  - say: got it\n"]

    @Test("malformed JSON or a missing or wrong field is 400 with an error naming it, and nothing is stored",
          arguments: [
              (#"{"sender": "x", "message": "hi""#, "the body is not valid JSON"),
              ("", "the body is empty"),
              (#"["x"]"#, "the body must be a JSON object, not an array"),
              (#"{"message": "hi"}"#, "missing field `sender`"),
              (#"{"sender": "", "message": "hi"}"#, "`sender` is empty"),
              (#"{"sender": ["x"], "message": "hi"}"#, "`sender` must be a string, not an array"),
              (#"{"sender": "x"}"#, "the body needs `message` (text), `button` (a click), `form` (a form's answers) or `event`"),
              (#"{"sender": "x", "message": 42}"#, "`message` must be a string, not a number"),
              (#"{"sender": "x", "message": "  "}"#, "`message` is empty"),
              (#"{"sender": "x", "message": "hi", "button": "b"}"#, "give only one of `message`, `button`"),
              (#"{"sender": "x", "button": {}}"#, "`button` needs an `id` or a `text`"),
              (#"{"sender": "x", "event": "page_close"}"#, #"unknown event "page_close""#),
              (#"{"sender": "x", "event": "page_open", "url": 3}"#, "`url` must be a string, not a number"),
              (#"{"sender": "x", "message": "hi", "message_id": {}}"#, "`message_id` must be a string, not an object"),
          ])
    func badRequest(body: String, error: String) async throws {
        try await LiveServer.with(files: Self.app) { server in
            let reply = try await server.post(body)
            #expect(reply.status == 400)
            #expect(reply.contentType?.hasPrefix("application/json") == true)
            #expect(reply.error?.hasPrefix(error) == true, "\(reply.error ?? reply.body)")
            #expect(try await server.ledger("x").isEmpty)
        }
    }

    @Test("a body over the limit is 413 with a JSON error, and nothing is stored")
    func tooLarge() async throws {
        try await LiveServer.with(files: Self.app, maxBodySize: 1_024) { server in
            let text = String(repeating: "a", count: 2_000)
            let reply = try await server.say(text, sender: "x")
            #expect(reply.status == 413)
            #expect(reply.error == "the body is larger than the limit of 1024 bytes")
            #expect(try await server.ledger("x").isEmpty)
            // Under the limit, the same server answers.
            #expect(try await server.say("hi", sender: "x").status == 200)
            #expect(try await server.ledger("x").count == 2)
        }
    }

    @Test("/healthz answers while listening; /readyz and the webhook say 503 until the engine is ready")
    func probes() async throws {
        try await LiveServer.with(files: nil) { server in
            #expect(try await server.request(.get, "/healthz").status == 200)
            #expect(try await server.request(.get, "/readyz").status == 503)
            let early = try await server.say("hi")
            #expect(early.status == 503 && early.error != nil)

            let engine = try LiveServer.engine(files: Self.app)
            server.state.serve(engine)
            #expect(try await server.request(.get, "/readyz").status == 200)
            #expect(try await server.say("hi", sender: "x").body == #"[{"recipient_id":"x","text":"got it"}]"#)
            #expect(try await server.request(.get, "/webhooks/rest").body == #"{"status":"ok"}"#)
        }
    }
}
