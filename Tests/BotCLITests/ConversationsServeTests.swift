import Foundation
import SharedTestFixtures
import Testing
import TwilioEmulator
import TwilioWire

/// The acceptance run of the messaging channels: the real `botcli serve` binary on the template
/// app and the emulator's phones, over HTTP on 127.0.0.1. A customer texts the emulator's
/// configured number; its Address Configuration makes the conversation and calls the bot; the
/// bot answers in it with numbered buttons, hands the same conversation to Flex, keeps agent
/// commands off the customer's phone (the pre-event webhook) and answers again when the agent
/// ends the chat. What the customer sees is read from their phone.
@Suite("Conversations: botcli serve with the emulator's phones")
struct ConversationsServeTests {
    static let business = "+15550001234"

    /// A customer's phone on a configured address of a served template app.
    struct Phone {
        let emulator: TwilioEmulator
        /// The customer's and the business's addresses, as Twilio writes them.
        let customer: String
        let business: String
        var agent: AgentClient { emulator.agent }

        /// The customer texts the bot.
        func text(_ body: String) async throws -> PhoneMessage {
            try await agent.text(body, from: customer, to: business)
        }

        /// Waits until the messages the phone received after `message` hold `bodies`, in order
        /// (others may come between); answers them all.
        @discardableResult
        func expect(after message: PhoneMessage, _ bodies: String...) async throws -> [PhoneMessage] {
            do {
                return try await agent.waitForPhone(customer, timeout: .seconds(20)) { messages in
                    var wanted = bodies[...]
                    for received in Self.received(messages, after: message) where received.body == wanted.first { wanted.removeFirst() }
                    return wanted.isEmpty
                }
            } catch {
                let seen = Self.received(try await agent.phone(customer, wait: .zero).value, after: message).map(\.body)
                Issue.record("the phone never showed \(bodies) after `\(message.body)`; it has \(seen)")
                throw error
            }
        }

        static func received(_ messages: [PhoneMessage], after message: PhoneMessage) -> [PhoneMessage] {
            let start = messages.firstIndex { $0.messageSid == message.messageSid }.map { $0 + 1 } ?? messages.endIndex
            return messages[start...].filter { $0.direction == "outbound" }
        }
    }

    /// The template app (and `files`) served, its Conversations integration and Flex pointed at
    /// a new emulator whose `type` address calls the bot and whose service asks the bot before
    /// an agent's message (the pre-event webhook); runs `body` with a customer's phone.
    static func withPhone(_ type: String, files: [String: String] = [:], replyTimeout: String? = nil,
                          _ body: @escaping @Sendable (Phone) async throws -> Void) async throws {
        let (app, emulator) = try await FlexHandoffServeTests.templateWithEmulator(.conversations)
        defer { try? FileManager.default.removeItem(at: app) }
        do {
            for (path, text) in files { try Data(text.utf8).write(to: app.appendingPathComponent(path)) }
            if let replyTimeout {
                let integration = app.appendingPathComponent("integration/twilio/conversations.yaml")
                let yaml = try String(contentsOf: integration, encoding: .utf8)
                try #require(yaml.contains("reply_timeout: 48h"))
                try Data(yaml.replacingOccurrences(of: "reply_timeout: 48h", with: "reply_timeout: \(replyTimeout)").utf8).write(to: integration)
            }
        } catch {
            await emulator.stop()
            throw error
        }
        try await FlexHandoffServeTests.serve(app, with: emulator) { port, _ in
            let url = "http://127.0.0.1:\(port)/twilio/conversations/events"
            let business = type == "whatsapp" ? "whatsapp:" + Self.business : Self.business
            var address: TwilioForm = ["Type": type, "Address": business, "AutoCreation.Enabled": "true", "AutoCreation.Type": "webhook",
                                       "AutoCreation.WebhookUrl": url, "AutoCreation.WebhookMethod": "POST"]
            for filter in ["onMessageAdded", "onConversationStateUpdated", "onDeliveryUpdated"] { address.append("AutoCreation.WebhookFilters", filter) }
            try await FlexHandoffServeTests.rest(emulator, "/v1/Configuration/Addresses", address)
            try await FlexHandoffServeTests.rest(emulator, "/v1/Services/\(emulator.configuration.chatServiceSid)/Configuration/Webhooks",
                                                 ["PreWebhookUrl": url, "Filters": "onMessageAdd", "Method": "POST"])
            let customer = type == "whatsapp" ? "whatsapp:+447700900123" : "+15558675310"
            try await body(Phone(emulator: emulator, customer: customer, business: business))
        }
    }

    /// Pre-chat by text message, answered by number, up to the handoff; the task it made.
    static func handOver(_ phone: Phone) async throws -> AgentTask {
        try await phone.expect(after: try await phone.text("start"), "Hi, I'm Parley Bot.", "What's your name?")
        try await phone.expect(after: try await phone.text("Ana"), "Nice to meet you, Ana!", "What can I help you with?\n1. Hardware\n2. Software")
        try await phone.expect(after: try await phone.text("2"), "Thanks! Someone who knows software can help with that.",
                               "Would you like to talk to a person now?\n1. Talk to an agent\n2. Not now")
        let handoff = try await phone.text("1")
        try await phone.expect(after: handoff, "Connecting you with an agent…", "You're in the queue. An agent will be with you shortly.")
        let task = try await phone.agent.waitForTask { $0.status == "reserved" }
        // The customer's own conversation, with what the agent needs to route and read.
        #expect(task.channelSid == handoff.conversationSid)
        #expect(task.attributes["channelType"]?.stringValue == handoff.channel)
        #expect(task.attributes["customerAddress"]?.stringValue == phone.customer)
        let summary = try #require(task.attributes["conversationSummary"]?.stringValue)
        #expect(summary.contains("name: Ana") && summary.contains("issue: software"), "\(summary)")
        return task
    }

    /// The agent accepts; both talk directly in the customer's conversation, the bot silent.
    static func talk(_ phone: Phone, task: AgentTask) async throws {
        try await phone.agent.accept(task.sid)
        let conversation = task.channelSid
        let message = try await phone.agent.say("Hi Ana, I'm Alice. Let's fix that.", channel: conversation)
        let joined = try await phone.agent.waitForPhone(phone.customer) { $0.contains { $0.messageSid == message.sid } }
        #expect(joined.last { $0.messageSid == message.sid }?.author == "alice_40example_2Ecom")
        let blank = try await phone.text("my screen stays blank")
        _ = try await phone.agent.waitForMessages(channel: conversation) { $0.contains { $0.body == "my screen stays blank" } }
        // The bot stays silent to the customer's messages while the agent has them.
        #expect(Phone.received(try await phone.agent.phone(phone.customer, wait: .zero).value, after: blank).isEmpty)
    }

    /// `/ask_issue_frequency` is blocked by the bot's pre-event answer; the bot asks instead.
    static func command(_ phone: Phone, task: AgentTask) async throws -> PhoneMessage {
        let before = try #require(try await phone.agent.phone(phone.customer, wait: .zero).value.last)
        await #expect { try await phone.agent.say("/ask_issue_frequency", channel: task.channelSid) } throws: { error in
            if case .refused(422, _)? = error as? AgentClientError { return true }
            return false
        }
        return before
    }

    /// The agent ends the chat: the customer hears it and the bot answers the next text.
    static func endAndReturn(_ phone: Phone, task: AgentTask) async throws {
        let last = try #require(try await phone.agent.phone(phone.customer, wait: .zero).value.last)
        try await phone.agent.endChat(task.sid)
        try await phone.expect(after: last, "Alice E. left the chat.", "You're back with the bot. Type `help` to see what I can do.")
        try await phone.expect(after: try await phone.text("help"), "Sure, Ana! Here's what I can do.",
                               "What would you like to do?\n1. Track an order\n2. Contact support\n3. Start over")
        let everything = try await phone.agent.phone(phone.customer, wait: .zero).value
        #expect(!everything.contains { $0.body.contains("/ask_issue_frequency") }, "a command never reaches the phone")
    }

    @Test("SMS: numbered buttons answered by number, the same conversation handed to Flex, a blocked command, the agent ends, the bot again")
    func sms() async throws {
        try await Self.withPhone("sms") { phone in
            let task = try await Self.handOver(phone)
            try await Self.talk(phone, task: task)
            let before = try await Self.command(phone, task: task)
            try await phone.expect(after: before, "How often does the issue occur?\n1. Once a week\n2. Several times a week\n3. Every day")
            _ = try await phone.text("3")
            _ = try await phone.agent.waitForMessages(channel: task.channelSid) { $0.contains { $0.body == "3" } }
            try await Self.endAndReturn(phone, task: task)
        }
    }

    @Test("the template's timeout flow: a customer who does not answer within the integration's reply_timeout is asked if they are still there")
    func replyTimeout() async throws {
        try await Self.withPhone("sms", replyTimeout: "2s") { phone in
            let start = try await phone.text("start")
            try await phone.expect(after: start, "Hi, I'm Parley Bot.", "What's your name?",
                                   "Are you still there? Write `help` whenever you need me again.")
            let menu = "What would you like to do?\n1. Track an order\n2. Contact support\n3. Start over"
            try await phone.expect(after: try await phone.text("help"), menu)
            // Asked once while the name was awaited (the menu waits 2 s of its own, and may time out by now).
            let received = try await phone.agent.phone(phone.customer, wait: .zero).value.map(\.body)
            let beforeMenu = received.prefix { $0 != menu }
            #expect(beforeMenu.filter { $0.hasPrefix("Are you still there?") }.count == 1, "\(received)")
        }
    }

    @Test("WhatsApp: the same handoff; a day later the bot's question fails with 63016 and a flow sends a Content template instead")
    func whatsApp() async throws {
        try await Self.withPhone("whatsapp", files: ["flow/delivery_failed.yaml": TestFlows.deliveryFailedTemplate]) { phone in
            let task = try await Self.handOver(phone)
            try await Self.talk(phone, task: task)
            try await phone.agent.advanceClock(by: .seconds(25 * 3_600))
            let before = try await Self.command(phone, task: task)
            let messages = try await phone.agent.waitForPhone(phone.customer, timeout: .seconds(20)) { messages in
                Phone.received(messages, after: before).contains { $0.contentSid != nil }
            }
            let after = Phone.received(messages, after: before)
            let question = try #require(after.first)
            #expect(question.body.hasPrefix("How often does the issue occur?") && question.status == "undelivered" && question.errorCode == 63016)
            let template = try #require(after.first { $0.contentSid != nil })
            #expect(template.contentSid == "HXb5b62575e6e4ff6129ad7c8efe1f983e" && template.status == "delivered")
            #expect(template.contentVariables == #"{"1":"63016"}"#)
            // The customer writes again: the window is open, and the agent ends the chat.
            _ = try await phone.text("Every day")
            try await Self.endAndReturn(phone, task: task)
        }
    }
}
