import BotRuntime
import FlowDSL
import Foundation
import Testing
import TwilioIntegration
import TwilioWire

@Suite("Flex relay, agent messages, commands, transcript and the way back to the bot")
struct FlexRelayTests {
    @Test("in agent mode the user's messages reach the channel as the user, in order, and the bot stays silent")
    func userMessagesRelayed() async throws {
        try await FlexBot.with { bot in
            try await bot.startHandoff()
            let before = try await bot.ledger().count
            for text in ["hello", "my order is 1234", "it's late"] { try await bot.say(text) }
            #expect(await bot.eventually { bot.fake.messages.filter { $0.form["From"] == "ada" }.count == 3 })
            let fromUser = bot.fake.messages.filter { $0.form["From"] == "ada" }
            #expect(fromUser.map { $0.form["Body"] } == ["hello", "my order is 1234", "it's late"])
            for message in fromUser {
                #expect(message.path == "/v2/Services/\(TwilioFixtures.chatServiceSid)/Channels/\(TwilioFixtures.channelSid)/Messages")
                #expect(message.header("X-Twilio-Webhook-Enabled") == nil)
            }
            // `hello` started no flow: only the user's own events were filed.
            let added = try await bot.ledger().dropFirst(before)
            #expect(added.allSatisfy { $0.sender == .user }, "\(added.map(\.type))")
            // The bot's messages after start_chat in the handoff turn went too, and the note.
            let fromBot = bot.fake.messages.filter { $0.form["From"] == FlexIntegration.botIdentity }.compactMap { $0.form["Body"] }
            #expect(fromBot.contains("bot: Connecting you with an agent."))
            #expect(fromBot.contains("📝 Ada Lovelace wants a human."))
            #expect(!fromBot.contains { $0.contains("Your code is") })
        }
    }

    @Test("a failed post is retried and the message arrives once")
    func relayRetried() async throws {
        try await FlexBot.with { bot in
            try await bot.startHandoff()
            #expect(await bot.eventually { bot.fake.messages.count >= 2 })
            bot.fake.messageFailures.withLock { $0 = [503] }
            try await bot.say("are you there?")
            #expect(await bot.eventually { bot.fake.messages.contains { $0.form["Body"] == "are you there?" && $0.form["From"] == "ada" } })
            try await bot.settle()
            let posts = bot.fake.requests.filter { $0.path.hasSuffix("/Messages") && $0.form["Body"] == "are you there?" }
            #expect(posts.count == 2)
        }
    }

    @Test("an agent's message reaches the user with the agent's name; the user's own identity is an echo")
    func agentMessage() async throws {
        try await FlexBot.with { bot in
            try await bot.startHandoff()
            try await bot.taskRouter("taskrouter-reservation-accepted.http")
            #expect(try await bot.ledger().flatMap(\.plainLines).contains("status: Alice A. has joined the chat."))
            let reply = try await bot.agentSays("What's the order number?")
            #expect(reply.status == 204)
            let echo = try await bot.deliver(TwilioFormHelper.chatMessage("hello", from: "ada"))
            #expect(echo.status == 204)
            try await bot.settle()
            let agentEvents = try await bot.ledger().filter { $0.sender == .agent }
            #expect(agentEvents.flatMap(\.plainLines) == ["agent(Alice A.): What's the order number?"])
            #expect(agentEvents.first?.userID == "alice_40example_2Ecom")
            #expect(try await bot.mode() == "agent")
        }
    }

    @Test("an agent command runs its flow in agent mode; the question and the user's click reach the agent")
    func agentCommand() async throws {
        try await FlexBot.with { bot in
            try await bot.startHandoff()
            try await bot.taskRouter("taskrouter-reservation-accepted.http")
            try await bot.agentSays("/ask_issue_frequency")
            try await bot.settle()
            let ledger = try await bot.ledger()
            let command = try #require(ledger.first { $0.type == EventTypes.agentCommand })
            #expect(command.text == "/ask_issue_frequency")
            #expect(command.plainLines.isEmpty)
            let question = try #require(ledger.last { $0.type == EventTypes.buttons })
            #expect(question.plainLines == ["bot: How often does the issue occur?", "button: Once a week", "button: Every day"])
            #expect(try await bot.mode() == "agent")
            #expect(await bot.eventually {
                bot.fake.messages.contains { $0.form["Body"] == "bot: How often does the issue occur?\n--> [Once a week]\n--> [Every day]" }
            })
            let buttonID = try #require(question.choices.first?.buttonID)
            let reply = try await bot.click(buttonID)
            #expect(reply.status == 200)
            #expect(await bot.eventually { bot.fake.messages.contains { $0.form["From"] == "ada" && $0.form["Body"] == "Once a week" } })
            #expect(await bot.eventually { bot.fake.messages.contains { $0.form["Body"] == "bot: Thanks, noted weekly." } })
            #expect(try await bot.mode() == "agent")
        }
    }

    @Test("when the agent accepts, the transcript goes into the channel once, with prefixes and vault placeholders")
    func transcript() async throws {
        try await FlexBot.with { bot in
            _ = try await bot.say("hello")
            try await bot.startHandoff()
            try await bot.taskRouter("taskrouter-reservation-accepted.http")
            try await bot.taskRouter("taskrouter-reservation-accepted.http")
            #expect(await bot.eventually { bot.fake.messages.contains { $0.form["Body"]?.hasPrefix("user: hello") == true } })
            try await bot.settle()
            let transcripts = bot.fake.messages.filter { $0.form["Body"]?.hasPrefix("user: hello") == true }
            #expect(transcripts.count == 1)
            let transcript = try #require(transcripts.first?.form["Body"])
            #expect(transcript == """
                user: hello
                bot: Hello from the bot
                user: agent
                bot: Your code is [vault.support.code]
                """)
            #expect(transcripts.first?.form["From"] == FlexIntegration.botIdentity)
            #expect(!bot.fake.requests.contains { $0.body.contains("SECRET-4242") })
        }
    }

    @Test("reservation.completed gives the thread back to the bot, which answers again", arguments: [
        "taskrouter-reservation-completed.http", "taskrouter-task-canceled.http",
    ])
    func backToBot(_ fixture: String) async throws {
        try await FlexBot.with { bot in
            try await bot.startHandoff()
            try await bot.taskRouter("taskrouter-task-queue-entered.http")
            #expect(try await bot.ledger().flatMap(\.plainLines).contains("status: You're in the queue (priority 0)."))
            try await bot.say("hello")
            #expect(try await bot.ledger().flatMap(\.plainLines).last != "bot: Hello from the bot")
            try await bot.taskRouter(fixture)
            #expect(try await bot.mode() == "bot")
            let status = fixture.contains("canceled") ? "status: No agent is available right now." : "status: The agent has left the chat."
            #expect(try await bot.ledger().flatMap(\.plainLines).contains(status))
            // The channel still leads to the thread (an agent's last message reaches the user); the task no longer.
            #expect(try await bot.engine.thread(forLink: "flex:channel:\(TwilioFixtures.channelSid)") == "ada")
            #expect(try await bot.engine.thread(forLink: "flex:task:\(TwilioFixtures.taskSid)") == nil)
            try await bot.say("hello")
            #expect(try await bot.ledger().flatMap(\.plainLines).last == "bot: Hello from the bot")
            // Nothing more goes to the channel.
            let count = bot.fake.messages.count
            try await bot.settle()
            #expect(bot.fake.messages.count == count)
        }
    }

    @Test("the agent closing the chat (channel INACTIVE) gives the thread back to the bot")
    func channelClosed() async throws {
        try await FlexBot.with { bot in
            try await bot.startHandoff()
            try await bot.taskRouter("taskrouter-reservation-accepted.http")
            let reply = try await bot.replay(try TwilioFixtures.request("chat-onChannelUpdated.http"))
            #expect(reply.status == 204)
            try await bot.settle()
            #expect(try await bot.mode() == "bot")
            #expect(try await bot.ledger().flatMap(\.plainLines).contains("status: The agent closed the chat."))
            // reservation.completed afterwards still finds the thread (task link) and changes nothing else.
            try await bot.taskRouter("taskrouter-reservation-completed.http")
            #expect(try await bot.mode() == "bot")
            #expect(try await bot.ledger().flatMap(\.plainLines).contains("status: The agent has left the chat."))
            try await bot.say("hello")
            #expect(try await bot.ledger().flatMap(\.plainLines).last == "bot: Hello from the bot")
        }
    }

    @Test("end_chat posts its text, closes the channel, completes the task and gives the thread back")
    func endChat() async throws {
        try await FlexBot.with { bot in
            try await bot.startHandoff()
            try await bot.taskRouter("taskrouter-reservation-accepted.http")
            try await bot.say("bye")
            #expect(try await bot.mode() == "bot")
            // The closing goes through the outbox; Twilio's answer resumes the flow.
            try await bot.settle()
            #expect(try await bot.ledger().flatMap(\.plainLines).last == "bot: You're back with the bot (ok True).")
            let requests = bot.fake.requests
            #expect(requests.contains { $0.path.hasSuffix("/Messages") && $0.form["Body"] == "The customer ended the chat." })
            let close = try #require(requests.last { $0.method == "POST" && $0.path.hasSuffix("/Channels/\(TwilioFixtures.channelSid)") })
            let attributes = try TemplateValue(jsonText: try #require(close.form["Attributes"]))
            guard case .map(let map) = attributes else { Issue.record("attributes are not an object"); return }
            #expect(map["status"] == .string("INACTIVE"))
            #expect(map["task_sid"] == .string(TwilioFixtures.taskSid))
            let task = try #require(requests.last { $0.path.hasSuffix("/Tasks/\(TwilioFixtures.taskSid)") })
            #expect(task.path == "/v1/Workspaces/WS92b03edeb0f9b34002ac3a5c09570018/Tasks/\(TwilioFixtures.taskSid)")
            #expect(task.form["AssignmentStatus"] == "completed")
            try await bot.say("hello")
            #expect(try await bot.ledger().flatMap(\.plainLines).last == "bot: Hello from the bot")
        }
    }

    @Test("end_chat closes after the messages queued before it; what the user writes meanwhile is answered after its flow")
    func endChatWaitsForTwilio() async throws {
        try await FlexBot.with { bot in
            try await bot.startHandoff()
            try await bot.taskRouter("taskrouter-reservation-accepted.http")
            bot.fake.holdChannelUpdates.withLock { $0 = true }
            try await bot.say("one more thing")
            try await bot.say("bye")
            #expect(try await bot.mode() == "bot")
            let early = try await bot.say("hello")
            #expect(early.status == 200)
            #expect(try await bot.ledger().flatMap(\.plainLines).contains("bot: Hello from the bot") == false)
            let thread = try #require(try await bot.engine.thread("ada"))
            #expect(thread.scope["flex_ending"] != nil)
            bot.fake.holdChannelUpdates.withLock { $0 = false }
            try await bot.settle()
            let lines = try await bot.ledger().flatMap(\.plainLines)
            #expect(Array(lines.suffix(2)) == ["bot: You're back with the bot (ok True).", "bot: Hello from the bot"])
            #expect(try await bot.engine.thread("ada")?.scope["flex_ending"] == nil)
            let requests = bot.fake.requests.filter { $0.method == "POST" }
            let relayed = try #require(requests.firstIndex { $0.form["Body"] == "one more thing" })
            let note = try #require(requests.firstIndex { $0.form["Body"] == "The customer ended the chat." })
            let close = try #require(requests.firstIndex { $0.path.hasSuffix("/Channels/\(TwilioFixtures.channelSid)") })
            #expect(relayed < note && note < close)
        }
    }
}

@Suite("Flex logs")
struct FlexLogTests {
    @Test("a whole handoff, failures included, logs no credential, vault value or message text")
    func noSecretsInLogs() async throws {
        let lines = CapturingLogHandler.Lines()
        try await FlexBot.with(logger: CapturingLogHandler.logger(into: lines)) { bot in
            try await bot.startHandoff()
            try await bot.taskRouter("taskrouter-reservation-accepted.http")
            try await bot.say("my secret order 998877")
            try await bot.agentSays("What's the order number?")
            // A post that fails for good, and a refused webhook.
            bot.fake.messageFailures.withLock { $0 = [500, 500, 500] }
            try await bot.say("still there 998877?")
            _ = try await bot.deliver(TwilioFormHelper.chatMessage("forged"), path: "/twilio/taskrouter/events")
            let wrong = try await bot.replay(try TwilioFixtures.request("chat-onMessageSent.http"), body: "EventType=onMessageSent&Body=forged")
            #expect(wrong.status == 403)
            try await bot.settle()
            #expect(try await bot.ledger().contains { $0.type == FlexEventTypes.error })
        }
        let log = lines.all.joined(separator: "\n")
        #expect(log.contains("Twilio Flex call failed"))
        for secret in ["key-secret-must-not-leak", TwilioFixtures.authToken, "SECRET-4242", "998877", "What's the order number",
                       "a2V5LXNlY3JldC1tdXN0LW5vdC1sZWFr"] {
            #expect(!log.contains(secret), "the log contains \(secret)")
        }
    }
}
