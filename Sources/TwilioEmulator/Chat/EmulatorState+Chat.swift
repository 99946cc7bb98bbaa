import Foundation
import TwilioWire

/// Programmable Chat v2: messages, channel updates and the service's webhook settings (spec §b).
extension EmulatorState {
    /// A channel of the service by SID or unique name.
    func chatChannel(service: String, channel key: String) throws(TwilioRESTError) -> ChatChannel {
        try checkService(service, path: "/v2/Services/\(service)/Channels/\(key)")
        if let channel = channels[key] ?? channels.values.first(where: { $0.uniqueName == key }) { return channel }
        throw TwilioRESTError.notFound(path: "/v2/Services/\(service)/Channels/\(key)")
    }

    func checkService(_ service: String, path: String) throws(TwilioRESTError) {
        guard service == configuration.chatServiceSid else { throw TwilioRESTError.notFound(path: path) }
    }

    /// Adds a message; `onMessageSent` (or `onMediaMessageSent`) follows only when
    /// `X-Twilio-Webhook-Enabled: true` was sent, as Twilio does for REST-created messages.
    func createMessage(service: String, channel key: String, form: TwilioForm, webhookEnabled: Bool) throws(TwilioRESTError) -> ChatMessage {
        var channel = try chatChannel(service: service, channel: key)
        let attributes = try Self.jsonAttributes(form["Attributes"], name: "Attributes") ?? "{}"
        if let media = form["MediaSid"], !media.isEmpty, !TwilioSID.isValid(media, prefix: "ME") {
            throw TwilioRESTError.invalidParameter("MediaSid", "`\(media)` is not a Media SID (ME…)")
        }
        let from = form["From"].flatMap { $0.isEmpty ? nil : $0 } ?? "system"
        let message = appendMessage(to: &channel, from: from, body: form["Body"] ?? "", attributes: attributes,
                                    mediaSid: form["MediaSid"].flatMap { $0.isEmpty ? nil : $0 },
                                    lastUpdatedBy: form["LastUpdatedBy"])
        if webhookEnabled {
            enqueue(.chat, eventType: message.mediaSid == nil ? "onMessageSent" : "onMediaMessageSent", resourceSid: channel.sid,
                    channelSid: channel.sid,
                    form: ChatEvent.messageSent(message, channel: channel, source: "API", clientIdentity: from, configuration: configuration))
        }
        changed()
        return message
    }

    /// Stores a message at the channel's next index.
    func appendMessage(to channel: inout ChatChannel, from: String, body: String, attributes: String, mediaSid: String?,
                       lastUpdatedBy: String? = nil) -> ChatMessage {
        let now = Date()
        let message = ChatMessage(sid: TwilioSID.random("IM"), index: channel.nextIndex, from: from, body: body, attributes: attributes,
                                  mediaSid: mediaSid, dateCreated: now, dateUpdated: now,
                                  lastUpdatedBy: lastUpdatedBy.flatMap { $0.isEmpty ? nil : $0 })
        channel.nextIndex += 1
        channel.messages.append(message)
        channels[channel.sid] = channel
        return message
    }

    func message(service: String, channel key: String, sid: String) throws(TwilioRESTError) -> ChatMessage {
        let channel = try chatChannel(service: service, channel: key)
        guard let message = channel.messages.first(where: { $0.sid == sid }) else {
            throw TwilioRESTError.notFound(path: "/v2/Services/\(service)/Channels/\(key)/Messages/\(sid)")
        }
        return message
    }

    /// Updates a channel's names or attributes; `onChannelUpdated` follows only with
    /// `X-Twilio-Webhook-Enabled: true`.
    func updateChatChannel(service: String, channel key: String, form: TwilioForm, webhookEnabled: Bool) throws(TwilioRESTError) -> ChatChannel {
        var channel = try chatChannel(service: service, channel: key)
        if let attributes = try Self.jsonAttributes(form["Attributes"], name: "Attributes") { channel.attributes = attributes }
        if let name = form["FriendlyName"] { channel.friendlyName = name }
        if let name = form["UniqueName"] {
            if !name.isEmpty, channels.values.contains(where: { $0.uniqueName == name && $0.sid != channel.sid }) {
                throw TwilioRESTError(code: 50307, message: "Channel with provided unique name already exists", status: 409)
            }
            channel.uniqueName = name.isEmpty ? nil : name
        }
        if let createdBy = form["CreatedBy"], !createdBy.isEmpty { channel.createdBy = createdBy }
        channel.dateUpdated = Date()
        channels[channel.sid] = channel
        if webhookEnabled {
            enqueue(.chat, eventType: "onChannelUpdated", resourceSid: channel.sid, channelSid: channel.sid,
                    form: ChatEvent.channelUpdated(channel, source: "API", clientIdentity: "system", configuration: configuration))
        }
        changed()
        return channel
    }

    /// `POST /v2/Services/{IS}`: webhook URLs, method, filters and retry count.
    func updateChatService(_ service: String, form: TwilioForm) throws(TwilioRESTError) -> ChatServiceSettings {
        try checkService(service, path: "/v2/Services/\(service)")
        var settings = chatService
        if let url = form["PostWebhookUrl"] { settings.postWebhookURL = try Self.webhookURL(url, name: "PostWebhookUrl") }
        if let url = form["PreWebhookUrl"] { settings.preWebhookURL = try Self.webhookURL(url, name: "PreWebhookUrl") }
        if let method = form["WebhookMethod"] {
            guard method.uppercased() == "POST" else {
                throw TwilioRESTError.invalidParameter("WebhookMethod", "the emulator sends webhooks with POST only")
            }
            settings.webhookMethod = "POST"
        }
        let filters = form.values("WebhookFilters")
        if !filters.isEmpty { settings.webhookFilters = filters.filter { !$0.isEmpty } }
        if let count = form["PostWebhookRetryCount"] {
            guard let value = Int(count), (0...3).contains(value) else {
                throw TwilioRESTError.invalidParameter("PostWebhookRetryCount", "must be 0 to 3")
            }
            settings.postWebhookRetryCount = value
        }
        if let name = form["FriendlyName"], !name.isEmpty { settings.friendlyName = name }
        settings.dateUpdated = Date()
        chatService = settings
        logger.info("chat webhook settings changed", metadata: ["post_webhook_url": "\(settings.postWebhookURL ?? "none")"])
        changed()
        return settings
    }

    func chatServiceSettings(_ service: String) throws(TwilioRESTError) -> ChatServiceSettings {
        try checkService(service, path: "/v2/Services/\(service)")
        return chatService
    }

    /// A JSON-object attributes value, or nil when the parameter is absent.
    static func jsonAttributes(_ text: String?, name: String) throws(TwilioRESTError) -> String? {
        guard let text else { return nil }
        if text.isEmpty { return "{}" }
        guard case .object? = try? EmulatorJSON(parsing: text) else {
            throw TwilioRESTError.invalidParameter(name, "must be a JSON object")
        }
        return text
    }

    /// An http(s) URL, or nil for an empty value (which clears the setting).
    static func webhookURL(_ text: String, name: String) throws(TwilioRESTError) -> String? {
        if text.isEmpty { return nil }
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            throw TwilioRESTError.invalidParameter(name, "`\(text)` is not an http:// or https:// URL")
        }
        return text
    }
}
