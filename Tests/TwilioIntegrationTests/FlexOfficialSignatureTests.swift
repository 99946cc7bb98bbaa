import BotRuntime
import FlowDSL
import Foundation
import SharedTestFixtures
import Testing
import TwilioWire

/// Twilio's own Python library (`twilio==9.13.0`) signs requests to Parley, for Flex and for the
/// Conversations channel: what it signs is accepted, what it signs with another token is refused.
@Suite("Twilio webhooks signed by Twilio's Python library")
struct FlexOfficialSignatureTests {
    @Test("the committed Twilio fixtures are what scripts/twilio-fixtures makes with Twilio's library, byte for byte")
    func fixturesAreGenerated() async throws {
        guard try await ProjectScripts.python() != nil else { return }
        // Exits 1 (and `script` throws, with the diff) when a file differs.
        await #expect(throws: Never.self) { try await ProjectScripts.script("twilio-fixtures", ["--check"]) }
    }

    /// `RequestValidator(token).compute_signature(url, params)` in Python.
    static func officialSignature(python: String, url: String, form: TwilioForm, token: String) async throws -> String {
        let params = TemplateValue.map(.init(uniqueKeysWithValues: form.fields.map { ($0.name, TemplateValue.string($0.value)) }))
        let input = TemplateValue.map(["url": .string(url), "params": params, "token": .string(token)]).jsonText
        let code = """
            import json, sys
            from twilio.request_validator import RequestValidator
            d = json.load(sys.stdin)
            print(RequestValidator(d["token"]).compute_signature(d["url"], d["params"]))
            """
        return try await ProjectScripts.run(python, ["-c", code], input: input).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("a message signed by twilio-python is accepted (2xx) and filed; signed with another token it is refused (403)")
    func officialClient() async throws {
        guard let python = try await ProjectScripts.python() else {
            print("skipped: python3 is not installed, so Twilio's Python library cannot sign requests")
            return
        }
        try await FlexBot.with { bot in
            try await bot.startHandoff()
            let text = "Ça coûte 5€ + tax = 10 & more ✓ 🚚"
            let form = TwilioFormHelper.chatMessage(text, messageSid: "IM0123456789abcdef0123456789abcdef")
            let url = TwilioFixtures.publicURL + "/twilio/chat/events"
            let good = try await Self.officialSignature(python: python, url: url, form: form, token: TwilioFixtures.authToken)
            let bad = try await Self.officialSignature(python: python, url: url, form: form, token: "0" + TwilioFixtures.authToken.dropFirst())
            #expect(good == TwilioSignature.compute(url: url, parameters: form, authToken: TwilioFixtures.authToken))
            func post(_ signature: String) async throws -> FlexBot.Reply {
                try await bot.send(.POST, "/twilio/chat/events", headers: [
                    ("Content-Type", "application/x-www-form-urlencoded"), ("X-Twilio-Signature", signature),
                ], body: form.encoded)
            }
            let refused = try await post(bad)
            #expect(refused.status == 403)
            try await bot.settle()
            #expect(try await bot.ledger().filter { $0.sender == .agent }.isEmpty)
            let accepted = try await post(good)
            #expect((200..<300).contains(accepted.status))
            try await bot.settle()
            #expect(try await bot.ledger().filter { $0.sender == .agent }.map(\.text) == [text])
        }
    }

    @Test("a customer's SMS signed by twilio-python starts the conversation's thread (204); signed with another token it is refused (403)")
    func officialClientConversations() async throws {
        guard let python = try await ProjectScripts.python() else {
            print("skipped: python3 is not installed, so Twilio's Python library cannot sign requests")
            return
        }
        try await FlexBot.with(files: ConversationsChannelTests.flows, channel: true) { bot in
            let form = TwilioFormHelper.conversationMessage("Ça coûte 5€ + tax = 10 & more ✓ 🚚")
            let url = TwilioFixtures.publicURL + ConversationsChannelTests.path
            let good = try await Self.officialSignature(python: python, url: url, form: form, token: TwilioFixtures.authToken)
            let bad = try await Self.officialSignature(python: python, url: url, form: form, token: "0" + TwilioFixtures.authToken.dropFirst())
            func post(_ signature: String) async throws -> FlexBot.Reply {
                try await bot.send(.POST, ConversationsChannelTests.path, headers: [
                    ("Content-Type", "application/x-www-form-urlencoded"), ("X-Twilio-Signature", signature),
                ], body: form.encoded)
            }
            #expect(try await post(bad).status == 403)
            try await bot.settle()
            #expect(try await bot.engine.thread(ConversationsChannelTests.smsThread) == nil)
            #expect(try await post(good).status == 204)
            try await bot.settle()
            let thread = try #require(try await bot.engine.thread(ConversationsChannelTests.smsThread))
            #expect(thread.userID == TwilioFormHelper.smsCustomer)
            #expect(await ConversationsChannelTests.lastPosted(bot, is: "What do you need help with?\n1. Hardware\n2. Software"))
        }
    }
}
