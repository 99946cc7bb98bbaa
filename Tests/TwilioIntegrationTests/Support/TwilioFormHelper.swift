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
