import BotRuntime
import BotServer
import FlowDSL
import Foundation
import Testing

@Suite("Metrics")
struct MetricsTests {
    static let app = ["flow/echo.yaml": """
        triggers:
          - regex: .+
        steps:
          - say: ok
        """]

    /// A server with its own metrics registry, so tests running at once do not mix counts.
    static func withServer<Value: Sendable>(_ body: @Sendable (LiveServer, ServerMetrics) async throws -> Value) async throws -> Value {
        let metrics = ServerMetrics()
        return try await LiveServer.with(engine: try LiveServer.engine(files: app), configure: { $0.metrics = metrics }) { server in
            try await body(server, metrics)
        }
    }

    /// The value of the sample named exactly `sample` (name and labels), if scraped.
    static func value(_ sample: String, in text: String) -> Double? {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            if parts.count == 2, parts[0] == sample { return Double(parts[1]) }
        }
        return nil
    }

    @Test("after N REST messages the scrape counts N turns, N 2xx webhook requests and N latencies")
    func countsTurns() async throws {
        try await Self.withServer { server, _ in
            let count = 7
            for number in 1...count {
                #expect(try await server.say("message \(number)", sender: "m\(number % 3)").status == 200)
            }
            let reply = try await server.request(.get, "/metrics")
            #expect(reply.status == 200)
            #expect(reply.contentType?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = reply.body
            #expect(Self.value(#"parley_turns_total{channel="rest"}"#, in: text) == Double(count), "\(text)")
            #expect(Self.value(#"parley_webhook_requests_total{status="2xx"}"#, in: text) == Double(count))
            #expect(Self.value(#"parley_turn_duration_seconds_count{channel="rest"}"#, in: text) == Double(count))
            #expect(Self.value(#"parley_turn_duration_seconds_bucket{channel="rest",le="+Inf"}"#, in: text) == Double(count))
            #expect(text.contains("# TYPE parley_turn_duration_seconds histogram"))
            #expect(text.contains("# TYPE parley_turns_total counter"))
            // Nothing a user typed reaches the metrics.
            #expect(!text.contains("message 1"))
        }
    }

    @Test("refused webhook requests count by status class and are not turns; other routes are not webhooks")
    func outcomes() async throws {
        try await Self.withServer { server, metrics in
            _ = try await server.say("hello")
            #expect(try await server.post("not json").status == 400)
            #expect(try await server.post(#"{"sender": "a"}"#).status == 400)
            #expect(try await server.request(.post, "/webhooks/unknown-integration", body: "{}").status == 404)
            _ = try await server.request(.get, "/healthz")
            _ = try await server.request(.get, "/metrics")
            let text = metrics.scrape()
            #expect(Self.value(#"parley_turns_total{channel="rest"}"#, in: text) == 1)
            #expect(Self.value(#"parley_webhook_requests_total{status="2xx"}"#, in: text) == 1)
            #expect(Self.value(#"parley_webhook_requests_total{status="4xx"}"#, in: text) == 3)
        }
    }

    @Test("two servers keep separate counts")
    func separateRegistries() async throws {
        try await Self.withServer { first, firstMetrics in
            try await Self.withServer { second, secondMetrics in
                _ = try await first.say("one")
                _ = try await first.say("two")
                _ = try await second.say("three")
                #expect(Self.value(#"parley_turns_total{channel="rest"}"#, in: firstMetrics.scrape()) == 2)
                #expect(Self.value(#"parley_turns_total{channel="rest"}"#, in: secondMetrics.scrape()) == 1)
            }
        }
    }

    @Test("an open WebSocket shows in parley_websockets_open until it closes; its messages are websocket turns")
    func webSockets() async throws {
        try await Self.withServer { server, _ in
            let before = try await server.request(.get, "/metrics").body
            #expect(Self.value("parley_websockets_open", in: before) == 0, "\(before)")
            try await server.socket("user=ws-ana") { socket async throws in
                try await socket.send(#"{"message": "hi", "message_id": "m-1"}"#)
                #expect(try await socket.next().field("text") == .string("ok"))
                let open = try await server.request(.get, "/metrics").body
                #expect(Self.value("parley_websockets_open", in: open) == 1, "\(open)")
                #expect(Self.value(#"parley_turns_total{channel="websocket"}"#, in: open) == 1)
                #expect(Self.value(#"parley_turn_duration_seconds_count{channel="websocket"}"#, in: open) == 1)
                #expect(Self.value(#"parley_turn_duration_seconds_bucket{channel="websocket",le="+Inf"}"#, in: open) == 1)
                // A WebSocket turn is not a REST turn, nor a webhook request.
                #expect(Self.value(#"parley_turns_total{channel="rest"}"#, in: open) == nil)
                #expect(Self.value(#"parley_webhook_requests_total{status="2xx"}"#, in: open) == nil)
            }
            // The server sees the close a moment after the client: wait for it, boundedly.
            var gauge: Double?
            for _ in 0..<400 {
                gauge = Self.value("parley_websockets_open", in: try await server.request(.get, "/metrics").body)
                if gauge == 0 { break }
                try await Task.sleep(for: .milliseconds(25))
            }
            #expect(gauge == 0)
        }
    }
}
