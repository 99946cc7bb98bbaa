import Foundation

/// What a Twilio Conversation has besides a chat's messages (Conversations v1): its state, its
/// participants, its scoped webhooks, and the Flex interaction that routes it to an agent.
struct ConversationDetails: Sendable {
    /// `active`, `inactive` or `closed`.
    var state = "active"
    var chatServiceSid: String
    var participants: [ConversationParticipant] = []
    var webhooks: [ScopedWebhook] = []
    /// The interaction (`KD…`) made for it by `POST /v1/Interactions`, and its channel (`UO…`).
    var interaction: InteractionRecord?
    /// The Messaging Service of a conversation an Address Configuration made (`MG…`).
    var messagingServiceSid: String?
    /// When a customer last wrote from their phone, on the emulator's clock (WhatsApp's 24-hour window).
    var lastCustomerMessage: Date?
}

/// A participant of a conversation: a chat identity (the customer, an agent) or a messaging
/// binding (an SMS or WhatsApp address).
struct ConversationParticipant: Sendable {
    var sid: String
    var identity: String?
    /// JSON object text.
    var attributes: String
    var bindingAddress: String?
    var bindingProxyAddress: String?
    var roleSid: String?
    var dateCreated: Date
    var dateUpdated: Date
}

/// A conversation-scoped webhook (`Target=webhook`): where its events go, and which.
struct ScopedWebhook: Sendable {
    var sid: String
    var url: String
    var method: String
    /// Event types sent; every post-event when empty.
    var filters: [String]
    var dateCreated: Date

    func wants(_ eventType: String) -> Bool {
        filters.isEmpty || filters.contains(eventType)
    }
}

/// A Flex interaction and its one channel.
struct InteractionRecord: Sendable {
    var sid: String
    var channelSid: String
    /// The media type the interaction was made with (`web`, `sms`, `whatsapp` …).
    var channelType: String
    /// `setup`, `active`, `closed`, `inactive` …
    var channelStatus: String
    /// The `Routing` JSON text it was made with.
    var routing: String
    var taskSid: String
    var dateCreated: Date
    /// The customer, then each agent who accepted.
    var participants: [InteractionParticipant] = []
}

/// A participant of an interaction's channel (`UT…`): the customer, or an agent with the task
/// and reservation that brought them.
struct InteractionParticipant: Sendable {
    var sid: String
    /// `customer` or `agent`.
    var type: String
    var workerSid: String?
    var reservationSid: String?
    /// `joined`, then `wrapup` or `closed`.
    var status = "joined"
}
