import Foundation
import Testing
import TwilioEmulator
import TwilioWire

/// The emulated phones: an Address Configuration routes a customer's SMS or WhatsApp message
/// into a conversation it creates (customer, scoped webhook, signed `onMessageAdded`); what the
/// bot and the agent add reaches the phone, except a free-form WhatsApp message outside the
/// 24-hour window (63016, `onDeliveryUpdated`); the service's pre-event webhook can block an
/// agent's message.
@Suite("Flex emulator's phones and Address Configurations")
struct PhoneTests {
    static let business = "+15550001234"
    static let customer = "+15558675310"

    /// Configures `address` to auto-create conversations whose webhook is the receiver's.
    static func configure(_ harness: EmulatorHarness, type: String = "sms", address: String = business,
                          filters: [String] = ["onMessageAdded", "onDeliveryUpdated"]) async throws -> EmulatorJSON {
        var form: TwilioForm = ["Type": type, "Address": address, "FriendlyName": "Support line", "AutoCreation.Enabled": "true",
                                "AutoCreation.Type": "webhook", "AutoCreation.WebhookUrl": harness.receiver.chatURL,
                                "AutoCreation.WebhookMethod": "POST"]
        for filter in filters { form.append("AutoCreation.WebhookFilters", filter) }
        let reply = try await harness.rest("POST", "/v1/Configuration/Addresses", form: form)
        try #require(reply.status == 201, "\(reply.body)")
        return try reply.json
    }

    /// Posts a message into a conversation over REST, as the bot does.
    static func reply(_ harness: EmulatorHarness, _ conversation: String, _ form: TwilioForm) async throws {
        let reply = try await harness.rest("POST", "/v1/Conversations/\(conversation)/Messages", form: form)
        try #require(reply.status == 201, "\(reply.body)")
    }

    @Test("an SMS to a configured address makes the conversation, its customer and webhook and a signed onMessageAdded; the bot's reply reaches the phone")
    func sms() async throws {
        try await EmulatorHarness.with { harness in
            let address = try await Self.configure(harness)
            #expect(address["sid"]?.stringValue?.hasPrefix("IG") == true)
            #expect(address["auto_creation"]?["webhook_filters"] == ["onMessageAdded", "onDeliveryUpdated"])
            #expect(try await harness.rest("POST", "/v1/Configuration/Addresses", form: ["Type": "sms", "Address": Self.business]).status == 409)

            let first = try await harness.agent.text("Hi, my laptop won't start", from: Self.customer, to: Self.business)
            #expect(first.direction == "inbound" && first.channel == "sms")
            let delivered = try await harness.agent.waitForDeliveries { $0.eventType == "onMessageAdded" }
            let received = try #require(await harness.receiver.received.first { $0.eventType == "onMessageAdded" })
            #expect(received.signatureValid && delivered.first?.status == .delivered)
            #expect(received.form["Source"] == "SMS" && received.form["Author"] == Self.customer)
            #expect(received.form["ConversationSid"] == first.conversationSid && received.form["Body"] == "Hi, my laptop won't start")
            #expect(received.form["MessagingServiceSid"] == TwilioEmulator.Defaults.messagingServiceSid)
            #expect(received.form["WebhookSid"]?.hasPrefix("WH") == true && received.form["ParticipantSid"]?.hasPrefix("MB") == true)

            // The customer's next message goes to the same conversation.
            #expect(try await harness.agent.text("Hello?", from: Self.customer, to: Self.business).conversationSid == first.conversationSid)
            let participants = try await harness.rest("GET", "/v1/Conversations/\(first.conversationSid)/Participants").json
            let binding = participants["participants"].flatMap { if case .array(let items) = $0 { items.first } else { nil } }?["messaging_binding"]
            #expect(binding == ["type": "sms", "address": .string(Self.customer), "proxy_address": .string(Self.business)])

            // The bot answers over REST: on the phone, and no webhook for it.
            try await Self.reply(harness, first.conversationSid, ["Author": "Support bot", "Body": "What do you need help with?\n1. Hardware"])
            let phone = try await harness.agent.waitForPhone(Self.customer) { $0.count == 3 }
            #expect(phone.map(\.direction) == ["inbound", "inbound", "outbound"])
            #expect(phone.last?.status == "delivered" && phone.last?.author == "Support bot" && phone.last?.body.hasSuffix("1. Hardware") == true)
            #expect(await harness.receiver.received.filter { $0.eventType == "onMessageAdded" }.count == 2)

            // What is not configured, or does not auto-create, is refused with the reason.
            await #expect { try await harness.agent.text("Hi", from: Self.customer, to: "+15550009999") } throws: { error in
                "\(error)".contains("no Address Configuration for `+15550009999`") && "\(error)".contains(Self.business)
            }
            #expect(try await harness.rest("POST", "/v1/Configuration/Addresses", form: ["Type": "sms", "Address": "+15550002222"]).status == 201)
            await #expect { try await harness.agent.text("Hi", from: Self.customer, to: "+15550002222") } throws: { error in
                "\(error)".contains("auto-creation is off")
            }
            #expect(try await harness.rest("POST", "/v1/Configuration/Addresses", form: ["Type": "fax", "Address": "+1"]).status == 400)
        }
    }

    @Test("WhatsApp: a free-form reply more than 24 h after the customer last wrote is undelivered with 63016 (onDeliveryUpdated); a template is delivered")
    func whatsAppWindow() async throws {
        try await EmulatorHarness.with { harness in
            _ = try await Self.configure(harness, type: "whatsapp", address: "whatsapp:" + Self.business)
            let customer = "whatsapp:+447700900123"
            let first = try await harness.agent.text("Hi", from: "+447700900123", to: "whatsapp:" + Self.business)
            #expect(first.customer == customer && first.channel == "whatsapp")
            _ = try await harness.agent.waitForDeliveries { $0.eventType == "onMessageAdded" }
            #expect(await harness.receiver.received.first?.form["Source"] == "WHATSAPP")
            let conversation = first.conversationSid
            try await Self.reply(harness, conversation, ["Author": "bot", "Body": "Within the window"])

            try await harness.agent.advanceClock(by: .seconds(25 * 3_600))
            try await Self.reply(harness, conversation, ["Author": "bot", "Body": "A day later"])
            try await Self.reply(harness, conversation, ["Author": "bot", "ContentSid": "HXb5b62575e6e4ff6129ad7c8efe1f983e",
                                                         "ContentVariables": #"{"1":"63016"}"#, "Body": "ignored"])
            let phone = try await harness.agent.waitForPhone(customer) { $0.count == 4 }
            #expect(phone.map(\.status) == ["received", "delivered", "undelivered", "delivered"])
            #expect(phone[2].errorCode == 63016 && phone[3].contentSid == "HXb5b62575e6e4ff6129ad7c8efe1f983e" && phone[3].body.isEmpty)

            let failures = try await harness.agent.waitForDeliveries { $0.eventType == "onDeliveryUpdated" }
            #expect(failures.count == 1 && failures[0].status == .delivered)
            let receipt = try #require(await harness.receiver.received.first { $0.eventType == "onDeliveryUpdated" })
            #expect(receipt.signatureValid && receipt.form["Status"] == "undelivered" && receipt.form["ErrorCode"] == "63016")
            #expect(receipt.form["ConversationSid"] == conversation && receipt.form["MessageSid"] == phone[2].messageSid)
            let fixture = try TwilioForm(encoded: try Fixtures.body("conversations-onDeliveryUpdated-63016.http"))
            #expect(receipt.form.fields.map(\.name) == fixture.fields.map(\.name))

            // The customer writing again opens the window again.
            _ = try await harness.agent.text("Still there?", from: customer, to: "whatsapp:" + Self.business)
            try await Self.reply(harness, conversation, ["Author": "bot", "Body": "Yes!"])
            #expect(try await harness.agent.waitForPhone(customer) { $0.count == 6 }.last?.status == "delivered")
        }
    }

    @Test("the service's pre-event webhook is asked before an agent's message: refused, it is neither added nor delivered; let through, it is")
    func preEvent() async throws {
        try await EmulatorHarness.with { harness in
            _ = try await Self.configure(harness)
            let conversation = try await harness.agent.text("I need a person", from: Self.customer, to: Self.business).conversationSid
            let c = harness.configuration
            let webhooks = try await harness.rest("POST", "/v1/Services/\(c.chatServiceSid)/Configuration/Webhooks",
                                                  form: ["PreWebhookUrl": harness.receiver.preEventURL, "Filters": "onMessageAdd", "Method": "POST"])
            let filters = try webhooks.json["filters"]
            #expect(webhooks.status == 200 && filters == ["onMessageAdd"], "\(webhooks.body)")
            let routing = #"{"properties":{"workspace_sid":"\#(c.workspaceSid)","workflow_sid":"\#(c.workflowSid)","task_channel_unique_name":"chat"}}"#
            let interaction = try await harness.rest("POST", "/v1/Interactions", form: [
                "Channel": #"{"type":"sms","initiated_by":"customer","properties":{"media_channel_sid":"\#(conversation)"}}"#, "Routing": routing,
            ]).json
            try await harness.agent.accept(try #require(interaction["routing"]?["properties"]?["sid"]?.stringValue))

            await #expect { try await harness.agent.say("/ask_issue_frequency", channel: conversation) } throws: { error in
                (error as? AgentClientError).map { if case .refused(422, _) = $0 { true } else { false } } ?? false
            }
            try await harness.agent.say("Hi, I'm Alice", channel: conversation)
            let bodies = try await harness.agent.messages(channel: conversation, wait: .zero).value.messages.map(\.body)
            #expect(bodies == ["I need a person", "Hi, I'm Alice"])
            let phone = try await harness.agent.waitForPhone(Self.customer) { $0.count == 2 }
            #expect(phone.last?.body == "Hi, I'm Alice" && phone.last?.author == "alice_40example_2Ecom")
            let asked = try await harness.agent.waitForDeliveries(count: 2) { $0.eventType == "onMessageAdd" }
            #expect(asked.map(\.status) == [.failed, .delivered])
            let fixture = try TwilioForm(encoded: try Fixtures.body("conversations-onMessageAdd-pre-agent-command.http"))
            let pre = try #require(await harness.receiver.received.first { $0.eventType == "onMessageAdd" })
            #expect(pre.signatureValid && pre.form.fields.map(\.name) == fixture.fields.map(\.name))
        }
    }
}
