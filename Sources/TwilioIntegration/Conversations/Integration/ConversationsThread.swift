import BotRuntime
import FlowDSL

/// A thread that lives in a Twilio conversation: one per conversation (`CH…`), with the
/// customer who writes in it as its user (their address, `+15558675310` or
/// `whatsapp:+15558675310`, or their chat identity).
///
/// Its id is made from the conversation's sid (`twilio-conversation-CH…`), so that deliveries
/// racing for a new conversation land on one thread without a lookup. Conversation sids are
/// 128 random bits that only Twilio and the conversation's parties see: no one can take the id
/// first from another channel, and a thread belongs to its first user anyway.
///
/// The thread's scope keeps `channel` (`sms`, `whatsapp`, `chat` …, for flows:
/// `thread.channel`), `reply_timeout` (the integration's, while no flow changed it) and the
/// integration's own record under `twilio_conversation`.
struct ConversationsThread: Sendable, Equatable {
    static let scopeKey = "twilio_conversation"
    static let threadPrefix = "twilio-conversation-"

    var conversationSid: String
    /// The integration element that serves the conversation.
    var integrationID: String
    /// The customer's address or identity (the thread's user).
    var customer: String
    var channel: String

    /// The thread of a conversation.
    static func threadID(conversation: String) -> String { threadPrefix + conversation }

    /// The channel a customer's `Author` (and the webhook's `Source`) says they write on.
    static func channel(author: String, source: String?) -> String {
        if let colon = author.firstIndex(of: ":") {
            let scheme = author[..<colon].lowercased()
            if !scheme.isEmpty, scheme.allSatisfy(\.isLetter) { return scheme }  // whatsapp:, messenger:, rcs: …
        }
        if author.hasPrefix("+"), author.dropFirst().allSatisfy(\.isNumber), author.count > 2 { return "sms" }
        switch source?.uppercased() {
        case "SMS": return "sms"
        case "WHATSAPP": return "whatsapp"
        default: return "chat"
        }
    }

    init(conversationSid: String, integrationID: String, customer: String, channel: String) {
        (self.conversationSid, self.integrationID, self.customer, self.channel) = (conversationSid, integrationID, customer, channel)
    }

    init?(scope: TemplateMap) {
        guard case .map(let map)? = scope[Self.scopeKey], case .string(let sid)? = map["conversation_sid"],
              case .string(let integration)? = map["integration"], case .string(let customer)? = map["customer"],
              case .string(let channel)? = map["channel"] else { return nil }
        self.init(conversationSid: sid, integrationID: integration, customer: customer, channel: channel)
    }

    var scopeValue: TemplateValue {
        .map(["conversation_sid": .string(conversationSid), "integration": .string(integrationID), "customer": .string(customer),
              "channel": .string(channel)])
    }

    /// The keys a customer's event carries for `prepare` to make the thread this record.
    static let eventKeys = (conversation: "conversation_sid", integration: "integration", channel: "channel")

    /// The record a customer's event (from `ConversationsEventMapper`) describes.
    init?(event: Event) {
        guard event.sender == .user, case .string(let sid)? = event.data[Self.eventKeys.conversation],
              case .string(let integration)? = event.data[Self.eventKeys.integration],
              case .string(let channel)? = event.data[Self.eventKeys.channel] else { return nil }
        self.init(conversationSid: sid, integrationID: integration, customer: event.userID, channel: channel)
    }
}
