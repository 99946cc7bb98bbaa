import BotRuntime
import BotServer
import FlowDSL
import Testing

@Suite("REST channel")
struct RestChannelTests {
    static let app: [String: String] = [
        "flow/greet.yaml": """
            triggers:
              - keyword: hi
            steps:
              - say: Hello!
              - ask: How are you?
                buttons:
                  - text: Good
                    button_id: good
                    result: Good
                  - text: Bad
                    action:
                      say: Sorry to hear that.
                  - text: Meh
              - say: You said (@ flow.result ).
            """,
        "flow/page.yaml": """
            triggers:
              - page_open
            steps:
              - say: Welcome to (@ flow.result ).
            """,
        "flow/wait.yaml": """
            triggers:
              - keyword: wait
            steps:
              - status: Working on it
              - say: Done.
            """,
        "flow/picture.yaml": """
            triggers:
              - keyword: picture
            steps:
              - image: https://example.com/logo.png
                alt: The logo
                text: Our logo
              - status: Still looking
                quick_replies: [Stop]
            """,
        "flow/boom.yaml": """
            triggers:
              - keyword: boom
            steps:
              - jump: (@ 'nowhere' )
            """,
    ]

    @Test("an image is answered as Rasa's REST channel answers one (`image` with the URL, the caption as `text`); a status line keeps its quick replies")
    func imageAndInteractiveStatus() async throws {
        try await LiveServer.with(files: Self.app) { server in
            let reply = try await server.say("picture", sender: "ana")
            #expect(try reply.json == TemplateValue(jsonText: """
                [{"recipient_id":"ana","image":"https://example.com/logo.png","text":"Our logo"},
                 {"recipient_id":"ana","status":"Still looking","buttons":[{"title":"Stop","payload":"Stop"}]}]
                """), "\(reply.body)")
        }
    }

    @Test("a message is answered with the turn's messages in Rasa's shape, buttons as title and payload")
    func messageAndButtons() async throws {
        try await LiveServer.with(files: Self.app) { server in
            let reply = try await server.say("hi", sender: "ana")
            #expect(reply.status == 200)
            #expect(reply.contentType?.hasPrefix("application/json") == true)
            #expect(try reply.json == TemplateValue(jsonText: """
                [{"recipient_id":"ana","text":"Hello!"},
                 {"recipient_id":"ana","text":"How are you?","buttons":[
                   {"title":"Good","payload":"good"},
                   {"title":"Bad","payload":"flow.greet.steps.1.buttons.1"},
                   {"title":"Meh","payload":"Meh"}]}]
                """))
            // The sender is the thread and the user.
            let ledger = try await server.ledger("ana")
            #expect(ledger.first?.userID == "ana" && ledger.first?.type == EventTypes.say)
        }
    }

    @Test("a click by button id, by {id, text} and by a payload sent as the message all answer the question")
    func clicks() async throws {
        try await LiveServer.with(files: Self.app) { server in
            _ = try await server.say("hi", sender: "a")
            #expect(try await server.post(#"{"sender": "a", "button": "good"}"#).body == #"[{"recipient_id":"a","text":"You said Good."}]"#)

            _ = try await server.say("hi", sender: "b")
            let bad = try await server.post(#"{"sender": "b", "button": {"id": "flow.greet.steps.1.buttons.1", "text": "Bad"}}"#)
            #expect(bad.body == #"[{"recipient_id":"b","text":"Sorry to hear that."},{"recipient_id":"b","text":"You said Bad."}]"#)
            let click = try await server.ledger("b").last { $0.sender == .user }
            #expect(click?.type == EventTypes.click && click?.data["text"] == .string("Bad"))

            _ = try await server.say("hi", sender: "c")
            #expect(try await server.say("Meh", sender: "c").body == #"[{"recipient_id":"c","text":"You said Meh."}]"#)
            _ = try await server.say("hi", sender: "d")
            #expect(try await server.post(#"{"sender": "d", "button": {"text": "Meh"}}"#).body
                    == #"[{"recipient_id":"d","text":"You said Meh."}]"#)
        }
    }

    @Test("status lines and errors have their own fields")
    func statusAndError() async throws {
        try await LiveServer.with(files: Self.app) { server in
            #expect(try await server.say("wait").body == #"[{"recipient_id":"ana","status":"Working on it"},{"recipient_id":"ana","text":"Done."}]"#)
            let boom = try await server.say("boom")
            #expect(boom.status == 200)
            guard case .list(let messages) = try boom.json, case .map(let error)? = messages.first else {
                Issue.record("not a list: \(boom.body)")
                return
            }
            #expect(error["recipient_id"] == .string("ana"))
            guard case .string(let text)? = error["error"] else {
                Issue.record("no error text: \(boom.body)")
                return
            }
            // Users get the standard message; where and why the flow stopped is in the ledger.
            #expect(text == "Sorry, something went wrong on our side. Please try again.")
            #expect(try await server.ledger("ana").last?.text?.contains("flow `flow.boom`") == true)
            // Nothing to show is an empty array.
            #expect(try await server.say("nothing matches this").body == "[]")
        }
    }

    @Test("page_open is fired by an event body, with the page's url; a message never fires it")
    func pageOpen() async throws {
        try await LiveServer.with(files: Self.app) { server in
            #expect(try await server.say("hello there", sender: "new").body == "[]")
            let open = try await server.post(#"{"sender": "v", "event": "page_open", "url": "https://shop.example/help"}"#)
            #expect(open.body == #"[{"recipient_id":"v","text":"Welcome to https://shop.example/help."}]"#)
            let event = try await server.ledger("v").first
            #expect(event?.type == EventTypes.pageOpen && event?.data["url"] == .string("https://shop.example/help"))
        }
    }

    @Test("a thread field keeps one user's conversations apart")
    func threadField() async throws {
        try await LiveServer.with(files: Self.app) { server in
            _ = try await server.post(#"{"sender": "ana", "thread": "t1", "message": "hi"}"#)
            #expect(try await server.post(#"{"sender": "ana", "thread": "t2", "button": "good"}"#).body == "[]")
            #expect(try await server.post(#"{"sender": "ana", "thread": "t1", "button": "good"}"#).body
                    == #"[{"recipient_id":"ana","text":"You said Good."}]"#)
            #expect(try await server.ledger("ana").isEmpty)
            #expect(try await server.engine!.thread("t1")?.userID == "ana")
        }
    }

    @Test("an error shows users the app's error_message, never a file, a line or the failing template; the ledger keeps the details")
    func friendlyErrors() async throws {
        let files = [
            "bot/default.yaml": "type: meya.bot.element\nname: Juniper\nerror_message: Oops, that went wrong. Try again in a minute.\n",
            "flow/order.yaml": """
                triggers:
                  - regex: ^order\\s(?P<number>\\d+)$
                steps:
                  - if: (@ flow.groups.number | int is even )
                    then:
                      say: even
                    else:
                      say: odd
                """,
        ]
        try await LiveServer.with(files: files) { server in
            let reply = try await server.say("order 99999999999999999999999")
            #expect(reply.status == 200)
            #expect(reply.body == #"[{"recipient_id":"ana","error":"Oops, that went wrong. Try again in a minute."}]"#)
            let detail = try #require(try await server.ledger("ana").last)
            #expect(detail.type == EventTypes.error)
            #expect(detail.text?.contains("flow/order.yaml") == true, "\(detail.text ?? "")")
            try await server.socket("user=ana&after=0") { socket async throws in
                let frames = try await socket.next(2)
                #expect(frames.last?.field("text") == .string("Oops, that went wrong. Try again in a minute."))
            }
        }
    }
}
