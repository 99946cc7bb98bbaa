import BotRuntime
import FlowDSL
import Logging

/// Twilio Conversations as a channel (flex-conversations.md §Q3, §Q5): the
/// `parley.twilio.conversations.integration` element's runtime. Customers write on SMS,
/// WhatsApp or a chat that Twilio carries as a Conversation (an Address Configuration creates
/// it, with a webhook to Parley); the bot answers in the same conversation.
///
/// - Webhooks (`/webhooks/{id}`, `/twilio/conversations/events`): signed `onMessageAdded`,
///   `onConversationStateUpdated` and `onDeliveryUpdated` become events of the conversation's
///   thread (`ConversationsEventMapper`), accepted durably before the 204.
/// - `prepare`: a customer's first event makes the thread the conversation's
///   (`ConversationsThread`: `thread.channel`, `thread.reply_timeout`).
/// - `outboundWork` / `deliver`: what the customer sees of the bot's turn
///   (`ConversationsText`: numbered choices) is posted to the conversation as `bot_author`,
///   through the durable outbox, in order (one lane per conversation).
///
/// Call `shutdown()` once the engine stopped: it closes the HTTP client.
public final class ConversationsIntegration: TwilioProduct {
    public let elementType = ConversationsElements.integrationType
    public let vendorWebhooks = [VendorWebhook("/twilio/conversations/events")]
    /// The outbox kind of a message to the customer.
    static let sendMessage = "send_message"

    let rest: TwilioRESTClient
    let settingsOverride: @Sendable (String, TemplateMap) -> TemplateMap
    let logger: Logger

    public static func register(in registry: inout ElementRegistry) {
        ConversationsElements.register(in: &registry)
    }

    public convenience init(setup: IntegrationSetup) {
        self.init(setup: setup, retry: TwilioRetryPolicy())
    }

    /// - Parameters:
    ///   - setup: the logger (`parley.conversations`: ids, statuses and Twilio error codes only,
    ///     never credentials or message text) and the settings override.
    ///   - retry: how REST calls are timed and retried.
    public init(setup: IntegrationSetup, retry: TwilioRetryPolicy) {
        logger = setup.logger("parley.conversations")
        rest = TwilioRESTClient(retry: retry, logger: logger)
        settingsOverride = setup.settingsOverride
    }

    public func shutdown() async {
        await rest.shutdown()
    }

    /// The settings of the integration `id`, rendered with the engine's vault after the override.
    func settings(of id: String, engine: BotEngine) throws -> ConversationsSettings {
        try ConversationsSettings(integrationID: id, fields: fields(of: id, engine: engine), botName: Self.botName(engine.app))
    }

    /// The thread of a Twilio conversation (`CH…`): `twilio-conversation-CH…`.
    public static func threadID(conversation: String) -> String {
        ConversationsThread.threadID(conversation: conversation)
    }

    /// The bot's `name:`, the default author of its messages.
    static func botName(_ app: BotApp) -> String {
        if let name = app.bot?["name"]?.constantText, !name.isEmpty { return name }
        return "bot"
    }

    public func configurationProblems(in engine: BotEngine) -> [String] {
        configurationProblems(in: engine, product: "Twilio Conversations") { try settings(of: $0, engine: engine).account.authToken }
    }

    // MARK: Turns

    /// A customer's first event makes the thread the conversation's: its record, `channel`,
    /// and `reply_timeout` (the element's, else 48 hours) unless a flow set one.
    public func prepare(_ event: Event, in context: inout ComponentContext) throws {
        guard event.sender == .user, context.thread.scope[ConversationsThread.scopeKey] == nil,
              let record = ConversationsThread(event: event) else { return }
        context.setThread(ConversationsThread.scopeKey, record.scopeValue)
        context.setThread("channel", .string(record.channel))
        if context.thread.scope["reply_timeout"] == nil {
            let field = context.integration(record.integrationID, type: elementType)?["reply_timeout"]
            let seconds = (try? field.map { try context.render($0) }).flatMap { $0.flatMap(DurationText.seconds) }
            context.setThread("reply_timeout", .double(seconds ?? ConversationsSettings.defaultReplyTimeout))
        }
    }

    /// What the customer sees of the turn's outputs, as messages to the conversation. While an
    /// agent has the conversation the bot stays silent to the customer's messages (its triggers
    /// wait for bot mode), and what it still says (an agent command's question, a status line)
    /// is posted where both read it.
    public func outboundWork(for turn: CommittedTurn) -> [OutboundWork] {
        guard let record = ConversationsThread(scope: turn.thread.scope) else { return [] }
        return turn.outputs.compactMap { event in
            guard let message = ConversationsText.message(for: event) else { return nil }
            return OutboundWork(integration: elementType, lane: "conversation:\(record.conversationSid)", kind: Self.sendMessage,
                                payload: ConversationsText.payload(message, conversation: record.conversationSid,
                                                                   integrationID: record.integrationID))
        }
    }

    public func deliver(_ item: OutboxItem, engine: BotEngine) async -> DeliveryOutcome {
        guard item.work.kind == Self.sendMessage, let (unsigned, conversation) = ConversationsText.message(payload: item.work.payload),
              case .string(let integrationID)? = item.work.payload["integration_id"] else {
            return .failed(reason: "an outbound item of an unknown kind or shape (\(item.work.kind))")
        }
        do {
            let settings = try settings(of: integrationID, engine: engine)
            var message = unsigned
            message.author = settings.botAuthor
            _ = try await settings.conversations(rest).post(message, to: conversation, key: "outbox-\(item.id)",
                                                            checkFirst: item.mayHaveBeenTried)
            return .delivered()
        } catch let error as TwilioCallError {
            logger.error("Twilio Conversations message not sent", metadata: ["thread": "\(item.threadID)", "error": "\(error)"])
            return error.isTransient ? .retry(reason: "\(error)") : .failed(reason: "\(error)")
        } catch {
            logger.error("Twilio Conversations settings unusable", metadata: ["integration": "\(integrationID)", "error": "\(error)"])
            return .failed(reason: "\(error)")
        }
    }

    public func handleWebhook(_ request: WebhookRequest, integrationID: String, engine: BotEngine) async -> WebhookResponse {
        await ConversationsWebhookHandler(integration: self).handle(request, integrationID: integrationID, engine: engine)
    }
}
