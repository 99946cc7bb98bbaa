import BotRuntime
import BotServer
import FlowDSL
import Foundation
import HTTPTypes
import Testing

@Suite("WebSocket channel")
struct WebSocketChannelTests {
    static let app = RestChannelTests.app

    static let greeting = """
        [{"id":2,"type":"meya.text.event.say","sender":"bot","text":"Hello!"},
         {"id":3,"type":"\(EventTypes.buttons)","sender":"bot","text":"How are you?","buttons":[
           {"text":"Good","button_id":"good"},
           {"text":"Bad","button_id":"flow.greet.steps.1.buttons.1"},
           {"text":"Meh"}]}]
        """

    @Test("a message gets the bot's replies as frames, with ids, buttons and their ids")
    func message() async throws {
        try await LiveServer.with(files: Self.app) { server in
            try await server.socket("user=ana") { socket async throws in
                try await socket.send(#"{"message": "hi", "message_id": "m-1"}"#)
                #expect(try await socket.next(2) == frames(Self.greeting))
            }
            let ledger = try await server.ledger("ana")
            #expect(ledger.map(\.sequence) == [1, 2, 3])
            #expect(ledger.first?.userID == "ana" && ledger.first?.text == "hi")
            // Closing the socket ends its subscription.
            try await server.waitForSubscribers(0, thread: "ana")
        }
    }

    @Test("a button click by id answers the question; page_open fires its flow")
    func buttonClick() async throws {
        try await LiveServer.with(files: Self.app) { server in
            try await server.socket("user=bo&thread=t-1") { socket async throws in
                try await socket.send(#"{"event": "page_open", "url": "https://example.com"}"#)
                #expect(try await socket.next() == TemplateValue(jsonText:
                    #"{"id":2,"type":"meya.text.event.say","sender":"bot","text":"Welcome to https://example.com."}"#))
                try await socket.send(#"{"message": "hi"}"#)
                _ = try await socket.next(2)
                try await socket.send(#"{"button": "good", "text": "Good"}"#)
                #expect(try await socket.next() == TemplateValue(jsonText:
                    #"{"id":7,"type":"meya.text.event.say","sender":"bot","text":"You said Good."}"#))
            }
            let click = try await server.ledger("t-1").last { $0.sender == .user }
            #expect(click?.type == EventTypes.click && click?.userID == "bo")
            #expect(click?.data == ["button_id": .string("good"), "text": .string("Good")])
        }
    }

    @Test("a frame with a message_id is acknowledged after its turn's events, even a turn without any; a repeat as a duplicate")
    func acknowledgements() async throws {
        try await LiveServer.with(files: Self.app) { server in
            try await server.socket("user=ana") { socket async throws in
                try await socket.send(#"{"message": "hi", "message_id": "m-1"}"#)
                #expect(try await socket.next(3) == frames(Self.greeting) + [TemplateValue(jsonText: #"{"ack":"m-1","id":1}"#)])
                // A click no trigger takes: no output, still acknowledged.
                try await socket.send(#"{"button": "nothing", "message_id": "m-2"}"#)
                #expect(try await socket.next() == TemplateValue(jsonText: #"{"ack":"m-2","id":4}"#))
                // The same id again: no second effect, acknowledged at once.
                try await socket.send(#"{"message": "hi", "message_id": "m-1"}"#)
                #expect(try await socket.next() == TemplateValue(jsonText: #"{"ack":"m-1","id":1,"duplicate":true}"#))
                try await socket.send(#"{"event": "page_open", "url": "https://example.com", "message_id": "p-1"}"#)
                #expect(try await socket.next(2) == [
                    TemplateValue(jsonText: #"{"id":6,"type":"meya.text.event.say","sender":"bot","text":"Welcome to https://example.com."}"#),
                    TemplateValue(jsonText: #"{"ack":"p-1","id":5}"#),
                ])
            }
            #expect(try await server.ledger("ana").count == 6)
        }
    }

    @Test("events from other channels on the thread — a REST message, an agent — reach the socket")
    func otherChannels() async throws {
        try await LiveServer.with(files: Self.app) { server in
            try await server.socket("user=ana") { socket async throws in
                try await server.waitForSubscribers(1, thread: "ana")
                let reply = try await server.say("hi", sender: "ana")
                #expect(reply.status == 200)
                #expect(try await socket.next(2) == frames(Self.greeting))
                let agent = Event(type: EventTypes.say, threadID: "ana", sender: .agent, userID: "agent-7",
                                  data: ["text": .string("Hi, I'm Sam."), "agent_name": .string("Sam")])
                _ = try await server.engine!.handle(agent)
                #expect(try await socket.next() == TemplateValue(jsonText:
                    #"{"id":4,"type":"meya.text.event.say","sender":"agent","text":"Hi, I'm Sam.","agent_name":"Sam"}"#))
            }
        }
    }

    @Test("a reconnect with after= replays exactly the missed events, then streams live ones")
    func reconnect() async throws {
        try await LiveServer.with(files: Self.app) { server in
            try await server.socket("user=ana") { socket async throws in
                try await socket.send(#"{"message": "hi"}"#)
                #expect(try await socket.next(2).last?.field("id") == .int(3))
            }
            // Missed while disconnected: a click and a new greeting.
            _ = try await server.post(#"{"sender": "ana", "button": "good"}"#)
            _ = try await server.say("hi", sender: "ana")
            try await server.socket("user=ana&thread=ana&after=3") { socket async throws in
                let replayed = try await socket.next(5)
                #expect(replayed == (try frames("""
                    [{"id":4,"type":"meya.button.event.click","sender":"user","button_id":"good"},
                     {"id":5,"type":"meya.text.event.say","sender":"bot","text":"You said Good."},
                     {"id":6,"type":"meya.text.event.say","sender":"user","text":"hi"}]
                    """) + frames(Self.greeting).map { frame in
                        guard case .map(var fields) = frame, case .int(let id)? = fields["id"] else { return frame }
                        fields["id"] = .int(id + 5)
                        return .map(fields)
                    }))
                // Live again, no gap and no duplicate.
                try await socket.send(#"{"button": "good"}"#)
                #expect(try await socket.next() == TemplateValue(jsonText:
                    #"{"id":10,"type":"meya.text.event.say","sender":"bot","text":"You said Good."}"#))
            }
            // after=0 replays the whole thread.
            try await server.socket("user=ana&after=0") { socket async throws in
                #expect(try await socket.next(10).map { $0.field("id") } == (1...10).map { .int($0) })
            }
        }
    }

    @Test("a malformed frame gets an error frame, stores nothing, and the socket still works")
    func malformed() async throws {
        try await LiveServer.with(files: Self.app) { server in
            try await server.socket("user=ana") { socket async throws in
                for (frame, error) in [
                    ("not json", "not valid JSON"),
                    ("[1]", "must be a JSON object, not an array"),
                    (#"{"message": 5}"#, "`message` must be a string, not a number"),
                    (#"{"message": "  "}"#, "`message` is empty"),
                    (#"{"message": "hi", "button": "good"}"#, "give only one of `message`, `button`"),
                    (#"{"event": "explode"}"#, "unknown event \"explode\""),
                    ("{}", "the frame needs `message`"),
                ] {
                    try await socket.send(frame)
                    let reply = try await socket.next()
                    guard case .map(let fields) = reply, case .string(let message)? = fields["error"] else {
                        Issue.record("expected an error frame for \(frame), got \(reply)")
                        continue
                    }
                    #expect(message.contains(error), "\(frame): \(message)")
                    #expect(fields["id"] == nil)
                }
                #expect(try await server.ledger("ana").isEmpty)
                try await socket.send(#"{"message": "hi"}"#)
                #expect(try await socket.next(2) == frames(Self.greeting))
            }
        }
    }

    /// Connections opened and closed, in `churn`: enough that a leak of one object each stands
    /// far above anything the server keeps for itself.
    static let churnCount = 300

    @Test("sockets opened and closed leave nothing behind: no logger, context or task of theirs, no subscription, no open-socket count")
    func churn() async throws {
        let census = LoggerCensus()
        let engine = try LiveServer.engine(files: Self.app)
        let metrics = ServerMetrics()
        try await LiveServer.with(engine: engine, logger: census.logger, configure: { $0.metrics = metrics }) { server async throws in
            for index in 0..<Self.churnCount {
                // Every way a socket ends: silent, after a turn, and refused (another user's thread).
                switch index % 3 {
                case 0:
                    try await server.socket("user=churn\(index)") { _ in }
                case 1:
                    try await server.socket("user=churn\(index)") { socket in
                        try await socket.send(#"{"message": "hi", "message_id": "m"}"#)
                        while try await socket.next().field("ack") == nil {}
                    }
                default:
                    // Refused once open (4403); not read here: the test client can miss a frame
                    // sent together with the upgrade's answer, and then waits its close timeout
                    // for a close frame that came already (15 s each made this test take 276 s
                    // under load).
                    try await server.socket("user=intruder\(index)&thread=churn1", closeTimeout: .milliseconds(500)) { _ in }
                }
            }
        }
        // The server has stopped, so every connection's task has ended: what is still alive is kept.
        #expect(census.count == 0, "loggers of closed connections still alive after \(Self.churnCount) connections")
        for index in 0..<Self.churnCount {
            #expect(engine.subscriberCount(thread: "churn\(index)") == 0)
        }
        #expect(MetricsTests.value("parley_websockets_open", in: metrics.scrape()) == 0)
    }

    /// The headers of a WebSocket upgrade request.
    static let upgrade: HTTPFields = [.connection: "Upgrade", .upgrade: "websocket",
                                      .secWebSocketKey: "dGhlIHNhbXBsZSBub25jZQ==", .secWebSocketVersion: "13"]

    // NIO's upgrader answers every refused upgrade with a bare 400; the reason is in the log.
    @Test("a request without a user, with a bad after, or before the bot is ready is refused before upgrading")
    func badRequest() async throws {
        try await LiveServer.with(files: Self.app) { server async throws in
            #expect(try await server.request(.get, "/ws?thread=x", headers: Self.upgrade).status == 400)
            #expect(try await server.request(.get, "/ws?user=ana&after=-1", headers: Self.upgrade).status == 400)
            #expect(try await server.ledger("ana").isEmpty)
            #expect(try await server.ledger("x").isEmpty)
        }
        try await LiveServer.with(files: nil) { server async throws in
            #expect(try await server.request(.get, "/ws?user=ana", headers: Self.upgrade).status == 400)
        }
    }
}
