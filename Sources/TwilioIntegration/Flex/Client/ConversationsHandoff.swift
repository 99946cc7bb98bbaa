import BotRuntime
import FlowDSL
import TwilioWire

/// A Flex handoff over Flex Conversations (flex-conversations.md §Q2, §Q3): the chat is a
/// Twilio Conversation the bot makes for the user, with the user as a chat participant and
/// one conversation-scoped webhook back to Parley (`onMessageAdded`,
/// `onConversationStateUpdated`); the summary and the transcript are its first messages; the
/// Interactions API then routes it to an agent (`POST /v1/Interactions`, which makes the task).
/// Closing closes the interaction's channel (the task wraps up) and the conversation.
///
/// Opening again after an answer that never came back does no harm up to the interaction: the
/// conversation is found by its unique name, a participant or webhook already there is kept,
/// messages already posted are not posted again. The interaction itself is not idempotent on
/// Twilio's side; a lost answer to it is the one call that can be made twice.
struct ConversationsHandoff: FlexHandoff {
    let rest: TwilioRESTClient

    /// The events Parley asks the conversation's webhook for.
    static let webhookFilters = ["onMessageAdded", "onConversationStateUpdated"]
    /// Twilio's codes for "a conversation with that unique name exists" and "that participant
    /// is in the conversation already".
    static let conversationExists = 50353, participantExists = 50433

    func open(_ request: FlexHandoffRequest, opening: FlexOpening, settings: FlexSettings) async throws(FlexError) -> TemplateMap {
        if let customer = request.customerConversation {
            // The customer's own conversation: the agent joins it; it has its history and its webhook.
            let interaction = try await createInteraction(request, summary: opening.summary, conversation: customer.sid,
                                                          channelType: customer.channelType, settings: settings)
            return Self.answer(conversation: customer.sid, interaction: interaction, transcriptPosted: false)
        }
        guard let webhookURL = settings.webhookURL else {
            throw .invalidSetting(integration: settings.integrationID, field: "webhook_url",
                                  detail: "Parley does not know the URL Twilio reaches it at; serve with --public-url "
                                      + "(or $PARLEY_PUBLIC_URL), or set `webhook_url`")
        }
        let (conversation, existed) = try await createConversation(request, settings: settings)
        guard case .string(let sid)? = conversation["sid"], !sid.isEmpty else {
            throw .call(.invalidResponse(operation: "create_conversation", detail: "no conversation sid"))
        }
        try await addParticipant(request, conversation: sid, settings: settings)
        try await addWebhook(webhookURL, conversation: sid, checkExisting: existed, settings: settings)
        try await postOpening(opening, identity: request.identity, conversation: sid, checkExisting: existed, settings: settings)
        let interaction = try await createInteraction(request, summary: opening.summary, conversation: sid, channelType: "web",
                                                      settings: settings)
        var answer = Self.answer(conversation: sid, interaction: interaction, transcriptPosted: true)
        answer["account_sid"] = conversation["account_sid"] ?? TemplateValue.none
        answer["date_created"] = conversation["date_created"] ?? TemplateValue.none
        return answer
    }

    /// What an opened handoff answers: the conversation, the interaction, its channel and task.
    private static func answer(conversation: String, interaction: TemplateMap, transcriptPosted: Bool) -> TemplateMap {
        var answer: TemplateMap = [
            "sid": .string(conversation), "conversation_sid": .string(conversation), "transcript_posted": .bool(transcriptPosted),
            "interaction_sid": interaction["sid"] ?? TemplateValue.none, "url": interaction["url"] ?? TemplateValue.none,
        ]
        if case .map(let channel)? = interaction["channel"] { answer["interaction_channel_sid"] = channel["sid"] ?? TemplateValue.none }
        if case .map(let routing)? = interaction["routing"], case .map(let properties)? = routing["properties"] {
            answer["task_sid"] = properties["sid"] ?? TemplateValue.none
        }
        return answer
    }

    /// `POST /v1/Conversations/{CH}/Messages` with `Author`, without `X-Twilio-Webhook-Enabled`,
    /// so the message does not come back as `onMessageAdded`.
    func post(_ body: String, from: String, chat: String, key: String, checkFirst: Bool, settings: FlexSettings) async throws(FlexError) {
        do {
            _ = try await settings.conversations(rest).post(.init(author: from, body: body), to: chat, key: key, checkFirst: checkFirst)
        } catch {
            throw .call(error)
        }
    }

    /// Closes the interaction's channel (Flex moves the task to wrap-up, or cancels it while
    /// it waits), then the conversation (`State=closed`).
    func close(_ closing: FlexClosing, settings: FlexSettings) async throws(FlexError) {
        var failure: FlexError?
        if let interaction = closing.interactionSid, let channel = closing.interactionChannelSid {
            var form = TwilioForm()
            form.append("Status", "closed")
            let url = settings.flexBaseURL + "/v1/Interactions/\(TwilioRESTClient.pathSegment(interaction))/Channels/"
                + TwilioRESTClient.pathSegment(channel)
            do { _ = try await rest.send("close_interaction", .POST, url, form: form, settings: settings) } catch { failure = error }
        }
        if !closing.keepConversation {
            var form = TwilioForm()
            form.append("State", "closed")
            do {
                _ = try await rest.send("close_conversation", .POST, conversationURL(settings, closing.chat), form: form, settings: settings)
            } catch {
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
    }

    // MARK: Opening, step by step

    /// The conversation, made now or found by its unique name (`existed`) after a lost answer.
    private func createConversation(_ request: FlexHandoffRequest,
                                    settings: FlexSettings) async throws(FlexError) -> (TemplateMap, existed: Bool) {
        var form = TwilioForm()
        form.append("FriendlyName", request.friendlyName)
        form.append("UniqueName", request.uniqueName)
        var attributes: TemplateMap = [:]
        if let thread = request.taskAttributes[FlexDelivery.threadAttribute] { attributes[FlexDelivery.threadAttribute] = thread }
        form.append("Attributes", TemplateValue.map(attributes).jsonText)
        do {
            return (try await rest.send("create_conversation", .POST, conversationsURL(settings), form: form, settings: settings), false)
        } catch .call(.twilio(_, let error)) where error.code == Self.conversationExists {
            return (try await rest.send("read_conversation", .GET, conversationURL(settings, request.uniqueName), form: nil,
                                        settings: settings), true)
        }
    }

    /// The user as a chat participant (`Identity`), named for the agent in its attributes.
    private func addParticipant(_ request: FlexHandoffRequest, conversation: String, settings: FlexSettings) async throws(FlexError) {
        var form = TwilioForm()
        form.append("Identity", request.identity)
        form.append("Attributes", TemplateValue.map(["friendlyName": .string(request.userName)]).jsonText)
        do {
            _ = try await rest.send("add_participant", .POST, conversationURL(settings, conversation) + "/Participants", form: form,
                                    settings: settings)
        } catch .call(.twilio(_, let error)) where error.code == Self.participantExists {
            return
        }
    }

    /// The conversation-scoped webhook to Parley, unless one already points there.
    private func addWebhook(_ url: String, conversation: String, checkExisting: Bool, settings: FlexSettings) async throws(FlexError) {
        let webhooks = conversationURL(settings, conversation) + "/Webhooks"
        if checkExisting {
            let list = try await rest.send("list_webhooks", .GET, webhooks, form: nil, settings: settings)
            if case .list(let items)? = list["webhooks"], items.contains(where: { item in
                guard case .map(let webhook) = item, case .map(let configuration)? = webhook["configuration"] else { return false }
                return configuration["url"] == .string(url)
            }) { return }
        }
        var form = TwilioForm()
        form.append("Target", "webhook")
        form.append("Configuration.Url", url)
        form.append("Configuration.Method", "POST")
        for filter in Self.webhookFilters { form.append("Configuration.Filters", filter) }
        _ = try await rest.send("add_webhook", .POST, webhooks, form: form, settings: settings)
    }

    /// The summary, then the transcript, each message keyed by its place (`opening-N`), so that
    /// a second try posts only what the first did not.
    private func postOpening(_ opening: FlexOpening, identity: String, conversation: String, checkExisting: Bool,
                             settings: FlexSettings) async throws(FlexError) {
        var posted: Set<String> = []
        if checkExisting {
            do { posted = Set(try await settings.conversations(rest).postedKeys(in: conversation).keys) } catch { throw .call(error) }
        }
        let messages = [(FlexIntegration.botIdentity, opening.summary)]
            + opening.transcript.map { ($0.sender == .user ? identity : FlexIntegration.botIdentity, $0.text) }
        for (place, (author, body)) in messages.enumerated() where !posted.contains("opening-\(place)") && !body.isEmpty {
            try await post(body, from: author, chat: conversation, key: "opening-\(place)", checkFirst: false, settings: settings)
        }
    }

    /// `POST /v1/Interactions` for the conversation: a chat the customer started on
    /// `channelType` (`web` for Parley's own chat, `sms`, `whatsapp` …), routed by the
    /// integration's workspace, workflow and task channel, with the task attributes.
    private func createInteraction(_ request: FlexHandoffRequest, summary: String, conversation: String, channelType: String,
                                   settings: FlexSettings) async throws(FlexError) -> TemplateMap {
        var attributes = request.taskAttributes
        let from = request.customerConversation?.address ?? request.userName
        attributes["customerName"] = attributes["customerName"] ?? .string(request.userName)
        attributes["from"] = attributes["from"] ?? .string(from)
        if let address = request.customerConversation?.address { attributes["customerAddress"] = .string(address) }
        attributes["conversationSummary"] = .string(summary)
        if let reason = request.summary.reason { attributes["handoffReason"] = .string(reason) }
        let channel: TemplateMap = ["type": .string(channelType), "initiated_by": "customer",
                                    "properties": .map(["media_channel_sid": .string(conversation)])]
        let routing: TemplateMap = ["properties": .map([
            "workspace_sid": .string(settings.workspaceSid), "workflow_sid": .string(settings.workflowSid),
            "task_channel_unique_name": .string(settings.taskChannel), "attributes": .map(attributes),
        ])]
        var form = TwilioForm()
        form.append("Channel", TemplateValue.map(channel).jsonText)
        form.append("Routing", TemplateValue.map(routing).jsonText)
        return try await rest.send("create_interaction", .POST, settings.flexBaseURL + "/v1/Interactions", form: form, settings: settings)
    }

    // MARK: URLs

    private func conversationsURL(_ settings: FlexSettings) -> String {
        settings.conversations(rest).conversationsURL
    }

    private func conversationURL(_ settings: FlexSettings, _ conversation: String) -> String {
        settings.conversations(rest).conversationURL(conversation)
    }
}
