import BotRuntime
import FlowDSL
import Foundation

/// `start_chat`'s channel through the outbox: the request it stored is sent to Twilio after its
/// turn, and Twilio's answer comes back as `parley.twilio.flex.event.chat_started`, which
/// `prepareStart` applies to the thread before the waiting step resumes.
extension FlexIntegration {
    /// The thread scope key of a handoff being started: the request, until Twilio answers.
    static let startingKey = "flex_starting"
    /// Marks a request whose transcript goes as the chat opens (Flex Conversations).
    static let transcriptAtOpenKey = "transcript_at_open"
    /// Marks a request that hands the customer's own conversation to Flex (`FlexThreadState.sharedConversation`).
    static let sharedConversationKey = "shared_conversation"

    /// The fields of Twilio's chat that the answer carries, and `flow.result` with it: the
    /// chat (`sid`) and its task in both modes, the conversation, interaction and interaction
    /// channel in Flex Conversations, the Flex Flow's channel fields in Programmable Chat.
    static let channelFields = ["sid", "task_sid", "conversation_sid", "interaction_sid", "interaction_channel_sid", "flex_flow_sid",
                                "user_sid", "url", "account_sid", "date_created", "date_updated"]
    /// What else the answer carries for `prepareStart`.
    private static let answerFields = ["transcript_posted"]

    /// Opens the agent's chat with the stored request, the summary and (Flex Conversations)
    /// the transcript; the answer, good or bad, is the reply.
    func createChannel(_ item: OutboxItem, engine: BotEngine) async -> DeliveryOutcome {
        guard case .map(let fields)? = item.work.payload["request"], var request = FlexHandoffRequest(payload: fields) else {
            return .delivered(reply: Self.chatStarted(item, ["ok": .bool(false), "message": .string("the stored request is incomplete")]))
        }
        return await delivering(item, operation: "create_channel", engine: engine, calls: { settings in
            // The thread's last 1,000 events: what the summary and the transcript draw on.
            let last = try await engine.thread(item.threadID)?.lastSequence ?? 0
            let events = try await engine.events(thread: item.threadID, after: max(0, last - 1_000), limit: 1_000)
            let summary = await summary(of: request, thread: item.threadID, events: events, settings: settings)
            request.taskAttributes["conversationSummary"] = .string(summary)
            if let reason = request.summary.reason { request.taskAttributes["handoffReason"] = .string(reason) }
            let sendTranscript = item.work.payload["send_transcript"]?.isTruthy ?? true
            let opening = FlexOpening(summary: summary, transcript: sendTranscript && settings.mode == .conversations
                                      ? FlexTranscript(options: settings.transcript).messages(events) : [])
            let channel = try await handoff(settings).open(request, opening: opening, settings: settings)
            guard case .string(let channelSid)? = channel["sid"], !channelSid.isEmpty else {
                throw FlexError.call(.invalidResponse(operation: "create_channel", detail: "no channel sid"))
            }
            var data: TemplateMap = ["ok": .bool(true)]
            for key in Self.channelFields + Self.answerFields { data[key] = channel[key] ?? TemplateValue.none }
            logger.info("Flex chat started", metadata: ["thread": "\(item.threadID)", "channel": "\(channelSid)"])
            return .delivered(reply: Self.chatStarted(item, data))
        }, failed: { failure in
            .delivered(reply: Self.chatStarted(item, Self.failureAnswer(failure)))
        })
    }

    /// The reply to `start_chat`'s request: its fields, `data`, and the step it answers.
    static func chatStarted(_ item: OutboxItem, _ data: TemplateMap) -> Event {
        event(FlexEventTypes.chatStarted, for: item, data, keeping: ["integration_id", "identity", "send_transcript", Event.answersStepKey])
    }

    /// Before triggers: Twilio's answer to `start_chat` puts a made channel's handoff on the
    /// thread (links, `thread.flex`, agent mode); while one is being made, the user's messages
    /// start no flow, and Twilio's callbacks about the new task (which may come before its
    /// answer to the request) wait for the answer. True when the event was judged here.
    func prepareStart(_ event: Event, in context: inout ComponentContext) -> Bool {
        func text(_ key: String) -> String? {
            if case .string(let value)? = event.data[key], !value.isEmpty { return value }
            return nil
        }
        let starting: TemplateMap? = if case .map(let map)? = context.thread.scope[Self.startingKey] { map } else { nil }
        let answer = Self.isAnswer(event, type: FlexEventTypes.chatStarted, kind: Work.createChannel)
        if starting != nil, event.sender == .system || event.sender == .agent, !answer {
            // Early news of the new chat (its task queued, an agent already there): it waits
            // for Twilio's answer to the request, so the user sees things in their order.
            context.deferredBecause = "Twilio has not answered start_chat's request yet"
            return true
        }
        if let starting, event.sender == .user {
            if starting[Self.transcriptAtOpenKey]?.isTruthy == true {
                // The transcript is being posted as the chat opens: what comes now is relayed after.
                context.deferredBecause = "the agent chat is being opened; this reaches the agent once it is"
            } else {
                context.ignoredBecause = "the agent chat is being opened; this reaches the agent in the transcript"
            }
            return true
        }
        guard answer else { return false }
        guard let starting else {
            context.ignoredBecause = "no handoff is being started"
            return true
        }
        if event.data["ok"]?.isTruthy == true, let channelSid = text("sid") {
            beginHandoff(starting, answer: event, channelSid: channelSid, before: event.sequence, in: &context)
        } else {
            context.setThread(Self.startingKey, nil)
        }
        return true
    }

    /// The handoff of a made channel: links, `thread.flex`, agent mode. What came before the
    /// event at `sequence` goes in the transcript; what follows is relayed live.
    private func beginHandoff(_ starting: TemplateMap, answer: Event, channelSid: String, before sequence: Int,
                              in context: inout ComponentContext) {
        func text(_ key: String) -> String? {
            if case .string(let value)? = answer.data[key], !value.isEmpty { return value }
            return nil
        }
        context.setThread(Self.startingKey, nil)
        guard case .string(let integrationID)? = starting["integration_id"], case .string(let identity)? = starting["identity"] else { return }
        let taskSid = text("task_sid")
        var state = FlexThreadState(integrationID: integrationID, channelSid: channelSid, taskSid: taskSid, identity: identity,
                                    sendTranscript: starting["send_transcript"]?.isTruthy ?? true, relayAfter: sequence - 1)
        state.interactionSid = text("interaction_sid")
        state.interactionChannelSid = text("interaction_channel_sid")
        state.sharedConversation = starting[Self.sharedConversationKey]?.isTruthy ?? false
        // A transcript posted when the chat opened is not sent again when the agent accepts.
        if answer.data["transcript_posted"]?.isTruthy == true { state.sendTranscript = false }
        context.link(FlexThreadState.channelLink(channelSid))
        if let taskSid { context.link(FlexThreadState.taskLink(taskSid)) }
        context.setThread(FlexThreadState.scopeKey, state.scopeValue)
        context.setThread("mode", .string("agent"))
        context.emit(EventTypes.mode, data: ["mode": .string("agent")])
    }
}
