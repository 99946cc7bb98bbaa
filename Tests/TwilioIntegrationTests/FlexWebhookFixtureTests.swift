import BotRuntime
import FlowDSL
import Foundation
import SharedTestFixtures
import Testing
import TwilioIntegration

/// Every signed Chat, Conversations and TaskRouter fixture replayed over real HTTP to a bot
/// whose thread `ada` was handed by start_chat to the fixture's channel (Programmable Chat) or
/// to the fixture's conversation (Flex Conversations: `conversations-*`).
@Suite("Flex webhooks: the shared Twilio fixtures")
struct FlexWebhookFixtureTests {
    /// What each fixture becomes in the thread's ledger (nil: answered, nothing filed). A
    /// customer's own SMS or WhatsApp message and its delivery receipt are the messaging
    /// channel's (they reach the agent in the conversation without the bot); the pre-event hook
    /// of an agent's command runs it and blocks the message (422).
    static let expected: [String: (type: String?, sender: Sender)] = [
        "conversations-onMessageAdded.http": (EventTypes.say, .agent),
        "conversations-onMessageAdded-agent.http": (EventTypes.say, .agent),
        "conversations-onMessageAdded-sms.http": (nil, .user),
        "conversations-onMessageAdded-whatsapp.http": (nil, .user),
        "conversations-onMessageAdd-pre-agent-command.http": (EventTypes.agentCommand, .agent),
        "conversations-onDeliveryUpdated-63016.http": (nil, .system),
        "conversations-onConversationStateUpdated.http": (FlexEventTypes.channelInactive, .system),
        "conversations-taskrouter-task-queue-entered.http": (FlexElements.Event.taskQueueEntered, .system),
        "conversations-taskrouter-reservation-accepted.http": (FlexElements.Event.reservationAccepted, .system),
        "conversations-taskrouter-task-wrapup.http": (FlexElements.Event.reservationCompleted, .system),
        "conversations-taskrouter-task-completed.http": (FlexElements.Event.reservationCompleted, .system),
        "taskrouter-task-queue-entered.http": (FlexElements.Event.taskQueueEntered, .system),
        "taskrouter-reservation-created.http": (nil, .system),
        "taskrouter-reservation-accepted.http": (FlexElements.Event.reservationAccepted, .system),
        "taskrouter-reservation-completed.http": (FlexElements.Event.reservationCompleted, .system),
        "taskrouter-task-completed.http": (nil, .system),
        "taskrouter-task-canceled.http": (FlexElements.Event.taskCanceled, .system),
        "chat-onMessageSent.http": (EventTypes.say, .agent),
        "chat-onMediaMessageSent.http": (EventTypes.say, .agent),
        "chat-onChannelUpdated.http": (FlexEventTypes.channelInactive, .system),
    ]

    /// The conversation a `conversations-*` fixture is about (the bot hands off into it); nil
    /// for the Programmable Chat ones.
    static func conversation(of fixture: RecordedRequest, _ name: String) throws -> String? {
        guard name.hasPrefix("conversations-") else { return nil }
        let form = try TwilioFormHelper.form(fixture.body)
        if let sid = form["ConversationSid"] { return sid }
        let attributes = try #require(form["TaskAttributes"])
        guard case .map(let map) = try TemplateValue(jsonText: attributes), case .string(let sid)? = map["conversationSid"] else {
            throw FixtureError("\(name) names no conversation")
        }
        return sid
    }

    @Test("the fixture folder holds exactly the Chat, Conversations and TaskRouter webhooks this suite maps")
    func everyFixtureIsCovered() throws {
        #expect(Set(try TwilioFixtures.webhookNames()) == Set(Self.expected.keys))
    }

    @Test("each fixture is accepted with its signature, maps to its event in the linked thread, and 20 deliveries have one effect",
          arguments: expected.keys.sorted())
    func replay(_ name: String) async throws {
        let fixture = try TwilioFixtures.request(name)
        let expectation = try #require(Self.expected[name])
        try await FlexBot.with(conversation: try Self.conversation(of: fixture, name)) { bot in
            try await bot.startHandoff()
            let before = try await bot.ledger()
            // A pre-event names nothing but its delivery (no MessageSid yet): its retries are told by their token.
            let isPreEvent = name.contains("onMessageAdd-pre")
            for delivery in 1...20 {
                // Retries of one delivery may even come with another idempotency token.
                let reply = try await bot.replay(fixture) { headers in
                    if delivery.isMultiple(of: 2), !isPreEvent, let index = headers.firstIndex(where: { $0.0 == "I-Twilio-Idempotency-Token" }) {
                        headers[index].1 = UUID().uuidString
                    }
                }
                #expect(reply.status == (isPreEvent ? 422 : 204), "\(name) delivery \(delivery): \(reply.status) \(reply.body)")
                #expect(reply.contentType == "application/json")
            }
            try await bot.settle()
            let added = try await bot.ledger().filter { $0.sequence > (before.last?.sequence ?? 0) }
            let inbound = added.filter { $0.sender == .agent || $0.sender == .system }
            guard let type = expectation.type else {
                #expect(inbound.isEmpty, "\(name) filed \(inbound.map(\.type))")
                return
            }
            #expect(inbound.map(\.type) == [type], "\(name)")
            let event = try #require(inbound.first)
            #expect(event.sender == expectation.sender)
            #expect(event.threadID == "ada")
            try Self.checkData(name, event)
        }
    }

    static func checkData(_ name: String, _ event: Event) throws {
        func string(_ key: String) -> String? {
            if case .string(let value)? = event.data[key] { return value }
            return nil
        }
        switch name {
        case "taskrouter-task-queue-entered.http":
            #expect(string("task_priority") == "0")
            #expect(string("task_assignment_status") == "pending")
            guard case .map(let attributes)? = event.data["task_attributes"] else { Issue.record("no task_attributes"); return }
            #expect(attributes["channelSid"] == .string(TwilioFixtures.channelSid))
        case "taskrouter-reservation-accepted.http":
            #expect(string("agent_name") == "Alice A.")
            guard case .map(let worker)? = event.data["worker_attributes"] else { Issue.record("no worker_attributes"); return }
            #expect(worker["full_name"] == .string("Alice Agent"))
        case "chat-onMessageSent.http":
            #expect(event.userID == "alice_40example_2Ecom")
            #expect(event.plainLines == ["agent(Agent): Hi Ada, I'm Alice. I'll take it from here — what's the order number?"])
        case "chat-onMediaMessageSent.http":
            guard case .map(let media)? = event.data["media"] else { Issue.record("no media"); return }
            #expect(media["filename"] == .string("return-label.png"))
            #expect(media["content_type"] == .string("image/png"))
        case "taskrouter-task-canceled.http":
            #expect(string("reason") == "Customer left the chat")
        case "conversations-onMessageAdded-agent.http":
            #expect(event.userID == "alice_40example_2Ecom")
            #expect(event.plainLines == ["agent(Agent): Hi Ana, I'm Alice. Let's fix this."])
        case "conversations-taskrouter-reservation-accepted.http":
            #expect(string("agent_name") == "Alice E.")
        case "conversations-taskrouter-task-wrapup.http", "conversations-taskrouter-task-completed.http":
            #expect(string("task_sid") == TwilioFixtures.interactionTaskSid)
        case "conversations-onConversationStateUpdated.http":
            #expect(string("status") == "closed")
            #expect(string("reason") == "TIMER")
        default:
            break
        }
    }

    @Test("an altered body, path, public URL or signature is refused with 403 and changes nothing",
          arguments: expected.keys.sorted())
    func tampering(_ name: String) async throws {
        let fixture = try TwilioFixtures.request(name)
        let conversation = try Self.conversation(of: fixture, name)
        try await FlexBot.with(conversation: conversation) { bot in
            try await bot.startHandoff()
            let before = try await bot.ledger()
            let signature = try #require(fixture.header("X-Twilio-Signature"))
            var flipped = Array(signature)
            flipped[3] = flipped[3] == "A" ? "B" : "A"
            let attempts: [(String, FlexBot.Reply)] = [
                ("body", try await bot.replay(fixture, body: fixture.body.replacingOccurrences(of: "AC57fd", with: "AC57fe"))),
                ("extra field", try await bot.replay(fixture, body: fixture.body + "&Extra=1")),
                ("path", try await bot.replay(fixture, path: "/webhooks/integration.twilio.flex")),
                ("signature", try await bot.replay(fixture) { headers in
                    headers = headers.map { $0.0 == "X-Twilio-Signature" ? ($0.0, String(flipped)) : $0 }
                }),
                ("no signature", try await bot.replay(fixture) { headers in headers.removeAll { $0.0 == "X-Twilio-Signature" } }),
            ]
            for (what, reply) in attempts {
                #expect(reply.status == 403, "\(name) with a changed \(what): \(reply.status)")
                #expect(reply.body.contains("\"error\""), "\(name) with a changed \(what)")
            }
            try await bot.settle()
            #expect(try await bot.ledger() == before)
            #expect(try await bot.mode() == "agent")
        }
        // Signed for https://bot.example.com, received by a server that says it is elsewhere.
        try await FlexBot.with(conversation: conversation, publicURL: "https://other.example.com") { bot in
            try await bot.startHandoff()
            let before = try await bot.ledger()
            let reply = try await bot.replay(fixture)
            #expect(reply.status == 403, "\(name) at another public URL: \(reply.status)")
            try await bot.settle()
            #expect(try await bot.ledger() == before)
        }
    }

    @Test("the integration's own URL /webhooks/{id} takes Chat and TaskRouter deliveries signed for it")
    func integrationURL() async throws {
        try await FlexBot.with { bot in
            try await bot.startHandoff()
            let fixture = try TwilioFixtures.request("taskrouter-task-queue-entered.http")
            let path = "/webhooks/integration.twilio.flex"
            let form = try TwilioFormHelper.form(fixture.body)
            let signature = TwilioFormHelper.sign(url: TwilioFixtures.publicURL + path, form: form)
            let reply = try await bot.replay(fixture, path: path) { headers in
                headers = headers.map { $0.0 == "X-Twilio-Signature" ? ($0.0, signature) : $0 }
            }
            #expect(reply.status == 204)
            try await bot.settle()
            #expect(try await bot.ledger().contains { $0.type == FlexElements.Event.taskQueueEntered })
        }
    }

    @Test("a GET delivery (parameters in the query, signed with the URL) is accepted; with an altered query it is refused")
    func getDelivery() async throws {
        try await FlexBot.with { bot in
            try await bot.startHandoff()
            let fixture = try TwilioFixtures.request("taskrouter-task-queue-entered.http")
            let path = "/twilio/taskrouter/events?" + fixture.body
            let signature = TwilioFormHelper.sign(url: TwilioFixtures.publicURL + path, form: try TwilioFormHelper.form(""))
            let altered = try await bot.send(.GET, path.replacingOccurrences(of: "TaskPriority=0", with: "TaskPriority=9"),
                                             headers: [("X-Twilio-Signature", signature)])
            #expect(altered.status == 403)
            let reply = try await bot.send(.GET, path, headers: [("X-Twilio-Signature", signature)])
            #expect(reply.status == 204)
            try await bot.settle()
            let events = try await bot.ledger().filter { $0.type == FlexElements.Event.taskQueueEntered }
            #expect(events.map { $0.data["task_priority"] } == [.string("0")])
        }
    }
}
