import Foundation
import Testing
import TwilioWire

/// Builds and signs webhook deliveries the way Twilio does (with TwilioWire's signer).
enum TwilioFormHelper {
    static func form(_ encoded: String) throws -> TwilioForm {
        try TwilioForm(encoded: encoded)
    }

    static func sign(url: String, form: TwilioForm, token: String = TwilioFixtures.authToken) -> String {
        TwilioSignature.compute(url: url, parameters: form, authToken: token)
    }

    /// A Chat `onMessageSent` from `from` into the fixture channel.
    static func chatMessage(_ body: String, from: String = "alice_40example_2Ecom", messageSid: String = TwilioSID.random("IM")) -> TwilioForm {
        var form = TwilioForm()
        for (name, value) in [
            ("EventType", "onMessageSent"), ("InstanceSid", TwilioFixtures.chatServiceSid), ("Attributes", "{}"),
            ("DateCreated", "2025-03-14T10:00:12.345Z"), ("Index", "5"), ("From", from), ("MessageSid", messageSid),
            ("AccountSid", TwilioFixtures.accountSid), ("Source", "SDK"), ("ChannelSid", TwilioFixtures.channelSid),
            ("ClientIdentity", from), ("RetryCount", "0"), ("Body", body),
        ] { form.append(name, value) }
        return form
    }
}

extension FlexBot {
    /// Posts a signed Chat or TaskRouter delivery to `path`.
    @discardableResult
    func deliver(_ form: TwilioForm, path: String = "/twilio/chat/events") async throws -> Reply {
        let signature = TwilioFormHelper.sign(url: TwilioFixtures.publicURL + path, form: form)
        return try await send(.POST, path, headers: [
            ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), ("X-Twilio-Signature", signature),
            ("I-Twilio-Idempotency-Token", UUID().uuidString),
        ], body: form.encoded)
    }

    /// The agent writes in the chat.
    @discardableResult
    func agentSays(_ text: String) async throws -> Reply {
        try await deliver(TwilioFormHelper.chatMessage(text))
    }

    /// Replays a TaskRouter fixture by name and waits for its turn.
    func taskRouter(_ fixture: String) async throws {
        let reply = try await replay(try TwilioFixtures.request(fixture))
        #expect(reply.status == 204, "\(fixture): \(reply.body)")
        try await settle()
    }
}

extension TwilioFormHelper {
    /// The SMS customer of the Conversations fixtures and their conversation.
    static let smsCustomer = "+15558675310"
    static let smsConversation = "CHc09a2e763cb996b820fe21d526d13572"
    static let conversationsService = "IS2c9e099de348dfc2f794dad70a3bf453"

    /// A Conversations `onMessageAdded` from `author` (a customer's address, or an agent's
    /// identity with `source: "SDK"`) into `conversation`.
    static func conversationMessage(_ body: String, author: String = smsCustomer, source: String = "SMS",
                                    conversation: String = smsConversation, messageSid: String = TwilioSID.random("IM")) -> TwilioForm {
        var form = TwilioForm()
        for (name, value) in [
            ("MessagingServiceSid", "MG6401a060d14731a37f94e329d20d41ad"), ("EventType", "onMessageAdded"), ("Attributes", "{}"),
            ("DateCreated", "2026-11-30T09:16:00.000Z"), ("Index", "2"), ("ChatServiceSid", conversationsService),
            ("MessageSid", messageSid), ("AccountSid", TwilioFixtures.accountSid), ("Source", source), ("RetryCount", "0"),
            ("Author", author), ("ParticipantSid", "MB4c26f3e53fb07ed609382c13b9a5b7aa"), ("Body", body),
            ("ConversationSid", conversation), ("WebhookType", "webhook"),
        ] { form.append(name, value) }
        return form
    }
}
