import Foundation
import Hummingbird

/// Conversations v1 resources as Twilio writes them (twilio-oai `conversations.v1.conversation`
/// and its participant, message and scoped webhook), with `url` and `links` on the origin the
/// client called.
struct ConversationJSON: Sendable {
    let accountSid: String
    let fallbackOrigin: String

    func conversation(_ channel: ChatChannel, request: Request, service: String?) -> EmulatorJSON {
        let url = self.url(channel, request: request, service: service)
        return [
            "account_sid": .string(accountSid),
            "chat_service_sid": .string(channel.conversation?.chatServiceSid ?? ""),
            "messaging_service_sid": nil,
            "sid": .string(channel.sid),
            "friendly_name": .string(channel.friendlyName),
            "unique_name": RESTSupport.optional(channel.uniqueName),
            "attributes": .string(channel.attributes),
            "state": .string(channel.conversation?.state ?? "active"),
            "date_created": RESTSupport.date(channel.dateCreated),
            "date_updated": RESTSupport.date(channel.dateUpdated),
            "timers": [:],
            "url": .string(url),
            "links": ["participants": .string(url + "/Participants"), "messages": .string(url + "/Messages"),
                      "webhooks": .string(url + "/Webhooks")],
            "bindings": nil,
        ]
    }

    func participant(_ participant: ConversationParticipant, in channel: ChatChannel, request: Request) -> EmulatorJSON {
        var binding: EmulatorJSON = nil
        if let address = participant.bindingAddress {
            binding = ["type": .string(address.hasPrefix("whatsapp:") ? "whatsapp" : "sms"), "address": .string(address),
                       "proxy_address": RESTSupport.optional(participant.bindingProxyAddress)]
        }
        return [
            "account_sid": .string(accountSid),
            "conversation_sid": .string(channel.sid),
            "sid": .string(participant.sid),
            "identity": RESTSupport.optional(participant.identity),
            "attributes": .string(participant.attributes),
            "messaging_binding": binding,
            "role_sid": RESTSupport.optional(participant.roleSid),
            "date_created": RESTSupport.date(participant.dateCreated),
            "date_updated": RESTSupport.date(participant.dateUpdated),
            "url": .string(url(channel, request: request, service: nil) + "/Participants/\(participant.sid)"),
            "last_read_message_index": nil,
            "last_read_timestamp": nil,
        ]
    }

    func message(_ message: ChatMessage, in channel: ChatChannel, request: Request) -> EmulatorJSON {
        let url = url(channel, request: request, service: nil) + "/Messages/\(message.sid)"
        let media: EmulatorJSON = message.mediaSid.map {
            [["sid": .string($0), "size": 0, "content_type": "application/octet-stream", "filename": .string($0)]]
        } ?? nil
        return [
            "account_sid": .string(accountSid),
            "conversation_sid": .string(channel.sid),
            "sid": .string(message.sid),
            "index": .int(message.index),
            "author": .string(message.from),
            "body": message.body.isEmpty && message.mediaSid != nil ? nil : .string(message.body),
            "media": media,
            "attributes": .string(message.attributes),
            "participant_sid": RESTSupport.optional(message.participantSid),
            "date_created": RESTSupport.date(message.dateCreated),
            "date_updated": RESTSupport.date(message.dateUpdated),
            "url": .string(url),
            "delivery": nil,
            "links": ["delivery_receipts": .string(url + "/Receipts"), "channel_metadata": .string(url + "/ChannelMetadata")],
            "content_sid": RESTSupport.optional(message.contentSid),
        ]
    }

    func webhook(_ webhook: ScopedWebhook, in channel: ChatChannel, request: Request) -> EmulatorJSON {
        [
            "account_sid": .string(accountSid),
            "conversation_sid": .string(channel.sid),
            "sid": .string(webhook.sid),
            "target": "webhook",
            "url": .string(url(channel, request: request, service: nil) + "/Webhooks/\(webhook.sid)"),
            "configuration": ["url": .string(webhook.url), "method": .string(webhook.method.uppercased()),
                              "filters": .array(webhook.filters.map { .string($0) })],
            "date_created": RESTSupport.date(webhook.dateCreated),
            "date_updated": RESTSupport.date(webhook.dateCreated),
        ]
    }

    /// A list page of everything, on the path requested.
    func list(_ key: String, _ items: [EmulatorJSON], request: Request) -> EmulatorJSON {
        RESTSupport.list(key: key, items: items, origin: RESTSupport.origin(of: request, fallback: fallbackOrigin), path: request.uri.path)
    }

    private func url(_ channel: ChatChannel, request: Request, service: String?) -> String {
        RESTSupport.origin(of: request, fallback: fallbackOrigin) + EmulatorState.conversationsPath(service) + "/\(channel.sid)"
    }
}
