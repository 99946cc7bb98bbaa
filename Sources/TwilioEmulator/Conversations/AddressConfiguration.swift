import Foundation

/// An Address Configuration (`IG…`, Conversations v1 `/v1/Configuration/Addresses`): which
/// phone number or WhatsApp sender routes its inbound messages into Conversations, and how a new
/// conversation is made for a customer who writes to it.
struct AddressConfiguration: Sendable {
    var sid: String
    /// `sms`, `whatsapp`, `messenger`, `gbm`, `email`, `rcs`, `apple` or `chat`.
    var type: String
    /// The business's address: `+15550001234`, `whatsapp:+15550001234`.
    var address: String
    var friendlyName: String?
    var addressCountry: String?
    var autoCreation: AutoCreation
    var dateCreated: Date
    var dateUpdated: Date

    /// `AutoCreation.*`: whether, and how, a customer's first message makes a conversation.
    struct AutoCreation: Sendable {
        var enabled = false
        /// `webhook`, `studio` or `default`.
        var type = "default"
        var conversationServiceSid: String?
        var webhookURL: String?
        var webhookMethod = "POST"
        var webhookFilters: [String] = []
        var studioFlowSid: String?
        var studioRetryCount: Int?
    }

    /// The address types Twilio accepts (`configuration_address_enum_type`).
    static let types = ["sms", "whatsapp", "messenger", "gbm", "email", "rcs", "apple", "chat"]
    static let autoCreationTypes = ["webhook", "studio", "default"]

    /// The `Source` of a message that arrives on an address of `type`, as Twilio writes it in
    /// `onMessageAdded` (`SMS`; `WHATSAPP` as the shared fixture has it, unconfirmed).
    static func source(ofType type: String) -> String {
        type.uppercased()
    }
}

/// The Conversations service's own webhooks (`/v1/Services/{IS}/Configuration/Webhooks`, and the
/// account's `/v1/Configuration/Webhooks` for the default service): a pre-event URL Twilio asks
/// before an action (a non-2xx answer blocks it) and a post-event URL told after it, for the
/// events in `filters` (none fire when it is empty). The emulator asks the pre-event URL before
/// an agent's message (`onMessageAdd`); it keeps and shows the post-event URL but sends
/// post-events to conversation-scoped webhooks only.
struct ConversationsServiceWebhooks: Sendable {
    var preWebhookURL: String?
    var postWebhookURL: String?
    var method = "POST"
    var filters: [String] = []
    /// The account-level resource's `target` (`webhook` or `flex`).
    var target = "webhook"

    func wants(_ eventType: String) -> Bool {
        filters.contains(eventType)
    }
}
