import Foundation
import Testing
import TwilioEmulator
import TwilioWire

@Suite("Flex emulator webhooks")
struct WebhookTests {
    /// Checks what every webhook must carry: a valid signature over the URL posted to, Twilio's
    /// headers, and exactly the fixture's field names (in order) for event types with a fixture.
    static func checkWire(_ received: [WebhookReceiver.Received]) throws {
        let fixtureFields = try Fixtures.fieldNames()
        var tokens = Set<String>()
        for webhook in received {
            #expect(webhook.signatureValid, "\(webhook.eventType): bad X-Twilio-Signature")
            #expect(TwilioSignature.compute(url: webhook.url, parameters: webhook.form, authToken: TwilioEmulator.Defaults.authToken)
                    == webhook.header("X-Twilio-Signature"))
            #expect(webhook.header("User-Agent") == "TwilioProxy/1.1")
            #expect(webhook.header("Accept") == "*/*")
            let chat = webhook.path.hasSuffix("/chat/events")
            #expect(webhook.header("Content-Type") == (chat ? "application/x-www-form-urlencoded; charset=utf-8" : "application/x-www-form-urlencoded"))
            let token = try #require(webhook.header("I-Twilio-Idempotency-Token"))
            #expect(UUID(uuidString: token) != nil)
            tokens.insert(token)
            #expect(webhook.form.encoded == webhook.body, "the body is urlencode-exact")
            if let expected = fixtureFields[webhook.eventType] {
                #expect(webhook.form.fields.map(\.name) == expected, "\(webhook.eventType) fields")
            }
            if chat {
                #expect(webhook.form["AccountSid"] == TwilioEmulator.Defaults.accountSid)
                #expect(webhook.form["InstanceSid"] == TwilioEmulator.Defaults.chatServiceSid)
            } else {
                #expect(webhook.form["WorkspaceName"] == "Flex Task Assignment")
                #expect(TwilioSID.isValid(webhook.form["Sid"] ?? "", prefix: "EV"))
                #expect(webhook.form["Timestamp"]?.count == 10)
                #expect(webhook.form["TimestampMs"]?.count == 13)
            }
        }
        #expect(tokens.count == received.count, "a fresh idempotency token per delivery")
    }

    @Test("the full handoff: queued, offered, accepted, chatted (with a /command), completed — signed, in order, fixture-shaped")
    func lifecycle() async throws {
        try await EmulatorHarness.with { harness in
            let channel = try await harness.createChannel()
            let channelSid = try #require(channel["sid"]?.stringValue), taskSid = try #require(channel["task_sid"]?.stringValue)
            let offered = try await harness.agent.waitForTask { $0.sid == taskSid && $0.status == "reserved" }
            #expect(offered.worker?.name == "alice_40example_2Ecom")
            _ = try await harness.settledDeliveries(atLeast: 2)

            try await harness.agent.accept(taskSid)
            try await harness.agent.say("Hi Ada, I'm Alice. I'll take it from here — what's the order number?", channel: channelSid)
            try await harness.agent.say("/bot", channel: channelSid)
            let done = try await harness.agent.complete(taskSid, reason: "Chat completed by agent")
            #expect(done.status == "completed")
            let deliveries = try await harness.settledDeliveries(atLeast: 8)
            #expect(deliveries.map(\.eventType) == ["task-queue.entered", "reservation.created", "reservation.accepted", "onMessageSent",
                                                    "onMessageSent", "onChannelUpdated", "reservation.completed", "task.completed"])
            #expect(deliveries.allSatisfy { $0.status == .delivered && $0.attempts.count == 1 && $0.channelSid == channelSid })

            let received = await harness.receiver.received
            #expect(received.map(\.eventType) == deliveries.map(\.eventType), "delivered in order")
            try Self.checkWire(received)
            let byType = Dictionary(grouping: received, by: \.eventType)
            let queued = try #require(byType["task-queue.entered"]?.first)
            #expect(queued.form["TaskAssignmentStatus"] == "pending")
            #expect(queued.form["TaskSid"] == taskSid)
            #expect(queued.form["TaskQueueName"] == "Support")
            let taskAttributes = try EmulatorJSON(parsing: queued.form["TaskAttributes"] ?? "")
            #expect(taskAttributes["channelSid"]?.stringValue == channelSid)
            #expect(taskAttributes["bot_session_id"]?.stringValue == "sess-0001")
            let accepted = try #require(byType["reservation.accepted"]?.first)
            #expect(accepted.form["TaskAssignmentStatus"] == "assigned")
            #expect(accepted.form["WorkerName"] == "alice_40example_2Ecom")
            #expect(accepted.form["WorkerAttributes"] == TwilioEmulator.Worker.alice.attributes)
            #expect(accepted.path == "/twilio/taskrouter/events")
            let messages = try #require(byType["onMessageSent"])
            #expect(messages.map { $0.form["Body"] } == ["Hi Ada, I'm Alice. I'll take it from here — what's the order number?", "/bot"])
            #expect(messages.allSatisfy { $0.form["From"] == "alice_40example_2Ecom" && $0.form["ClientIdentity"] == "alice_40example_2Ecom"
                && $0.form["Source"] == "SDK" && $0.form["ChannelSid"] == channelSid && $0.path == "/twilio/chat/events" })
            #expect(messages.map { $0.form["Index"] } == ["0", "1"])
            let updated = try #require(byType["onChannelUpdated"]?.first)
            #expect(try EmulatorJSON(parsing: updated.form["Attributes"] ?? "")["status"] == "INACTIVE")
            #expect(updated.form["FriendlyName"] == "Ada Lovelace - order 1234")
            let completed = try #require(byType["reservation.completed"]?.first)
            #expect(completed.form["TaskCompletedReason"] == "Chat completed by agent")
            #expect(completed.form["TaskAssignmentStatus"] == "completed")
            let taskCompleted = try #require(byType["task.completed"]?.first)
            #expect(taskCompleted.form["TaskCompletedReason"] == "Chat completed by agent")
            // TaskVersion only grows.
            let versions = received.compactMap { $0.form["TaskVersion"].flatMap(Int.init) }
            #expect(versions == versions.sorted())
        }
    }

    @Test("cancel: a waiting task is canceled with its reason, by the agent API or TaskRouter REST")
    func cancel() async throws {
        try await EmulatorHarness.with { harness in
            let first = try #require(try await harness.createChannel()["task_sid"]?.stringValue)
            try await harness.agent.cancel(first, reason: "Customer left the chat")
            let second = try #require(try await harness.createChannel(EmulatorHarness.channelForm(identity: "other"))["task_sid"]?.stringValue)
            let reply = try await harness.rest("POST", "/v1/Workspaces/\(TwilioEmulator.Defaults.workspaceSid)/Tasks/\(second)",
                                               form: ["AssignmentStatus": "canceled", "Reason": "bot gave up"])
            #expect(reply.status == 200)
            #expect(try reply.json["assignment_status"]?.stringValue == "canceled")
            #expect(try reply.json["reason"]?.stringValue == "bot gave up")
            let deliveries = try await harness.settledDeliveries(atLeast: 8)
            #expect(deliveries.filter { $0.eventType == "task.canceled" }.map { $0[field: "TaskCanceledReason"] }
                    == ["Customer left the chat", "bot gave up"])
            #expect(deliveries.filter { $0.eventType == "reservation.canceled" }.count == 2)
            let received = await harness.receiver.received
            try Self.checkWire(received)
            // A canceled task cannot be accepted, canceled again or completed.
            await #expect(throws: AgentClientError.self) { try await harness.agent.accept(first) }
            await #expect(throws: AgentClientError.self) { try await harness.agent.cancel(first) }
            await #expect(throws: AgentClientError.self) { try await harness.agent.complete(first) }
            // The channel is closed.
            let channel = try await harness.agent.messages(channel: try await harness.agent.task(first).channelSid).value.channel
            #expect(channel.status == "INACTIVE")
        }
    }

    @Test("the bot completes an assigned task over REST: reservation.completed and task.completed, no onChannelUpdated")
    func restCompletion() async throws {
        try await EmulatorHarness.with { harness in
            let task = try #require(try await harness.createChannel()["task_sid"]?.stringValue)
            try await harness.agent.accept(task)
            let reply = try await harness.rest("POST", "/v1/Workspaces/\(TwilioEmulator.Defaults.workspaceSid)/Tasks/\(task)",
                                               form: ["AssignmentStatus": "completed", "Reason": "resolved by bot"])
            #expect(reply.status == 200, "\(reply.body)")
            let deliveries = try await harness.settledDeliveries(atLeast: 5)
            #expect(deliveries.map(\.eventType) == ["task-queue.entered", "reservation.created", "reservation.accepted",
                                                    "reservation.completed", "task.completed"])
            #expect(deliveries.last?[field: "TaskCompletedReason"] == "resolved by bot")
            try Self.checkWire(await harness.receiver.received)
        }
    }

    @Test("bot messages without X-Twilio-Webhook-Enabled: true do not echo; with it they fire onMessageSent (Source API)")
    func noEcho() async throws {
        try await EmulatorHarness.with { harness in
            let channel = try #require(try await harness.createChannel()["sid"]?.stringValue)
            #expect(try await harness.botMessage("quiet", channel: channel).status == 201)
            #expect(try await harness.botMessage("quiet too", channel: channel, webhookEnabled: "false").status == 201)
            #expect(try await harness.botMessage("from the customer", channel: channel, from: "bot-user-7f3a", webhookEnabled: "true").status == 201)
            let deliveries = try await harness.settledDeliveries(atLeast: 3)
            let sent = deliveries.filter { $0.eventType == "onMessageSent" }
            #expect(sent.count == 1)
            #expect(sent.first?[field: "Body"] == "from the customer")
            #expect(sent.first?[field: "Source"] == "API")
            #expect(sent.first?[field: "ClientIdentity"] == "bot-user-7f3a")
            #expect(sent.first?[field: "Index"] == "2")
            let transcript = try await harness.agent.messages(channel: channel).value.messages
            #expect(transcript.map(\.body) == ["quiet", "quiet too", "from the customer"])
            #expect(transcript.map(\.role) == ["bot", "bot", "customer"])
            try Self.checkWire(await harness.receiver.received)
        }
    }

    @Test("REST with X-Twilio-Webhook-Enabled: true: a media message fires onMediaMessageSent, a channel update onChannelUpdated")
    func restEvents() async throws {
        try await EmulatorHarness.with { harness in
            let channel = try #require(try await harness.createChannel()["sid"]?.stringValue)
            let service = "/v2/Services/\(TwilioEmulator.Defaults.chatServiceSid)/Channels/\(channel)"
            let media = try await harness.rest("POST", "\(service)/Messages", form: ["From": "bot-user-7f3a", "MediaSid": "ME" + String(repeating: "a", count: 32)],
                                               headers: ["X-Twilio-Webhook-Enabled": "true"])
            #expect(media.status == 201)
            #expect(try media.json["type"] == "media")
            let update = try await harness.rest("POST", service, form: ["Attributes": #"{"status":"INACTIVE"}"#, "FriendlyName": "closed"],
                                                headers: ["X-Twilio-Webhook-Enabled": "true"])
            #expect(update.status == 200)
            #expect(try update.json["friendly_name"] == "closed")
            let deliveries = try await harness.settledDeliveries(atLeast: 4)
            #expect(deliveries.suffix(2).map(\.eventType) == ["onMediaMessageSent", "onChannelUpdated"])
            let received = await harness.receiver.received
            try Self.checkWire(received)
            let updated = try #require(received.last)
            #expect(updated.form["Attributes"] == #"{"status":"INACTIVE"}"#)
            #expect(updated.form["Source"] == "API")
        }
    }

    @Test("a 503 is retried with the same idempotency token; Chat's RetryCount counts up; each attempt is signed")
    func retries() async throws {
        try await EmulatorHarness.with(receiverStatuses: [503, 429, 200, 503, 500, 200]) { harness in
            let channel = try #require(try await harness.createChannel()["sid"]?.stringValue)
            let deliveries = try await harness.settledDeliveries(atLeast: 2)
            #expect(deliveries.map(\.status) == [.delivered, .delivered])
            #expect(deliveries.map(\.attempts.count) == [3, 3])
            #expect(deliveries[0].attempts.map(\.statusCode) == [503, 429, 200])
            let received = await harness.receiver.received
            #expect(received.map(\.eventType) == Array(repeating: "task-queue.entered", count: 3) + Array(repeating: "reservation.created", count: 3))
            #expect(Set(received.prefix(3).compactMap { $0.header("I-Twilio-Idempotency-Token") }) == [deliveries[0].idempotencyToken])
            #expect(Set(received.suffix(3).compactMap { $0.header("I-Twilio-Idempotency-Token") }) == [deliveries[1].idempotencyToken])
            #expect(received.allSatisfy { $0.signatureValid })
            // Chat events count their retries in the body (and are signed over it).
            let task = try await harness.agent.waitForTask { $0.channelSid == channel }
            try await harness.agent.accept(task.sid)
            try await harness.agent.say("hello", channel: channel)
            _ = try await harness.settledDeliveries(atLeast: 4)
            let all = await harness.receiver.received
            let chat = all.filter { $0.eventType == "onMessageSent" }
            #expect(chat.count == 1)
            #expect(chat.first?.form["RetryCount"] == "0")
        }
    }

    @Test("Chat retries: RetryCount 0, 1, 2 with the same token, each attempt signed")
    func chatRetryCount() async throws {
        try await EmulatorHarness.with(receiverStatuses: [200, 200, 200, 503, 504, 200]) { harness in
            let channel = try #require(try await harness.createChannel()["sid"]?.stringValue)
            let task = try await harness.agent.waitForTask { $0.channelSid == channel && $0.status == "reserved" }
            try await harness.agent.accept(task.sid)
            _ = try await harness.settledDeliveries(atLeast: 3)
            try await harness.agent.say("hello", channel: channel)
            let deliveries = try await harness.settledDeliveries(atLeast: 4)
            #expect(deliveries.last?.attempts.map(\.statusCode) == [503, 504, 200])
            let chat = await harness.receiver.received.filter { $0.eventType == "onMessageSent" }
            #expect(chat.map { $0.form["RetryCount"] } == ["0", "1", "2"])
            #expect(Set(chat.compactMap { $0.header("I-Twilio-Idempotency-Token") }).count == 1)
            #expect(chat.allSatisfy { $0.signatureValid })
        }
    }

    @Test("a 4xx fails at once; an unreachable URL fails after the bounded retries; outcomes show in the events API")
    func failures() async throws {
        try await EmulatorHarness.with(receiverStatuses: [404]) { harness in
            _ = try await harness.createChannel()
            let deliveries = try await harness.settledDeliveries(atLeast: 2)
            #expect(deliveries[0].status == .failed)
            #expect(deliveries[0].attempts.map(\.statusCode) == [404])
            #expect(deliveries[1].status == .delivered)
            // Nothing listens on port 9 of 127.0.0.1 (discard); connections are refused.
            let moved = try await harness.rest("POST", "/v1/Workspaces/\(TwilioEmulator.Defaults.workspaceSid)",
                                               form: ["EventCallbackUrl": "http://127.0.0.1:9/twilio/taskrouter/events"])
            #expect(moved.status == 200)
            let task = try #require(try await harness.createChannel(EmulatorHarness.channelForm(identity: "x"))["task_sid"]?.stringValue)
            let later = try await harness.settledDeliveries(atLeast: 4)
            let unreachable = later.filter { $0.resourceSid == task || $0.eventType == "reservation.created" && $0.url?.contains(":9/") == true }
            #expect(!unreachable.isEmpty)
            for delivery in unreachable {
                #expect(delivery.status == .failed)
                #expect(delivery.attempts.count == 3)
                #expect(delivery.attempts.allSatisfy { $0.statusCode == nil && $0.error != nil })
            }
        }
    }

    @Test("filters: Chat WebhookFilters and TaskRouter EventsFilter limit what is sent; no URL means skipped")
    func filters() async throws {
        try await EmulatorHarness.with(configure: {
            $0.chatWebhookFilters = ["onChannelUpdated"]
            $0.taskRouterEventsFilter = ["reservation.accepted", "task.completed"]
        }) { harness in
            let channel = try await harness.createChannel()
            let channelSid = try #require(channel["sid"]?.stringValue), task = try #require(channel["task_sid"]?.stringValue)
            try await harness.agent.accept(task)
            try await harness.agent.say("filtered out", channel: channelSid)
            try await harness.agent.complete(task)
            let deliveries = try await harness.settledDeliveries(atLeast: 3)
            #expect(deliveries.map(\.eventType) == ["reservation.accepted", "onChannelUpdated", "task.completed"])
            let cleared = try await harness.rest("POST", "/v2/Services/\(TwilioEmulator.Defaults.chatServiceSid)", form: ["PostWebhookUrl": ""])
            #expect(cleared.status == 200)
            _ = try await harness.createChannel(EmulatorHarness.channelForm(identity: "y"))
            let second = try await harness.agent.waitForTask { $0.customer?.identity == "y" }
            try await harness.agent.accept(second.sid)
            try await harness.agent.complete(second.sid)
            let all = try await harness.settledDeliveries(atLeast: 6)
            #expect(all.last(where: { $0.eventType == "onChannelUpdated" })?.status == .skipped)
        }
    }
}
