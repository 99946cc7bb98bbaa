import Foundation
import TwilioWire

/// Conversations v1 (flex-conversations.md §Q3, twilio-oai `twilio_conversations_v1.json`):
/// conversations, participants, messages and conversation-scoped webhooks, in the account's
/// default service (the Flex chat service) or under `/v1/Services/{IS}`.
///
/// As Twilio does, a message or state change made over REST calls the webhooks only with
/// `X-Twilio-Webhook-Enabled: true`; what an agent does in Flex (the console) always does.
extension EmulatorState {
    /// A conversation by SID or unique name, in `service` (nil: the default service).
    func conversation(_ key: String, service: String?) throws(TwilioRESTError) -> ChatChannel {
        let path = Self.conversationsPath(service) + "/\(key)"
        if let service { try checkService(service, path: path) }
        if let channel = channels[key] ?? channels.values.first(where: { $0.uniqueName == key && $0.conversation != nil }),
           channel.conversation != nil {
            return channel
        }
        throw TwilioRESTError.notFound(path: path)
    }

    var conversations: [ChatChannel] {
        channelOrder.compactMap { channels[$0] }.filter { $0.conversation != nil }
    }

    /// `POST /v1/Conversations`: `FriendlyName`, `UniqueName` (unique: 50353), `Attributes`, `State`.
    func createConversation(_ form: TwilioForm, service: String?) throws(TwilioRESTError) -> ChatChannel {
        if let service { try checkService(service, path: Self.conversationsPath(service)) }
        let uniqueName = form["UniqueName"].flatMap { $0.isEmpty ? nil : $0 }
        if let uniqueName, channels.values.contains(where: { $0.uniqueName == uniqueName && $0.conversation != nil }) {
            throw TwilioRESTError(code: 50353, message: "Conversation with provided unique name already exists", status: 409)
        }
        let attributes = try Self.jsonAttributes(form["Attributes"], name: "Attributes") ?? "{}"
        var details = ConversationDetails(chatServiceSid: configuration.chatServiceSid)
        if let state = form["State"], !state.isEmpty { details.state = try Self.conversationState(state) }
        let now = Date(), sid = TwilioSID.random("CH")
        let channel = ChatChannel(sid: sid, friendlyName: form["FriendlyName"] ?? "", uniqueName: uniqueName, attributes: attributes,
                                  createdBy: "system", flexFlowSid: "", userSid: "", userIdentity: "", taskSid: nil,
                                  dateCreated: now, dateUpdated: now, conversation: details)
        channels[sid] = channel
        channelOrder.append(sid)
        changed()
        return channel
    }

    /// `POST /v1/Conversations/{CH}`: `State` (a change calls `onConversationStateUpdated`
    /// with `X-Twilio-Webhook-Enabled: true`), `FriendlyName`, `UniqueName`, `Attributes`.
    func updateConversation(_ key: String, form: TwilioForm, service: String?, webhookEnabled: Bool) throws(TwilioRESTError) -> ChatChannel {
        var channel = try conversation(key, service: service)
        if let attributes = try Self.jsonAttributes(form["Attributes"], name: "Attributes") { channel.attributes = attributes }
        if let name = form["FriendlyName"] { channel.friendlyName = name }
        if let name = form["UniqueName"] {
            if !name.isEmpty, channels.values.contains(where: { $0.uniqueName == name && $0.sid != channel.sid && $0.conversation != nil }) {
                throw TwilioRESTError(code: 50353, message: "Conversation with provided unique name already exists", status: 409)
            }
            channel.uniqueName = name.isEmpty ? nil : name
        }
        channel.dateUpdated = Date()
        channels[channel.sid] = channel
        if let state = form["State"], !state.isEmpty {
            setConversationState(channel.sid, to: try Self.conversationState(state), reason: "API", announce: webhookEnabled)
        }
        changed()
        return channels[channel.sid] ?? channel
    }

    /// Moves a conversation to `state`; with `announce`, its webhooks hear `onConversationStateUpdated`.
    func setConversationState(_ sid: String, to state: String, reason: String, announce: Bool) {
        guard var channel = channels[sid], var details = channel.conversation, details.state != state else { return }
        let from = details.state
        details.state = state
        channel.conversation = details
        channel.dateUpdated = Date()
        channels[sid] = channel
        if announce {
            announceConversation("onConversationStateUpdated", channel) { webhook in
                ConversationEvent.stateUpdated(channel, from: from, reason: reason, webhook: webhook, configuration: configuration)
            }
        }
    }

    /// `POST …/Participants`: a chat identity (`Identity`) or a messaging binding
    /// (`MessagingBinding.Address`); an identity already there is 50433.
    func addParticipant(_ key: String, form: TwilioForm, service: String?) throws(TwilioRESTError) -> ConversationParticipant {
        var channel = try conversation(key, service: service)
        let identity = form["Identity"].flatMap { $0.isEmpty ? nil : $0 }
        let address = form["MessagingBinding.Address"].flatMap { $0.isEmpty ? nil : $0 }
        guard identity != nil || address != nil else {
            throw TwilioRESTError.invalidParameter("Identity", "a participant needs an Identity or a MessagingBinding.Address")
        }
        if channel.conversation?.participants.contains(where: { ($0.identity != nil && $0.identity == identity)
            || ($0.bindingAddress != nil && $0.bindingAddress == address) }) == true {
            throw TwilioRESTError(code: 50433, message: "Participant already exists", status: 409)
        }
        let now = Date()
        let participant = ConversationParticipant(
            sid: TwilioSID.random("MB"), identity: identity, attributes: try Self.jsonAttributes(form["Attributes"], name: "Attributes") ?? "{}",
            bindingAddress: address, bindingProxyAddress: form["MessagingBinding.ProxyAddress"], roleSid: form["RoleSid"],
            dateCreated: now, dateUpdated: now)
        channel.conversation?.participants.append(participant)
        // The first customer named here is who the agent console calls the customer.
        if channel.userIdentity.isEmpty, let customer = identity ?? address { channel.userIdentity = customer }
        channels[channel.sid] = channel
        changed()
        return participant
    }

    /// `POST …/Messages`: `Author` (default `system`), `Body`, `Attributes`, `MediaSid`;
    /// `onMessageAdded` follows only with `X-Twilio-Webhook-Enabled: true`.
    func addConversationMessage(_ key: String, form: TwilioForm, service: String?,
                                webhookEnabled: Bool) throws(TwilioRESTError) -> ChatMessage {
        var channel = try conversation(key, service: service)
        let attributes = try Self.jsonAttributes(form["Attributes"], name: "Attributes") ?? "{}"
        let media = form["MediaSid"].flatMap { $0.isEmpty ? nil : $0 }
        if let media, !TwilioSID.isValid(media, prefix: "ME") {
            throw TwilioRESTError.invalidParameter("MediaSid", "`\(media)` is not a Media SID (ME…)")
        }
        var content: Content?
        if let sid = form["ContentSid"], !sid.isEmpty {
            guard TwilioSID.isValid(sid, prefix: "HX") else { throw TwilioRESTError.invalidParameter("ContentSid", "`\(sid)` is not a Content SID (HX…)") }
            let variables = form["ContentVariables"].flatMap { $0.isEmpty ? nil : $0 }
            if let variables, (try? EmulatorJSON(parsing: variables))?.members == nil {
                throw TwilioRESTError.invalidParameter("ContentVariables", "`\(variables)` is not a JSON object")
            }
            content = Content(sid: sid, variables: variables)
        }
        // With a Content template, Twilio ignores `Body` and `MediaSid`.
        let body = content == nil ? form["Body"] ?? "" : ""
        guard !body.isEmpty || media != nil || content != nil else { throw TwilioRESTError.missingParameter("Body") }
        let author = form["Author"].flatMap { $0.isEmpty ? nil : $0 } ?? "system"
        let message = appendConversationMessage(to: &channel, author: author, body: body, attributes: attributes,
                                                mediaSid: content == nil ? media : nil, content: content)
        if webhookEnabled { announceMessage(message, in: channel, source: "API", clientIdentity: nil) }
        changed()
        return message
    }

    /// A Content template: its SID (`HX…`) and variables (JSON object text).
    struct Content: Sendable {
        var sid: String
        var variables: String?
    }

    /// Stores a message, naming its author's participant when the author is one, and hands it
    /// to the conversation's phones (`deliverToPhones`).
    func appendConversationMessage(to channel: inout ChatChannel, author: String, body: String, attributes: String,
                                   mediaSid: String?, content: Content? = nil) -> ChatMessage {
        var message = appendMessage(to: &channel, from: author, body: body, attributes: attributes, mediaSid: mediaSid)
        message.participantSid = channel.conversation?.participants.first { $0.identity == author || $0.bindingAddress == author }?.sid
        message.contentSid = content?.sid
        message.contentVariables = content?.variables
        if let index = channel.messages.lastIndex(where: { $0.sid == message.sid }) { channel.messages[index] = message }
        channels[channel.sid] = channel
        deliverToPhones(message, in: channel)
        return message
    }

    /// `onMessageAdded` to the conversation's webhooks.
    func announceMessage(_ message: ChatMessage, in channel: ChatChannel, source: String, clientIdentity: String?) {
        announceConversation("onMessageAdded", channel) { webhook in
            ConversationEvent.messageAdded(message, channel: channel, source: source, clientIdentity: clientIdentity, webhook: webhook,
                                           configuration: configuration)
        }
    }

    /// `POST …/Webhooks`: `Target=webhook` with `Configuration.Url`, `.Method`, `.Filters`
    /// (repeated); at most five per conversation.
    func addScopedWebhook(_ key: String, form: TwilioForm, service: String?) throws(TwilioRESTError) -> ScopedWebhook {
        var channel = try conversation(key, service: service)
        let target = try Self.required("Target", in: form)
        guard target == "webhook" else {
            throw TwilioRESTError.invalidParameter("Target", "the emulator delivers `webhook` targets only, not `\(target)`")
        }
        guard let url = try Self.webhookURL(try Self.required("Configuration.Url", in: form), name: "Configuration.Url") else {
            throw TwilioRESTError.missingParameter("Configuration.Url")
        }
        let method = (form["Configuration.Method"] ?? "post").lowercased()
        guard method == "post" else { throw TwilioRESTError.invalidParameter("Configuration.Method", "the emulator sends webhooks with POST only") }
        guard (channel.conversation?.webhooks.count ?? 0) < 5 else {
            throw TwilioRESTError(code: 50359, message: "A conversation can have at most 5 scoped webhooks", status: 400)
        }
        let webhook = ScopedWebhook(sid: TwilioSID.random("WH"), url: url, method: method,
                                    filters: form.values("Configuration.Filters").filter { !$0.isEmpty }, dateCreated: Date())
        channel.conversation?.webhooks.append(webhook)
        channels[channel.sid] = channel
        changed()
        return webhook
    }

    func deleteScopedWebhook(_ key: String, sid: String, service: String?) throws(TwilioRESTError) {
        var channel = try conversation(key, service: service)
        guard let index = channel.conversation?.webhooks.firstIndex(where: { $0.sid == sid }) else {
            throw TwilioRESTError.notFound(path: Self.conversationsPath(service) + "/\(key)/Webhooks/\(sid)")
        }
        channel.conversation?.webhooks.remove(at: index)
        channels[channel.sid] = channel
        changed()
    }

    /// Queues `eventType` for each of the conversation's webhooks that wants it, in the chat's
    /// delivery order, each form made by `form` for that webhook (`WebhookSid`).
    func announceConversation(_ eventType: String, _ channel: ChatChannel, form: (ScopedWebhook) -> TwilioForm) {
        for webhook in channel.conversation?.webhooks ?? [] where webhook.wants(eventType) {
            enqueue(.conversations, eventType: eventType, resourceSid: channel.sid, channelSid: channel.sid, form: form(webhook),
                    url: webhook.url)
        }
    }

    static func conversationsPath(_ service: String?) -> String {
        service.map { "/v1/Services/\($0)/Conversations" } ?? "/v1/Conversations"
    }

    private static func conversationState(_ text: String) throws(TwilioRESTError) -> String {
        let state = text.lowercased()
        guard ["active", "inactive", "closed"].contains(state) else {
            throw TwilioRESTError.invalidParameter("State", "`\(text)` is not one of active, inactive, closed")
        }
        return state
    }
}
