import Foundation
import TwilioWire

/// The form of one Conversations post-event webhook from a conversation-scoped webhook, with
/// the field set and order of `fixtures/twilio/conversations-*.http` (flex-conversations.md §Q3.3).
enum ConversationEvent {
    /// `onMessageAdded`: `Author`, `Body`, `Media` (a JSON array) for an attachment.
    static func messageAdded(_ message: ChatMessage, channel: ChatChannel, source: String, clientIdentity: String?,
                             webhook: ScopedWebhook, configuration: TwilioEmulator.Configuration) -> TwilioForm {
        var form = TwilioForm()
        if let service = channel.conversation?.messagingServiceSid { form.append("MessagingServiceSid", service) }
        form.append("EventType", "onMessageAdded")
        form.append("Attributes", message.attributes)
        form.append("DateCreated", TwilioTime.webhook(message.dateCreated))
        form.append("Index", String(message.index))
        form.append("ChatServiceSid", channel.conversation?.chatServiceSid ?? configuration.chatServiceSid)
        form.append("MessageSid", message.sid)
        form.append("AccountSid", configuration.accountSid)
        form.append("Source", source)
        if let clientIdentity { form.append("ClientIdentity", clientIdentity) }
        form.append("RetryCount", "0")
        form.append("WebhookSid", webhook.sid)
        form.append("Author", message.from)
        if let participant = message.participantSid { form.append("ParticipantSid", participant) }
        if let media = message.mediaSid {
            // Media upload is not emulated: the file is described by its SID only.
            form.append("Media", EmulatorJSON.array([["Sid": .string(media), "Filename": .string(media),
                                                      "ContentType": "application/octet-stream", "Size": 0]]).text)
        }
        form.append("Body", message.body)
        form.append("ConversationSid", channel.sid)
        form.append("WebhookType", "webhook")
        return form
    }

    /// `onConversationStateUpdated`: `StateFrom`, `StateTo`, `Reason` (`API`, `TIMER`, `EVENT`).
    static func stateUpdated(_ channel: ChatChannel, from: String, reason: String, webhook: ScopedWebhook,
                             configuration: TwilioEmulator.Configuration) -> TwilioForm {
        var form = TwilioForm()
        if let service = channel.conversation?.messagingServiceSid { form.append("MessagingServiceSid", service) }
        form.append("EventType", "onConversationStateUpdated")
        form.append("ChatServiceSid", channel.conversation?.chatServiceSid ?? configuration.chatServiceSid)
        form.append("StateUpdated", TwilioTime.webhook(channel.dateUpdated))
        form.append("StateFrom", from)
        form.append("StateTo", channel.conversation?.state ?? "closed")
        form.append("Reason", reason)
        form.append("AccountSid", configuration.accountSid)
        form.append("Source", "API")
        form.append("RetryCount", "0")
        form.append("WebhookSid", webhook.sid)
        form.append("ConversationSid", channel.sid)
        form.append("WebhookType", "webhook")
        return form
    }

    /// `onDeliveryUpdated`: a phone could not be reached (`Status=undelivered`, `ErrorCode`),
    /// with the fields of `conversations-onDeliveryUpdated-63016.http`.
    static func deliveryUpdated(_ message: ChatMessage, channel: ChatChannel, participantSid: String, status: String, errorCode: Int?,
                                at date: Date, configuration: TwilioEmulator.Configuration) -> TwilioForm {
        let suffix = String(message.sid.dropFirst(2))
        var form = TwilioForm()
        form.append("EventType", "onDeliveryUpdated")
        form.append("AccountSid", configuration.accountSid)
        form.append("ChatServiceSid", channel.conversation?.chatServiceSid ?? configuration.chatServiceSid)
        form.append("ConversationSid", channel.sid)
        form.append("MessageSid", message.sid)
        form.append("DeliveryReceiptSid", "DY" + suffix)
        form.append("ChannelMessageSid", "SM" + suffix)
        form.append("ParticipantSid", participantSid)
        form.append("Status", status)
        if let errorCode { form.append("ErrorCode", String(errorCode)) }
        form.append("DateCreated", TwilioTime.webhook(message.dateCreated))
        form.append("DateUpdated", TwilioTime.webhook(date))
        form.append("Source", "API")
        form.append("RetryCount", "0")
        return form
    }

    /// The pre-event `onMessageAdd` of an agent's message, before it is added, with the fields of
    /// `conversations-onMessageAdd-pre-agent-command.http`.
    static func messageAdd(author: String, participantSid: String?, body: String, attributes: String, channel: ChatChannel,
                           configuration: TwilioEmulator.Configuration) -> TwilioForm {
        var form = TwilioForm()
        form.append("EventType", "onMessageAdd")
        form.append("Attributes", attributes)
        form.append("ChatServiceSid", channel.conversation?.chatServiceSid ?? configuration.chatServiceSid)
        form.append("AccountSid", configuration.accountSid)
        form.append("Source", "SDK")
        form.append("ClientIdentity", author)
        form.append("RetryCount", "0")
        form.append("Author", author)
        if let participantSid { form.append("ParticipantSid", participantSid) }
        form.append("Body", body)
        form.append("ConversationSid", channel.sid)
        return form
    }
}
