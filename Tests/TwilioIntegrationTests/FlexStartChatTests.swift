import BotRuntime
import FlowDSL
import Foundation
import Testing
import TwilioIntegration
import TwilioWire

@Suite("Flex start_chat")
struct FlexStartChatTests {
    @Test("start_chat creates the channel with the fields twilio-python sends, links the thread and hands it to the agent")
    func success() async throws {
        try await FlexBot.with { bot in
            try await bot.startHandoff()
            let create = try #require(bot.fake.requests.first { $0.path == "/v1/Channels" })
            #expect(create.method == "POST")
            // The same field names, in the same order, as the official client's request.
            let recorded = try TwilioFixtures.request("flex-channels-create.request.http")
            let expectedNames = try TwilioForm(encoded: recorded.body).fields.map(\.name)
            let form = create.form
            #expect(form.fields.map(\.name) == expectedNames)
            #expect(form["FlexFlowSid"] == TwilioFixtures.flexFlowSid)
            #expect(form["Identity"] == "ada")
            #expect(form["ChatUserFriendlyName"] == "Ada Lovelace")
            #expect(form["ChatFriendlyName"] == "Ada Lovelace - order 1234")
            #expect(form["LongLived"] == "false")
            let attributes = try TemplateValue(jsonText: try #require(form["TaskAttributes"]))
            // The summary for the agent: the user's name and last message (the flow gives no reason).
            #expect(attributes == .map(["handoff_reason": .string("customer asked for a human"), "parley_thread_id": .string("ada"),
                                        "conversationSummary": .string("name: Ada Lovelace\nLast messages from the user:\n> agent")]))
            #expect(create.header("Content-Type") == "application/x-www-form-urlencoded")
            // HTTP Basic with the API key.
            let auth = try TwilioBasicAuth(authorizationHeader: try #require(create.header("Authorization")))
            #expect(auth.username == "SK0123456789abcdef0123456789abcdef")
            #expect(auth.password == "key-secret-must-not-leak")

            let thread = try #require(try await bot.engine.thread("ada"))
            #expect(thread.mode == "agent")
            let state = try #require(FlexThreadState(scope: thread.scope))
            #expect(state.channelSid == TwilioFixtures.channelSid)
            #expect(state.taskSid == TwilioFixtures.taskSid)
            #expect(state.identity == "ada")
            #expect(state.sendTranscript)
            #expect(try await bot.engine.thread(forLink: "flex:task:\(TwilioFixtures.taskSid)") == "ada")
            // flow.result is the channel with ok: true (the flow says so), and nothing secret is kept.
            let ledger = try await bot.ledger()
            #expect(ledger.flatMap(\.plainLines).contains("bot: Connecting you with an agent."))
            #expect(ledger.contains { $0.type == EventTypes.mode && $0.data["mode"] == .string("agent") })
            let kept = ledger.map { TemplateValue.map($0.data).jsonText }.joined() + TemplateValue.map(thread.scope).jsonText
            for secret in ["key-secret-must-not-leak", TwilioFixtures.authToken, "SECRET-4242"] {
                #expect(!kept.contains(secret))
            }
        }
    }

    @Test("flow.result carries the channel's fields and ok: true")
    func resultFields() async throws {
        let flow = """
            triggers:
              - keyword: handoff
            steps:
              - type: meya.twilio.flex.component.start_chat
                chat_friendly_name: Help
              - say: (@ flow.result.ok ) (@ flow.result.sid ) (@ flow.result.task_sid ) (@ flow.result.user_sid ) (@ flow.result.account_sid ) (@ flow.result.date_created )
            """
        try await FlexBot.with(files: ["flow/result.yaml": flow]) { bot in
            let reply = try await bot.say("handoff")
            #expect(reply.status == 200)
            try await bot.settle()
            #expect(try await bot.ledger().flatMap(\.plainLines).contains(
                "bot: True \(TwilioFixtures.channelSid) \(TwilioFixtures.taskSid) US3d7425018dcc7459e26b07a9839272d8 \(TwilioFixtures.accountSid) 2025-03-14T09:59:58Z"))
        }
    }

    @Test("a Twilio error leaves the thread with the bot, with ok: false and Twilio's code and message in flow.result")
    func twilioError() async throws {
        try await FlexBot.with { bot in
            bot.fake.channelAnswer.withLock {
                $0 = .init(status: 400, body: #"{"code": 20001, "message": "Invalid FlexFlowSid", "more_info": "https://www.twilio.com/docs/errors/20001", "status": 400}"#)
            }
            let reply = try await bot.say("agent")
            #expect(reply.status == 200)
            try await bot.settle()
            #expect(try await bot.mode() == "bot")
            #expect(try await bot.engine.thread(forLink: "flex:channel:\(TwilioFixtures.channelSid)") == nil)
            let ledger = try await bot.ledger()
            #expect(ledger.flatMap(\.plainLines).contains("bot: Sorry, 20001 Invalid FlexFlowSid"))
            let error = try #require(ledger.first { $0.type == FlexEventTypes.error })
            #expect(error.data["code"] == .int(20001))
            #expect(error.text?.contains("Invalid FlexFlowSid") == true)
            #expect(error.text?.contains("key-secret-must-not-leak") == false)
            // A 4xx is not retried.
            #expect(bot.fake.requests.filter { $0.path == "/v1/Channels" }.count == 1)
            // The bot still answers.
            _ = try await bot.say("hello")
            #expect(try await bot.ledger().flatMap(\.plainLines).last == "bot: Hello from the bot")
        }
    }

    @Test("a 503 is retried with backoff and then succeeds")
    func retried() async throws {
        try await FlexBot.with { bot in
            bot.fake.channelAnswer.withLock {
                $0 = .init(status: 503, body: #"{"code": 20503, "message": "Service Unavailable", "status": 503}"#)
            }
            let reply = try await bot.say("agent")
            #expect(reply.status == 200)
            try await bot.settle()
            // Every try failed: three tries (the policy's bound), then ok: false.
            #expect(bot.fake.requests.filter { $0.path == "/v1/Channels" }.count == 3)
            #expect(try await bot.mode() == "bot")
        }
    }

    @Test("without credentials start_chat fails clearly and names no secret")
    func missingCredentials() async throws {
        let integration = FlexBot.integration.split(separator: "\n").filter {
            !$0.hasPrefix("api_key") && !$0.hasPrefix("auth_token")
        }.joined(separator: "\n")
        try await FlexBot.with(integration: integration) { bot in
            _ = try await bot.say("agent")
            #expect(try await bot.mode() == "bot")
            #expect(bot.fake.requests.isEmpty)
            let lines = try await bot.ledger().flatMap(\.plainLines)
            #expect(lines.contains { $0.contains("needs `api_key_sid` and `api_key_secret`, or `auth_token`") }, "\(lines)")
        }
    }
}

@Suite("Flex configuration problems")
struct FlexConfigurationTests {
    @Test("a complete integration has no problems; missing credentials or auth_token are named without values")
    func problems() async throws {
        try await FlexBot.with { bot in
            #expect(bot.flex.configurationProblems(in: bot.engine).isEmpty)
        }
        let keysOnly = FlexBot.integration.split(separator: "\n").filter { !$0.hasPrefix("auth_token") }.joined(separator: "\n")
        try await FlexBot.with(integration: keysOnly) { bot in
            #expect(bot.flex.configurationProblems(in: bot.engine) == [
                "the Twilio Flex integration `integration.twilio.flex` has no `auth_token`: its webhooks will be refused (403)",
            ])
        }
        let none = FlexBot.integration.split(separator: "\n").filter { !$0.hasPrefix("auth_token") && !$0.hasPrefix("api_key") }
            .joined(separator: "\n")
        try await FlexBot.with(integration: none) { bot in
            #expect(bot.flex.configurationProblems(in: bot.engine) == [
                "the Twilio Flex integration `integration.twilio.flex` needs `api_key_sid` and `api_key_secret`, or `auth_token`",
            ])
        }
    }

    @Test("Flex Conversations: what the user writes while the conversation opens waits, then reaches the agent after the transcript")
    func conversationsDefersWhileOpening() async throws {
        try await FlexBot.with(conversation: TwilioFixtures.conversationSid) { bot in
            bot.fake.holdInteractions.withLock { $0 = true }
            #expect(try await bot.say("agent").status == 200)
            #expect(await bot.eventually { bot.fake.requests.contains { $0.path == "/v1/Interactions" } })
            let early = try await bot.say("are you there?")
            #expect(early.body == "[]", "no flow answers while the chat opens")
            bot.fake.holdInteractions.withLock { $0 = false }
            try await bot.settle()
            #expect(try await bot.mode() == "agent")
            let posts = bot.fake.requests.filter { $0.method == "POST" && ($0.path.hasSuffix("/Messages") || $0.path == "/v1/Interactions") }
            let interaction = try #require(posts.firstIndex { $0.path == "/v1/Interactions" })
            let relayed = try #require(posts.firstIndex { $0.form["Body"] == "are you there?" }, "the early message never reached the agent")
            #expect(relayed > interaction, "relayed once the chat was open, not lost between the transcript and the answer")
            #expect(posts[relayed].form["Author"] == "ada")
            #expect(posts.count { $0.form["Body"] == "are you there?" } == 1)
        }
    }
}
