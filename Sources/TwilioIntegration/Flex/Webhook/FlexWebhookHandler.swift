import BotRuntime
import FlowDSL
import Foundation
import TwilioWire

/// Answers one Twilio webhook delivery (Programmable Chat post-event or TaskRouter callback).
///
/// 1. The `X-Twilio-Signature` is checked (`TwilioWebhook.verified`). Missing or wrong:
///    403, nothing else happens.
/// 2. Event types that need nothing are answered 204 at once.
/// 3. The thread is found from the task attribute start_chat adds (`parley_thread_id`), else
///    the links to the channel or the task. None: 204 and a warning (a retry would not help).
/// 4. The event is accepted into the engine's durable inbox with Twilio's id for what happened
///    (MessageSid, the TaskRouter event Sid …) as its idempotency key, so a retried delivery has
///    no second effect; then 204. A store failure answers 500, and Twilio retries. The
///    pre-event `onMessageAdd` is answered 200 (go on) or, for an agent command the bot took,
///    422 (blocked).
struct FlexWebhookHandler {
    let flex: FlexIntegration

    func handle(_ request: WebhookRequest, integrationID: String, engine: BotEngine) async -> WebhookResponse {
        let logger = flex.logger
        // 1. The signature.
        let form: TwilioForm, fields: TemplateMap
        switch TwilioWebhook.verified(request, integrationID: integrationID, logger: logger, fields: {
            try flex.fields(of: integrationID, engine: engine)
        }) {
        case .refused(let refusal): return refusal
        case .verified(let verified, let read): (form, fields) = (verified, read)
        }
        // 2. What it is about.
        let delivery = FlexDelivery(form: form, deliveryToken: request.header("I-Twilio-Idempotency-Token"))
        guard FlexEventMapper.handledTypes.contains(delivery.eventType) else { return TwilioWebhook.accepted }
        let settings: FlexSettings
        do {
            settings = try FlexSettings(integrationID: integrationID, fields: fields)
        } catch {
            logger.error("Flex webhook: integration misconfigured", metadata: ["integration": "\(integrationID)", "error": "\(error)"])
            return TwilioWebhook.answer(500, "\(error)")
        }
        // 3. The thread.
        let threadID: String?, thread: ThreadRecord?
        do {
            threadID = try await findThread(delivery, engine: engine)
            thread = try await threadID.asyncMap { try await engine.thread($0) } ?? nil
        } catch {
            logger.error("Flex webhook: store unavailable", metadata: ["error": "\(error)"])
            return TwilioWebhook.answer(500, "the bot's store is unavailable; retry")
        }
        guard let threadID, thread != nil else {
            logger.warning("Flex webhook for no known thread", metadata: [
                "event_type": "\(delivery.eventType)", "channel": "\(delivery.channelSid ?? "-")", "task": "\(delivery.taskSid ?? "-")",
            ])
            return TwilioWebhook.accepted
        }
        let state = thread.flatMap { FlexThreadState(scope: $0.scope) }
        let ended = thread.flatMap { FlexEndedHandoff(scope: $0.scope) }
        if delivery.eventType == "reservation.accepted" {
            let worker = TwilioJSON.object(form["WorkerAttributes"])
            let name = FlexEventMapper.agentName(form, worker: worker, format: settings.agentName)
            for identity in Set([FlexEventMapper.agentIdentity(form, worker: worker), FlexEventMapper.contactIdentity(worker)].compactMap { $0 }) {
                flex.rememberAgent(identity: identity, name: name)
            }
        }
        // 4. The event.
        switch FlexEventMapper.map(delivery, threadID: threadID, state: state, ended: ended, settings: settings,
                                   agentName: { flex.agentName(identity: $0) }) {
        case .ignored(let reason):
            logger.debug("Flex webhook needs no event", metadata: ["thread": "\(threadID)", "reason": "\(reason)"])
            return delivery.eventType == FlexEventMapper.preMessage ? Self.letThrough : TwilioWebhook.accepted
        case .event(let event):
            do {
                try await engine.accept(event)
            } catch {
                logger.error("Flex webhook: event not accepted", metadata: ["thread": "\(threadID)", "error": "\(error)"])
                return TwilioWebhook.answer(500, "the event could not be stored; retry")
            }
            logger.debug("Flex webhook accepted", metadata: ["thread": "\(threadID)", "event": "\(event.type)"])
            if delivery.eventType == FlexEventMapper.preMessage, event.type == EventTypes.agentCommand { return Self.blocked }
            return TwilioWebhook.accepted
        }
    }

    /// The answers to a pre-event `onMessageAdd`: any 2xx lets the message be added; any other
    /// status blocks it (the agent's command, which the bot runs instead, never reaches the customer).
    static let letThrough = WebhookResponse(status: 200, contentType: "application/json")
    static let blocked = TwilioWebhook.answer(422, "an agent command: the bot runs it; it is not added to the conversation")

    /// The thread a delivery is about: the thread attribute, else the channel's or the task's link.
    private func findThread(_ delivery: FlexDelivery, engine: BotEngine) async throws -> String? {
        if let id = delivery.threadAttribute { return id }
        if let channel = delivery.channelSid, let id = try await engine.thread(forLink: FlexThreadState.channelLink(channel)) {
            return id
        }
        if let task = delivery.taskSid { return try await engine.thread(forLink: FlexThreadState.taskLink(task)) }
        return nil
    }
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
