import BotRuntime
import FlowDSL
import Foundation
import SharedTestFixtures
import Testing
import TwilioIntegration

/// A message the bot posts into a Twilio conversation reaches it once, whatever happened to
/// Twilio's answer: each post carries its outbox item's key, and a retry — or a delivery
/// after a restart — first looks whether the conversation has it already.
@Suite("Twilio Conversations: each message posted once")
struct TwilioMessageOnceTests {
    static let question = "What do you need help with?\n1. Hardware\n2. Software"

    @Test("an SMS reply whose answer was lost (Twilio made it, then answered 500) reaches the phone once, and counts as delivered")
    func lostAnswerChannel() async throws {
        try await FlexBot.with(files: ConversationsChannelTests.flows, channel: true) { bot in
            bot.fake.lostAnswers.withLock { $0 = 1 }
            let reply = try await bot.replay(try TwilioFixtures.request("conversations-onMessageAdded-sms.http"))
            #expect(reply.status == 204, "\(reply.body)")
            try await bot.settle()
            #expect(await ConversationsChannelTests.lastPosted(bot, is: Self.question))
            let posts = ConversationsChannelTests.posted(bot, to: TwilioFormHelper.smsConversation).filter { $0.form["Body"] == Self.question }
            #expect(posts.count == 1, "\(posts.map(\.body))")
            #expect(try await !bot.ledger(ConversationsChannelTests.smsThread).contains { $0.type == EventTypes.deliveryFailed })
            guard case .map(let attributes)? = try? TemplateValue(jsonText: posts.first?.form["Attributes"] ?? ""),
                  case .string(let key)? = attributes["parley_key"] else { Issue.record("no key in \(posts)"); return }
            #expect(key.hasPrefix("outbox-"))
        }
    }

    @Test("a reply read back from the store after a restart is looked for first: one its last process posted is not posted again")
    func readBack() async throws {
        try await FlexBot.with(files: ConversationsChannelTests.flows, channel: true) { bot in
            _ = try await bot.replay(try TwilioFixtures.request("conversations-onMessageAdded-sms.http"))
            try await bot.settle()
            let thread = try #require(try await bot.engine.thread(ConversationsChannelTests.smsThread))
            let integration = try #require(bot.engine.integration(serving: "parley.twilio.conversations.integration"))
            let said = Event(type: EventTypes.say, threadID: thread.id, sender: .bot, userID: "bot", data: ["text": "Your order shipped."])
            let work = try #require(integration.outboundWork(for: CommittedTurn(thread: thread, previousThread: thread, events: [said, said])).first)
            let posts = { ConversationsChannelTests.posted(bot, to: TwilioFormHelper.smsConversation).filter { $0.form["Body"] == "Your order shipped." }.count }

            // Posted by a process that stopped before it recorded the delivery …
            var item = OutboxItem(id: 9_001, threadID: thread.id, work: work)
            guard case .delivered = await integration.deliver(item, engine: bot.engine) else { Issue.record("not delivered"); return }
            #expect(posts() == 1)
            // … then read back by the next one: found, not posted again.
            item.readBack = true
            guard case .delivered = await integration.deliver(item, engine: bot.engine) else { Issue.record("not delivered"); return }
            #expect(posts() == 1)
            // The same text in another item is another message: the key decides, not the text.
            guard case .delivered = await integration.deliver(OutboxItem(id: 9_002, threadID: thread.id, work: work), engine: bot.engine) else {
                Issue.record("not delivered"); return
            }
            #expect(posts() == 2)
        }
    }

    @Test("Flex Conversations: a relayed message whose answer was lost reaches the agent once")
    func lostAnswerRelay() async throws {
        try await FlexBot.with(conversation: TwilioFixtures.conversationSid) { bot in
            try await bot.startHandoff()
            bot.fake.lostAnswers.withLock { $0 = 1 }
            try await bot.say("are you there?")
            try await bot.settle()
            #expect(await bot.eventually { bot.fake.messages.contains { $0.form["Body"] == "are you there?" } })
            let posts = bot.fake.messages.filter { $0.form["Body"] == "are you there?" }
            #expect(posts.count == 1, "\(posts.map(\.body))")
            #expect(try await !bot.ledger().contains { $0.type == FlexEventTypes.error })
        }
    }
}
