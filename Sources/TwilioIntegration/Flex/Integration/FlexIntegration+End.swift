import BotRuntime
import FlowDSL

/// `end_chat` through the outbox: the step gives the thread back to the bot in its own turn and
/// stores the closing (its note to the agent, then the channel and the task) in the channel's
/// lane, behind every relayed message still waiting there. Twilio's answer comes back as
/// `parley.twilio.flex.event.chat_ended`, which resumes the waiting step with `flow.result`.
extension FlexIntegration {
    /// The thread scope key of a chat being closed: the request, until Twilio answers.
    static let endingKey = "flex_ending"

    /// Closes the chat, and completes (or cancels) the task when its workspace is known; the
    /// first failure is the answer. Closing again is harmless, so a retry after a lost answer
    /// does no harm.
    func closeChat(_ item: OutboxItem, engine: BotEngine) async -> DeliveryOutcome {
        let payload = item.work.payload
        func text(_ key: String) -> String? { if case .string(let value)? = payload[key], !value.isEmpty { value } else { nil } }
        return await delivering(item, operation: "close_channel", engine: engine, calls: { settings in
            var closing = FlexClosing(chat: text("channel_sid") ?? "", interactionSid: text("interaction_sid"),
                                      interactionChannelSid: text("interaction_channel_sid"),
                                      keepConversation: payload["keep_conversation"]?.isTruthy ?? false)
            if let sid = text("task_sid"), let workspace = text("workspace_sid") {
                closing.task = FlexTaskEnd(sid: sid, workspace: workspace, status: text("task_status") ?? "completed")
            }
            try await handoff(settings).close(closing, settings: settings)
            logger.info("Flex chat ended", metadata: ["thread": "\(item.threadID)", "channel": "\(closing.chat)"])
            return .delivered(reply: answersStep(item) ? Self.chatEnded(item, ["ok": .bool(true)]) : nil)
        }, failed: { failure in
            .delivered(reply: answersStep(item) ? Self.chatEnded(item, Self.failureAnswer(failure)) : nil)
        })
    }

    /// Whether a closing answers `end_chat`'s step (else it tidies up after the agent ended the
    /// handoff, and its outcome is only logged).
    private func answersStep(_ item: OutboxItem) -> Bool {
        item.work.payload[Event.answersStepKey] != nil
    }

    /// The closing an ended handoff's chat still needs, keyed as `closeChat` reads it: in Flex
    /// Conversations the bot made the conversation, so when the agent's side ends it (the task
    /// wrapped up, completed or canceled; the conversation closed) the interaction's channel
    /// and the conversation are closed too, never left open. A customer's own conversation
    /// (SMS, WhatsApp) stays open: the bot answers in it again.
    static func closingPayload(_ state: FlexThreadState) -> TemplateMap {
        var payload: TemplateMap = ["integration_id": .string(state.integrationID), "channel_sid": .string(state.channelSid)]
        payload["interaction_sid"] = FlexComponentSupport.value(state.interactionSid)
        payload["interaction_channel_sid"] = FlexComponentSupport.value(state.interactionChannelSid)
        payload["task_sid"] = FlexComponentSupport.value(state.taskSid)
        payload["workspace_sid"] = FlexComponentSupport.value(state.workspaceSid)
        payload["task_status"] = .string(state.accepted ? "completed" : "canceled")
        if state.sharedConversation { payload["keep_conversation"] = .bool(true) }
        return payload
    }

    /// The reply to `end_chat`'s request: `data` and the step it answers.
    static func chatEnded(_ item: OutboxItem, _ data: TemplateMap) -> Event {
        event(FlexEventTypes.chatEnded, for: item, data, keeping: ["integration_id", "channel_sid", Event.answersStepKey])
    }

    /// Before triggers: while a chat is being closed, the user's messages wait (kept in the
    /// inbox) until Twilio's answer resumed `end_chat`'s flow, so the bot answers them after
    /// it and in their order; the answer clears the mark. True when the event was judged here.
    func prepareEnd(_ event: Event, in context: inout ComponentContext) -> Bool {
        let answer = Self.isAnswer(event, type: FlexEventTypes.chatEnded, kind: Work.closeChat)
        guard context.thread.scope[Self.endingKey] != nil else {
            if answer { context.ignoredBecause = "no Flex chat is being closed" }
            return answer
        }
        if event.sender == .user {
            context.deferredBecause = "the Flex chat is being closed; the bot answers once Twilio has"
            return true
        }
        if answer { context.setThread(Self.endingKey, nil) }
        return answer
    }

    /// Whether `event` answers a component's request: the integration's reply (`type`), or the
    /// outbox's own failure of that work (`kind`) when no integration could deliver it.
    static func isAnswer(_ event: Event, type: String, kind: String) -> Bool {
        guard event.sender == .system else { return false }
        return event.type == type || event.type == EventTypes.deliveryFailed && event.data["kind"] == .string(kind)
    }
}
