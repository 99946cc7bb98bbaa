import Hummingbird
import TwilioWire

/// Programmable Chat v2 routes on the Flex chat service:
/// `POST|GET /v2/Services/{IS}` (webhook settings), `GET|POST /v2/Services/{IS}/Channels/{CH}`,
/// `POST|GET /v2/Services/{IS}/Channels/{CH}/Messages` and `GET …/Messages/{IM}`.
struct ChatRoutes {
    let state: EmulatorState
    let configuration: TwilioEmulator.Configuration
    let fallbackOrigin: String

    func register(on router: Router<BasicRequestContext>) {
        let json = ChatJSON(accountSid: configuration.accountSid, serviceSid: configuration.chatServiceSid)
        router.twilio(.get, "/v2/Services/{service}") { request, context throws(TwilioRESTError) in
            let settings = try await state.chatServiceSettings(context.parameters.get("service") ?? "")
            return RESTSupport.json(json.service(settings, origin: origin(request)))
        }
        router.twilio(.post, "/v2/Services/{service}") { request, context throws(TwilioRESTError) in
            let form = try await RESTSupport.form(of: request)
            let settings = try await state.updateChatService(context.parameters.get("service") ?? "", form: form)
            return RESTSupport.json(json.service(settings, origin: origin(request)))
        }
        router.twilio(.get, "/v2/Services/{service}/Channels/{channel}") { request, context throws(TwilioRESTError) in
            let channel = try await state.chatChannel(service: context.parameters.get("service") ?? "",
                                                      channel: context.parameters.get("channel") ?? "")
            return RESTSupport.json(json.channel(channel, origin: origin(request)))
        }
        router.twilio(.post, "/v2/Services/{service}/Channels/{channel}") { request, context throws(TwilioRESTError) in
            let form = try await RESTSupport.form(of: request)
            let channel = try await state.updateChatChannel(service: context.parameters.get("service") ?? "",
                                                            channel: context.parameters.get("channel") ?? "", form: form,
                                                            webhookEnabled: RESTSupport.webhookEnabled(request))
            return RESTSupport.json(json.channel(channel, origin: origin(request)))
        }
        router.twilio(.post, "/v2/Services/{service}/Channels/{channel}/Messages") { request, context throws(TwilioRESTError) in
            let form = try await RESTSupport.form(of: request)
            let message = try await state.createMessage(service: context.parameters.get("service") ?? "",
                                                        channel: context.parameters.get("channel") ?? "", form: form,
                                                        webhookEnabled: RESTSupport.webhookEnabled(request))
            let channel = try await state.chatChannel(service: configuration.chatServiceSid, channel: context.parameters.get("channel") ?? "")
            return RESTSupport.json(json.message(message, channelSid: channel.sid, origin: origin(request)), status: .created)
        }
        router.twilio(.get, "/v2/Services/{service}/Channels/{channel}/Messages") { request, context throws(TwilioRESTError) in
            let service = context.parameters.get("service") ?? "", key = context.parameters.get("channel") ?? ""
            let channel = try await state.chatChannel(service: service, channel: key)
            var messages = channel.messages
            if request.uri.queryParameters["Order"].map(String.init)?.lowercased() == "desc" { messages.reverse() }
            let origin = origin(request)
            let items = messages.map { json.message($0, channelSid: channel.sid, origin: origin) }
            return RESTSupport.json(RESTSupport.list(key: "messages", items: items, origin: origin,
                                                     path: "/v2/Services/\(service)/Channels/\(channel.sid)/Messages"))
        }
        router.twilio(.get, "/v2/Services/{service}/Channels/{channel}/Messages/{message}") { request, context throws(TwilioRESTError) in
            let service = context.parameters.get("service") ?? "", key = context.parameters.get("channel") ?? ""
            let message = try await state.message(service: service, channel: key, sid: context.parameters.get("message") ?? "")
            let channel = try await state.chatChannel(service: service, channel: key)
            return RESTSupport.json(json.message(message, channelSid: channel.sid, origin: origin(request)))
        }
    }

    private func origin(_ request: Request) -> String {
        RESTSupport.origin(of: request, fallback: fallbackOrigin)
    }
}

/// Chat v2 resources as JSON, in the shape of `fixtures/twilio/chat-messages-create.response.json`
/// and Twilio's Chat OpenAPI examples.
struct ChatJSON {
    let accountSid: String
    let serviceSid: String

    func message(_ message: ChatMessage, channelSid: String, origin: String) -> EmulatorJSON {
        [
            "sid": .string(message.sid),
            "account_sid": .string(accountSid),
            "service_sid": .string(serviceSid),
            "to": .string(channelSid),
            "channel_sid": .string(channelSid),
            "attributes": .string(message.attributes),
            "date_created": RESTSupport.date(message.dateCreated),
            "date_updated": RESTSupport.date(message.dateUpdated),
            "last_updated_by": RESTSupport.optional(message.lastUpdatedBy),
            "was_edited": false,
            "from": .string(message.from),
            "body": .string(message.body),
            "index": .int(message.index),
            "type": message.mediaSid == nil ? "text" : "media",
            "media": message.mediaSid.map { ["sid": .string($0), "size": 0, "content_type": "application/octet-stream",
                                             "filename": .string($0)] } ?? .null,
            "url": .string("\(origin)/v2/Services/\(serviceSid)/Channels/\(channelSid)/Messages/\(message.sid)"),
        ]
    }

    func channel(_ channel: ChatChannel, origin: String) -> EmulatorJSON {
        let url = "\(origin)/v2/Services/\(serviceSid)/Channels/\(channel.sid)"
        return [
            "sid": .string(channel.sid),
            "account_sid": .string(accountSid),
            "service_sid": .string(serviceSid),
            "friendly_name": .string(channel.friendlyName),
            "unique_name": RESTSupport.optional(channel.uniqueName),
            "attributes": .string(channel.attributes),
            "type": .string(channel.type),
            "date_created": RESTSupport.date(channel.dateCreated),
            "date_updated": RESTSupport.date(channel.dateUpdated),
            "created_by": .string(channel.createdBy),
            "members_count": 0,
            "messages_count": .int(channel.messages.count),
            "url": .string(url),
            "links": ["members": .string("\(url)/Members"), "messages": .string("\(url)/Messages"),
                      "invites": .string("\(url)/Invites"), "webhooks": .string("\(url)/Webhooks"),
                      "last_message": nil],
        ]
    }

    func service(_ settings: ChatServiceSettings, origin: String) -> EmulatorJSON {
        let url = "\(origin)/v2/Services/\(serviceSid)"
        return [
            "sid": .string(serviceSid),
            "account_sid": .string(accountSid),
            "friendly_name": .string(settings.friendlyName),
            "date_created": RESTSupport.date(settings.dateCreated),
            "date_updated": RESTSupport.date(settings.dateUpdated),
            "pre_webhook_url": RESTSupport.optional(settings.preWebhookURL),
            "post_webhook_url": RESTSupport.optional(settings.postWebhookURL),
            "webhook_method": .string(settings.webhookMethod),
            "webhook_filters": .array(settings.webhookFilters.map { .string($0) }),
            "pre_webhook_retry_count": 0,
            "post_webhook_retry_count": .int(settings.postWebhookRetryCount),
            "url": .string(url),
            "links": ["channels": .string("\(url)/Channels"), "users": .string("\(url)/Users"),
                      "roles": .string("\(url)/Roles"), "bindings": .string("\(url)/Bindings")],
        ]
    }
}
