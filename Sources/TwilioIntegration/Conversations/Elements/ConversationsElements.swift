import FlowDSL

/// The Twilio Conversations channel's element types: the integration element that answers
/// customers on SMS, WhatsApp and chat through Twilio Conversations, and the events it gives
/// flows.
public enum ConversationsElements {
    public static let integrationType = "parley.twilio.conversations.integration"

    /// Event types the integration files on its threads.
    public enum Event {
        /// A message to the customer was not delivered (`onDeliveryUpdated` with `failed` or
        /// `undelivered`), e.g. 63016 outside WhatsApp's 24-hour window.
        public static let deliveryFailed = "parley.twilio.conversations.event.delivery_failed"
    }

    /// Adds the integration element and its event types to `registry`.
    public static func register(in registry: inout ElementRegistry) {
        registry.register(ElementSpec(integrationType, kind: .integration, fields: [
            FieldSpec("account_sid", .string, required: true),
            FieldSpec("api_key_sid", .string), FieldSpec("api_key_secret", .string),
            FieldSpec("auth_token", .string, "also used to verify webhook signatures"),
            FieldSpec("conversations_service_sid", .string, "the Conversations service (IS…); default: the account's default service"),
            FieldSpec("bot_author", .string, "the `Author` of the bot's messages (default: the bot's name)"),
            FieldSpec("reply_timeout", .duration, "how long a waiting step waits for the customer before "
                      + "`parley.session.event.timeout` (default 48h, as Twilio's virtual-agent widget)"),
            FieldSpec("api_base_url", .string, "Twilio's API by default; the local Twilio emulator's URL in development"),
        ], summary: "Twilio Conversations: answer customers on SMS, WhatsApp and chat."))
        registry.register(event: EventTypeSpec(Event.deliveryFailed, dataFields: [
            FieldSpec("error_code", .integer), FieldSpec("status", .string), FieldSpec("message_sid", .string),
            FieldSpec("conversation_sid", .string), FieldSpec("channel_message_sid", .string),
        ], summary: "Twilio could not deliver a message to the customer (63016: outside WhatsApp's 24-hour window)"))
    }
}
