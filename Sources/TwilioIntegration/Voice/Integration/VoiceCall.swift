import BotRuntime
import FlowDSL

/// A thread that lives in a phone call: one per call (`CA…`), with the caller's number as its
/// user. Its id is made from the call's sid (`twilio-call-CA…`): Twilio's webhooks for one
/// call land on one thread without a lookup, and call sids are 128 random bits only Twilio and
/// the bot see. The thread's scope keeps `channel: voice` and this record under `twilio_call`.
struct VoiceCall: Sendable, Equatable {
    static let scopeKey = "twilio_call"
    static let threadPrefix = "twilio-call-"
    static let channel = "voice"

    var callSid: String
    /// The integration element that answers the call.
    var integrationID: String
    /// The caller (`From`), the thread's user.
    var caller: String
    /// The number called (`To`).
    var called: String

    static func threadID(call: String) -> String { threadPrefix + call }

    init(callSid: String, integrationID: String, caller: String, called: String) {
        (self.callSid, self.integrationID, self.caller, self.called) = (callSid, integrationID, caller, called)
    }

    init?(scope: TemplateMap) {
        guard case .map(let map)? = scope[Self.scopeKey], case .string(let sid)? = map["call_sid"],
              case .string(let integration)? = map["integration"], case .string(let caller)? = map["caller"],
              case .string(let called)? = map["called"] else { return nil }
        self.init(callSid: sid, integrationID: integration, caller: caller, called: called)
    }

    var scopeValue: TemplateValue {
        .map(["call_sid": .string(callSid), "integration": .string(integrationID), "caller": .string(caller), "called": .string(called)])
    }

    /// The record a call's first event (`call_start`) describes.
    init?(event: Event) {
        guard event.type == VoiceElements.Event.callStart, case .string(let sid)? = event.data["call_sid"],
              case .string(let integration)? = event.data["integration"], case .string(let called)? = event.data["to"] else { return nil }
        self.init(callSid: sid, integrationID: integration, caller: event.userID, called: called)
    }
}
