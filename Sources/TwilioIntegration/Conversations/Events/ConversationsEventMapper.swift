import BotRuntime
import Foundation
import FlowDSL
import TwilioWire

/// Turns one verified Conversations webhook (flex-conversations.md §Q3.3) into the event it
/// means for the conversation's thread, or says why it means none:
///
/// - `onMessageAdded` from the customer: their message (`meya.text.event.say`, or
///   `meya.media.event` with links to the media), keyed by `MessageSid`. A number that picks
///   one of the choices the bot last offered (`2` for `2. Other`) is that choice: a click when
///   the choice has a button id, else its text. The bot's own messages, REST-posted ones
///   (`Source=API`) and other participants' (an agent's) are not the customer's.
/// - `onConversationStateUpdated` to `closed`: `meya.session.event.chat.close` from the customer.
/// - `onDeliveryUpdated` with `failed` or `undelivered`: `…conversations.event.delivery_failed`
///   with Twilio's error code (63016: outside WhatsApp's 24-hour window).
enum ConversationsEventMapper {
    /// The webhook event types that can mean something; others are answered 204 at once.
    static let handledTypes: Set<String> = ["onMessageAdded", "onConversationStateUpdated", "onDeliveryUpdated"]

    enum Outcome: Equatable {
        case event(Event)
        case ignored(String)
    }

    /// What a delivery means for the conversation's thread (`thread`, nil while it has none);
    /// `offered` are the choices the bot last offered there, unanswered.
    static func map(_ form: TwilioForm, settings: ConversationsSettings, thread: ThreadRecord?, offered: [Choice]) -> Outcome {
        func field(_ name: String) -> String? { form[name].flatMap { $0.isEmpty ? nil : $0 } }
        guard let conversation = field("ConversationSid") else { return .ignored("no ConversationSid") }
        let threadID = ConversationsThread.threadID(conversation: conversation)
        let record = thread.flatMap { ConversationsThread(scope: $0.scope) }
        switch form["EventType"] ?? "" {
        case "onMessageAdded":
            guard let author = field("Author"), let message = field("MessageSid") else { return .ignored("a message without author or sid") }
            if author == settings.botAuthor { return .ignored("the bot's own message") }
            if field("Source")?.uppercased() == "API" { return .ignored("a message posted through the REST API, not a customer's") }
            if let record, author != record.customer { return .ignored("another participant's message (an agent's)") }
            let channel = record?.channel ?? ConversationsThread.channel(author: author, source: field("Source"))
            var data: TemplateMap = [
                ConversationsThread.eventKeys.conversation: .string(conversation),
                ConversationsThread.eventKeys.integration: .string(settings.integrationID),
                ConversationsThread.eventKeys.channel: .string(channel),
                "message_sid": .string(message),
            ]
            let body = form["Body"] ?? ""
            var type = EventTypes.say
            let media = mediaLinks(form, settings: settings)
            if let first = media.first, case .map(let item) = first {
                type = EventTypes.media
                data.merge(item) { _, new in new }
                data["media"] = .list(media)
                if !body.isEmpty { data["text"] = .string(body) }
            } else if let choice = OfferedChoices.numbered(body, among: offered) {
                data["typed"] = .string(body)
                data["text"] = .string(choice.text)
                if let id = choice.buttonID {
                    type = EventTypes.click
                    data["button_id"] = .string(id)
                }
            } else {
                guard !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return .ignored("an empty message") }
                data["text"] = .string(body)
            }
            return .event(Event(type: type, threadID: threadID, sender: .user, userID: author, data: data,
                                idempotencyKey: "twilio-conversations:message:\(message)"))
        case "onConversationStateUpdated":
            guard form["StateTo"] == "closed" else { return .ignored("the conversation is not closed") }
            guard let thread, !thread.userID.isEmpty else { return .ignored("a conversation the bot never spoke in") }
            return .event(Event(type: EventTypes.chatClose, threadID: threadID, sender: .user, userID: thread.userID,
                                data: ["conversation_sid": .string(conversation), "reason": .string(form["Reason"] ?? "")],
                                idempotencyKey: "twilio-conversations:closed:\(conversation)"))
        case "onDeliveryUpdated":
            let status = form["Status"] ?? ""
            guard ["failed", "undelivered"].contains(status) else { return .ignored("delivery status \(status)") }
            guard thread != nil else { return .ignored("a conversation the bot never spoke in") }
            let receipt = field("DeliveryReceiptSid") ?? field("MessageSid") ?? ""
            var data: TemplateMap = ["status": .string(status), "conversation_sid": .string(conversation),
                                     "message_sid": .string(form["MessageSid"] ?? ""),
                                     "channel_message_sid": .string(form["ChannelMessageSid"] ?? "")]
            data["error_code"] = Int(form["ErrorCode"] ?? "").map { TemplateValue.int($0) } ?? TemplateValue.none
            return .event(Event(type: ConversationsElements.Event.deliveryFailed, threadID: threadID, sender: .system, userID: "twilio",
                                data: data, idempotencyKey: "twilio-conversations:receipt:\(receipt):\(status)"))
        default:
            return .ignored("not an event the bot takes")
        }
    }

    /// The message's media (`ConversationsAPI.media`), each with its `url` at Twilio's Media
    /// Content Service.
    static func mediaLinks(_ form: TwilioForm, settings: ConversationsSettings) -> [TemplateValue] {
        guard let service = form["ChatServiceSid"], !service.isEmpty else { return [] }
        return ConversationsAPI.media(form).map { media in
            var media = media
            if case .string(let sid)? = media["sid"] { media["url"] = .string(settings.mediaURL(service: service, media: sid)) }
            return .map(media)
        }
    }
}
