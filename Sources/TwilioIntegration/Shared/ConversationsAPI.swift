import FlowDSL
import TwilioWire

/// Twilio Conversations' REST resources as Parley's Twilio products call them: the Flex
/// handoff's conversation (`ConversationsHandoff`) and the messaging channel's replies
/// (`ConversationsIntegration`) (flex-conversations.md §Q5.2). Conversations live in a
/// service when the integration names one (`/v1/Services/{IS}/Conversations`), else in the
/// account's default service (`/v1/Conversations`).
struct ConversationsAPI: Sendable {
    let rest: TwilioRESTClient
    /// `https://conversations.twilio.com`, or the account's `api_base_url`.
    let baseURL: String
    /// The Conversations service (`IS…`); nil: the account's default.
    let serviceSid: String?
    let credentials: TwilioBasicAuth

    /// `…/Conversations`.
    var conversationsURL: String {
        baseURL + (serviceSid.map { "/v1/Services/\(TwilioRESTClient.pathSegment($0))/Conversations" } ?? "/v1/Conversations")
    }

    /// `…/Conversations/{CH}`.
    func conversationURL(_ conversation: String) -> String {
        conversationsURL + "/" + TwilioRESTClient.pathSegment(conversation)
    }

    /// The media of a Conversations webhook's message (`Media`: a JSON list of `{Sid,
    /// Filename, ContentType, Size}`, or Event Streams' `MediaSid`), as
    /// `{sid, content_type, filename, size}` maps; empty when it has none.
    static func media(_ form: TwilioForm) -> [TemplateMap] {
        guard let text = form["Media"], case .list(let items)? = try? TemplateValue(jsonText: text) else { return [] }
        return items.compactMap { item in
            guard case .map(let media) = item, case .string(let sid)? = media["Sid"] ?? media["MediaSid"] ?? media["sid"] else { return nil }
            var info: TemplateMap = ["sid": .string(sid)]
            if let type = media["ContentType"] ?? media["content_type"] { info["content_type"] = type }
            if let file = media["Filename"] ?? media["filename"] { info["filename"] = file }
            if let size = media["Size"] ?? media["size"] { info["size"] = size }
            return info
        }
    }

    /// One message to post.
    struct Message: Sendable, Equatable {
        /// Who it is from (`Author`): a participant's identity, or the bot's name.
        var author: String
        var body: String
        /// JSON that marks it (`Attributes`).
        var attributes: String?
        /// A Content template (`HX…`), which Twilio sends instead of the body (WhatsApp outside
        /// its 24-hour window), with its variables as JSON.
        var contentSid: String?
        var contentVariables: String?
    }

    /// The message attribute holding a post's key (`post`).
    static let keyAttribute = "parley_key"
    /// How many of a conversation's latest messages are searched for a post's key (Twilio's
    /// largest page): more than a handoff's opening (its summary and a transcript of 25 lines
    /// by default) and the messages of the outbox's retries.
    static let keySearchDepth = 100

    /// `POST …/Conversations/{CH}/Messages`, without `X-Twilio-Webhook-Enabled`, so the message
    /// does not come back to the bot as `onMessageAdded`. Answers Twilio's message resource.
    ///
    /// Posted once however often it is tried: the message carries `key` (unique in the
    /// conversation: the outbox item it delivers) in its attributes, and before a retry whose
    /// try may have taken effect — and first, with `checkFirst`, when an earlier delivery may
    /// have posted it — the conversation's latest messages are searched for it; a message found
    /// is the answer. A customer does not get the same SMS twice because an answer was lost.
    func post(_ message: Message, to conversation: String, key: String, checkFirst: Bool) async throws(TwilioCallError) -> TemplateMap {
        if checkFirst, let posted = await posted(key, in: conversation) { return posted }
        var attributes = TwilioJSON.object(message.attributes)
        attributes[Self.keyAttribute] = .string(key)
        var form = TwilioForm()
        form.append("Author", message.author)
        if let content = message.contentSid {
            form.append("ContentSid", content)
            if let variables = message.contentVariables { form.append("ContentVariables", variables) }
        } else {
            form.append("Body", message.body)
        }
        form.append("Attributes", TemplateValue.map(attributes).jsonText)
        return try await rest.send("send_message", .POST, conversationURL(conversation) + "/Messages", form: form, credentials: credentials,
                                   done: { await self.posted(key, in: conversation) })
    }

    /// The message of the conversation posted with `key`, among its latest; nil when there is
    /// none, or when they cannot be read.
    func posted(_ key: String, in conversation: String) async -> TemplateMap? {
        (try? await postedKeys(in: conversation))?[key]
    }

    /// The conversation's latest messages that were posted with a key, by key.
    func postedKeys(in conversation: String) async throws(TwilioCallError) -> [String: TemplateMap] {
        let url = conversationURL(conversation) + "/Messages?Order=desc&PageSize=\(Self.keySearchDepth)"
        let list = try await rest.send("list_messages", .GET, url, form: nil, credentials: credentials)
        guard case .list(let messages)? = list["messages"] else { return [:] }
        var keyed: [String: TemplateMap] = [:]
        for case .map(let message) in messages {
            guard case .string(let key)? = TwilioJSON.object(in: message, "attributes")[Self.keyAttribute] else { continue }
            keyed[key] = message
        }
        return keyed
    }
}
