import BotRuntime
import Foundation
import FlowDSL
import TwilioWire

/// Answers one Conversations webhook delivery for a Conversations channel integration.
///
/// 1. The `X-Twilio-Signature` is checked (`TwilioWebhook.verified`). Missing or wrong:
///    403, nothing else happens.
/// 2. Event types that mean nothing to the bot are answered 204 at once.
/// 3. A conversation that is not a channel thread's but a Flex handoff's (a web chat handed to
///    Flex, whose webhook was pointed at the shared `/twilio/conversations/events`) goes to the
///    Flex integration.
/// 4. The delivery becomes its event (`ConversationsEventMapper`), accepted into the engine's
///    durable inbox with Twilio's id for what happened as its idempotency key (a retried
///    delivery has no second effect); then 204. A store failure answers 500, and Twilio retries.
struct ConversationsWebhookHandler {
    let integration: ConversationsIntegration

    func handle(_ request: WebhookRequest, integrationID: String, engine: BotEngine) async -> WebhookResponse {
        let logger = integration.logger
        // 1. The signature.
        let form: TwilioForm, fields: TemplateMap
        switch TwilioWebhook.verified(request, integrationID: integrationID, logger: logger, fields: {
            try integration.fields(of: integrationID, engine: engine)
        }) {
        case .refused(let refusal): return refusal
        case .verified(let verified, let read): (form, fields) = (verified, read)
        }
        // 2. What it is about.
        let eventType = form["EventType"] ?? ""
        guard ConversationsEventMapper.handledTypes.contains(eventType) || eventType == Self.preMessage,
              let conversation = form["ConversationSid"], !conversation.isEmpty else { return TwilioWebhook.accepted }
        let settings: ConversationsSettings
        do {
            settings = try ConversationsSettings(integrationID: integrationID, fields: fields,
                                                 botName: ConversationsIntegration.botName(engine.app))
        } catch {
            logger.error("Conversations webhook: integration misconfigured", metadata: ["integration": "\(integrationID)", "error": "\(error)"])
            return TwilioWebhook.answer(500, "\(error)")
        }
        let thread: ThreadRecord?, offered: [Choice]
        do {
            thread = try await engine.thread(ConversationsThread.threadID(conversation: conversation))
            // 3. A Flex handoff's conversation, or what the agent does in the customer's.
            if thread == nil || Self.isAgentSide(form, thread: thread), let flex = try await flexHandoff(of: conversation, engine: engine) {
                return await flex.integration.handleWebhook(request, integrationID: flex.id, engine: engine)
            }
            if eventType == Self.preMessage { return WebhookResponse(status: 200, contentType: "application/json") }
            offered = try await offeredChoices(form, thread: thread, engine: engine)
        } catch {
            logger.error("Conversations webhook: store unavailable", metadata: ["error": "\(error)"])
            return TwilioWebhook.answer(500, "the bot's store is unavailable; retry")
        }
        // 4. The event.
        switch ConversationsEventMapper.map(form, settings: settings, thread: thread, offered: offered) {
        case .ignored(let reason):
            logger.debug("Conversations webhook needs no event", metadata: ["conversation": "\(conversation)", "reason": "\(reason)"])
            return TwilioWebhook.accepted
        case .event(let event):
            do {
                try await engine.accept(event)
            } catch {
                logger.error("Conversations webhook: event not accepted", metadata: ["conversation": "\(conversation)", "error": "\(error)"])
                return TwilioWebhook.answer(500, "the event could not be stored; retry")
            }
            return TwilioWebhook.accepted
        }
    }

    /// The pre-event webhook of a message about to be added: the Flex integration blocks an
    /// agent's command in the customer's conversation with it; anything else may go on.
    static let preMessage = "onMessageAdd"

    /// Whether a delivery is the agent's side of a customer's conversation handed to Flex: the
    /// pre-event hook, or a message from someone other than the customer, while (or just
    /// after) an agent has the thread.
    static func isAgentSide(_ form: TwilioForm, thread: ThreadRecord?) -> Bool {
        guard let thread, FlexThreadState(scope: thread.scope) != nil || FlexEndedHandoff(scope: thread.scope) != nil else { return false }
        switch form["EventType"] {
        case preMessage: return true
        case "onMessageAdded": return form["Author"] != thread.userID && form["Source"]?.uppercased() != "API"
        default: return false
        }
    }

    /// The choices the bot last offered on the thread, unanswered, for a customer's message
    /// that is a number (only a number can pick one that its text does not name).
    private func offeredChoices(_ form: TwilioForm, thread: ThreadRecord?, engine: BotEngine) async throws -> [Choice] {
        guard form["EventType"] == "onMessageAdded", let thread, thread.lastSequence > 0,
              Int((form["Body"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)) != nil else { return [] }
        let recent = try await engine.events(thread: thread.id, after: max(0, thread.lastSequence - 40), limit: 40)
        return OfferedChoices.last(in: recent)
    }

    /// The app's Flex integration and its element, when `conversation` is a Flex handoff's.
    private func flexHandoff(of conversation: String, engine: BotEngine) async throws -> (integration: FlexIntegration, id: String)? {
        guard let flex = engine.integration(serving: FlexElements.integrationType) as? FlexIntegration,
              try await engine.thread(forLink: FlexThreadState.channelLink(conversation)) != nil else { return nil }
        let ids = engine.app.integrations.values.filter { $0.type == FlexElements.integrationType }.map(\.id)
        return ids.count == 1 ? (flex, ids[0]) : nil
    }
}
