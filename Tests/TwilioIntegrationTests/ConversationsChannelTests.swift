import BotRuntime
import FlowDSL
import Foundation
import SharedTestFixtures
import Testing
import TwilioIntegration

/// The Twilio Conversations channel over real HTTP: signed customer messages on SMS and
/// WhatsApp become the conversation's thread, the bot answers in the conversation through the
/// outbox with numbered choices, and closes and failed deliveries reach flows.
@Suite("Twilio Conversations channel")
struct ConversationsChannelTests {
    static let path = "/twilio/conversations/events"
    static let smsThread = "twilio-conversation-\(TwilioFormHelper.smsConversation)"
    static let whatsappThread = "twilio-conversation-CHc69891966d471bf39b056d8715546659"

    static let flows = [
        "flow/help.yaml": """
            triggers:
              - catchall
            steps:
              - ask: What do you need help with?
                buttons:
                  - text: Hardware
                    result: hardware
                  - text: Software
                    result: software
              - say: (@ thread.channel ) help for (@ flow.result ).
            """,
        "flow/closed.yaml": """
            triggers:
              - chat_close
            steps:
              - note: the customer's conversation closed
            """,
        "flow/undelivered.yaml": TestFlows.deliveryFailedTemplate,
    ]

    /// The bot's messages posted to `conversation`, in order.
    static func posted(_ bot: FlexBot, to conversation: String) -> [FakeTwilio.Received] {
        bot.fake.messages.filter { $0.path == "/v1/Conversations/\(conversation)/Messages" }
    }

    /// Whether the bot's last message to `conversation` comes to be `body` (a turn's posts leave
    /// after its commit, so a settled inbox may still have them on the way).
    static func lastPosted(_ bot: FlexBot, to conversation: String = TwilioFormHelper.smsConversation, is body: String) async -> Bool {
        await bot.eventually { posted(bot, to: conversation).last?.form["Body"] == body }
    }

    @Test("an SMS customer's message starts the conversation's thread; the bot answers in it with numbered choices, picked by number")
    func smsConversation() async throws {
        try await FlexBot.with(files: Self.flows, channel: true) { bot in
            let reply = try await bot.replay(try TwilioFixtures.request("conversations-onMessageAdded-sms.http"))
            #expect(reply.status == 204, "\(reply.body)")
            try await bot.settle()
            let thread = try #require(try await bot.engine.thread(Self.smsThread))
            #expect(thread.userID == TwilioFormHelper.smsCustomer)
            #expect(thread.scope["channel"] == .string("sms"))
            #expect(thread.scope["reply_timeout"] == .double(48 * 3_600))
            #expect(await Self.lastPosted(bot, is: "What do you need help with?\n1. Hardware\n2. Software"))
            let question = try #require(Self.posted(bot, to: TwilioFormHelper.smsConversation).last)
            #expect(question.form["Author"] == "Test Bot")
            #expect(question.header("X-Twilio-Webhook-Enabled") == nil)

            // The customer answers by number; then by text, in another case.
            #expect(try await bot.deliver(TwilioFormHelper.conversationMessage("2"), path: Self.path).status == 204)
            try await bot.settle()
            #expect(await Self.lastPosted(bot, is: "sms help for software."), "\(Self.posted(bot, to: TwilioFormHelper.smsConversation).map { $0.form["Body"] ?? "" })")
            _ = try await bot.deliver(TwilioFormHelper.conversationMessage("anything else"), path: Self.path)
            _ = try await bot.deliver(TwilioFormHelper.conversationMessage("hardware"), path: Self.path)
            try await bot.settle()
            #expect(await Self.lastPosted(bot, is: "sms help for hardware."), "\(Self.posted(bot, to: TwilioFormHelper.smsConversation).map { $0.form["Body"] ?? "" })")
            // A number the last question did not offer is just text.
            _ = try await bot.deliver(TwilioFormHelper.conversationMessage("help"), path: Self.path)
            _ = try await bot.deliver(TwilioFormHelper.conversationMessage("7"), path: Self.path)
            try await bot.settle()
            #expect(await Self.lastPosted(bot, is: "sms help for 7."), "\(Self.posted(bot, to: TwilioFormHelper.smsConversation).map { $0.form["Body"] ?? "" })")
            // The bot's own and REST-posted messages, and another participant's, are not the customer's.
            _ = try await bot.deliver(TwilioFormHelper.conversationMessage("echo", author: "Test Bot", source: "API"), path: Self.path)
            _ = try await bot.deliver(TwilioFormHelper.conversationMessage("hi", author: "alice_40example_2Ecom", source: "SDK"), path: Self.path)
            try await bot.settle()
            let customer = try await bot.ledger(Self.smsThread).filter { $0.sender == .user }
            #expect(customer.compactMap(\.text) == ["Hi, my laptop won't start", "Software", "anything else", "hardware", "help", "7"])
            #expect(customer.allSatisfy { $0.userID == TwilioFormHelper.smsCustomer })
        }
    }

    @Test("a signed fixture delivered 20 times has one effect; an altered one is refused (403) with none")
    func fixturesOnce() async throws {
        try await FlexBot.with(files: Self.flows, channel: true) { bot in
            let fixture = try TwilioFixtures.request("conversations-onMessageAdded-sms.http")
            let altered = fixture.body.replacingOccurrences(of: "laptop", with: "tablet")
            #expect(try await bot.replay(fixture, body: altered).status == 403)
            #expect(try await bot.engine.thread(Self.smsThread) == nil)
            for _ in 0..<20 { #expect(try await bot.replay(fixture).status == 204) }
            try await bot.settle()
            #expect(try await bot.ledger(Self.smsThread).filter { $0.sender == .user }.count == 1)
            #expect(await bot.eventually { Self.posted(bot, to: TwilioFormHelper.smsConversation).count == 1 })
            try await Task.sleep(for: .milliseconds(100))
            #expect(Self.posted(bot, to: TwilioFormHelper.smsConversation).count == 1)

            // Its close: a chat_close from the customer, once.
            let closed = try TwilioFixtures.request("conversations-onConversationStateUpdated.http")
            for _ in 0..<20 { #expect(try await bot.replay(closed).status == 204) }
            try await bot.settle()
            let closes = try await bot.ledger(Self.smsThread).filter { $0.type == EventTypes.chatClose }
            #expect(closes.count == 1)
            #expect(closes.first?.sender == .user)
            #expect(try await bot.ledger(Self.smsThread).contains { $0.type == EventTypes.note })
        }
    }

    @Test("WhatsApp: media arrives as links; a 63016 delivery failure reaches a flow, which sends a template instead")
    func whatsappTemplate() async throws {
        try await FlexBot.with(files: Self.flows, channel: true) { bot in
            #expect(try await bot.replay(try TwilioFixtures.request("conversations-onMessageAdded-whatsapp.http")).status == 204)
            try await bot.settle()
            let thread = try #require(try await bot.engine.thread(Self.whatsappThread))
            #expect(thread.userID == "whatsapp:+447700900123")
            #expect(thread.scope["channel"] == .string("whatsapp"))
            let media = try #require(try await bot.ledger(Self.whatsappThread).first { $0.type == EventTypes.media })
            // At the account's API base (the fake here; Twilio's Media Content Service otherwise).
            let url = try #require(media.data["url"]?.pythonString)
            #expect(url.hasPrefix("http://127.0.0.1:") && url.hasSuffix(
                "/v1/Services/\(TwilioFormHelper.conversationsService)/Media/MEf552b26fed689d72febe0836125102a0"), "\(url)")
            #expect(media.data["content_type"] == .string("image/jpeg"))
            #expect(media.text == "2")

            let failure = try TwilioFixtures.request("conversations-onDeliveryUpdated-63016.http")
            for _ in 0..<20 { #expect(try await bot.replay(failure).status == 204) }
            try await bot.settle()
            let failed = try await bot.ledger(Self.whatsappThread).filter { $0.type == ConversationsElements.Event.deliveryFailed }
            #expect(failed.count == 1)
            #expect(failed.first?.data["error_code"] == .int(63016))
            #expect(await bot.eventually { Self.posted(bot, to: "CHc69891966d471bf39b056d8715546659").last?.form["ContentSid"] != nil })
            let template = try #require(Self.posted(bot, to: "CHc69891966d471bf39b056d8715546659").last)
            #expect(template.form["ContentSid"] == "HXb5b62575e6e4ff6129ad7c8efe1f983e")
            #expect(template.form["ContentVariables"] == #"{"1":"63016"}"#)
            #expect(template.form["Body"] == nil)
        }
    }

    @Test("handoff of the SMS conversation itself: an interaction on it, agent and customer talk directly, a command never reaches the phone, the bot answers again after")
    func smsHandoff() async throws {
        try await FlexBot.with(files: Self.flows, conversation: TwilioFormHelper.smsConversation, channel: true) { bot in
            let conversation = TwilioFormHelper.smsConversation
            #expect(try await bot.replay(try TwilioFixtures.request("conversations-onMessageAdded-sms.http")).status == 204)
            _ = try await bot.deliver(TwilioFormHelper.conversationMessage("agent"), path: Self.path)
            try await bot.settle()
            #expect(try await bot.engine.thread(Self.smsThread)?.mode == "agent")
            // No conversation made, no participant, webhook or transcript: the interaction takes the customer's own.
            #expect(!bot.fake.requests.contains { $0.path == "/v1/Conversations" || $0.path.hasSuffix("/Participants") || $0.path.hasSuffix("/Webhooks") })
            let interaction = try #require(bot.fake.requests.first { $0.path == "/v1/Interactions" })
            guard case .map(let channel) = try TemplateValue(jsonText: interaction.form["Channel"] ?? ""),
                  case .map(let properties)? = channel["properties"],
                  case .map(let routing) = try TemplateValue(jsonText: interaction.form["Routing"] ?? ""),
                  case .map(let routingProperties)? = routing["properties"], case .map(let attributes)? = routingProperties["attributes"] else {
                Issue.record("unexpected interaction: \(interaction.body)")
                return
            }
            #expect(channel["type"] == .string("sms"))
            #expect(properties["media_channel_sid"] == .string(conversation))
            #expect(attributes["customerAddress"] == .string(TwilioFormHelper.smsCustomer))
            #expect(attributes["conversationSummary"]?.pythonString.isEmpty == false)
            #expect(await Self.lastPosted(bot, is: "Connecting you with an agent."))
            let postedBefore = Self.posted(bot, to: conversation).count

            // The agent writes in the conversation: filed for the thread, nothing relayed, the bot silent.
            #expect(try await bot.replay(try TwilioFixtures.request("conversations-onMessageAdded-agent.http")).status == 204)
            _ = try await bot.deliver(TwilioFormHelper.conversationMessage("my serial is 123"), path: Self.path)
            try await bot.settle()
            #expect(try await bot.ledger(Self.smsThread).contains { $0.sender == .agent && $0.text == "Hi Ana, I'm Alice. Let's fix this." })
            #expect(Self.posted(bot, to: conversation).count == postedBefore, "\(Self.posted(bot, to: conversation).map { $0.form["Body"] ?? "" })")

            // The agent's command is blocked before it reaches the phone; the bot asks instead.
            let command = try await bot.replay(try TwilioFixtures.request("conversations-onMessageAdd-pre-agent-command.http"))
            #expect(command.status == 422, "\(command.body)")
            try await bot.settle()
            #expect(await Self.lastPosted(bot, is: "How often does the issue occur?\n1. Once a week\n2. Every day"), "\(Self.posted(bot, to: conversation).map { $0.form["Body"] ?? "" })")
            #expect(!Self.posted(bot, to: conversation).contains { $0.form["Body"]?.contains("/ask_issue_frequency") == true })
            _ = try await bot.deliver(TwilioFormHelper.conversationMessage("2"), path: Self.path)
            try await bot.settle()
            #expect(await Self.lastPosted(bot, is: "Thanks, noted daily."), "\(Self.posted(bot, to: conversation).map { $0.form["Body"] ?? "" })")

            // The task completes: the bot has the thread again; the customer's conversation stays open.
            try await bot.taskRouter("conversations-taskrouter-task-completed.http")
            #expect(try await bot.engine.thread(Self.smsThread)?.mode == "bot")
            #expect(!bot.fake.requests.contains { $0.path == "/v1/Conversations/\(conversation)" && $0.form["State"] == "closed" })
            _ = try await bot.deliver(TwilioFormHelper.conversationMessage("hello"), path: Self.path)
            try await bot.settle()
            #expect(await Self.lastPosted(bot, is: "Hello from the bot"), "\(Self.posted(bot, to: conversation).map { $0.form["Body"] ?? "" })")
        }
    }
}
