import BotRuntime
import FlowDSL
import Foundation

/// Relaying a thread in agent mode to its Flex channel, and the transcript on acceptance,
/// through the durable outbox: each message the agent must see is one item of the channel's
/// lane, stored with the turn that caused it and delivered in order after it committed.
extension FlexIntegration {
    /// User event types whose content reaches the agent.
    static let relayedUserTypes: Set<String> = [EventTypes.say, EventTypes.click, EventTypes.formSubmit, EventTypes.media]

    /// Outbound work kinds.
    enum Work {
        /// One ledger event (`sequence`) to the channel, as the user or the bot.
        static let relay = "relay"
        /// The conversation before the handoff, as one message.
        static let transcript = "send_transcript"
        /// `end_chat`'s text to the agent (`body`), as the bot.
        static let note = "send_note"
        /// `start_chat`'s channel (`FlexIntegration+Start.swift`).
        static let createChannel = "create_channel"
        /// `end_chat`'s closing of the channel and the task (`FlexIntegration+End.swift`).
        static let closeChat = "close_chat"
    }

    public func outboundWork(for turn: CommittedTurn) -> [OutboundWork] {
        let before = turn.previousThread.flatMap { FlexThreadState(scope: $0.scope) }
        guard let state = FlexThreadState(scope: turn.thread.scope) else {
            // A Flex Conversations handoff the agent's side ended: its chat is closed too.
            guard let before, before.interactionSid != nil, turn.thread.scope[Self.endingKey] == nil else { return [] }
            return [OutboundWork(integration: elementType, lane: "flex:channel:\(before.channelSid)", kind: Work.closeChat,
                                 payload: Self.closingPayload(before))]
        }
        // The customer's own conversation carries both sides: nothing to relay or replay.
        guard !state.sharedConversation else { return [] }
        var payload: TemplateMap = ["integration_id": .string(state.integrationID), "channel_sid": .string(state.channelSid),
                                    "identity": .string(state.identity), "relay_after": .int(state.relayAfter)]
        func work(_ kind: String) -> OutboundWork {
            OutboundWork(integration: elementType, lane: "flex:channel:\(state.channelSid)", kind: kind, payload: payload)
        }
        var items: [OutboundWork] = []
        if turn.inbound.type == FlexElements.Event.reservationAccepted, state.sendTranscript, state.transcriptSent,
           before?.transcriptSent != true {
            items.append(work(Work.transcript))
        }
        guard turn.thread.mode == "agent" else { return items }
        let transcript = FlexTranscript()
        // A failure while relaying the reaction to a failure is logged, not filed again.
        payload["report_failures"] = .bool(turn.inbound.type != FlexEventTypes.error)
        for event in turn.events where event.sequence > state.relayAfter {
            let relayed = switch event.sender {
            case .user: Self.relayedUserTypes.contains(event.type)
            case .bot: transcript.botLines(event) != nil
            case .agent, .system: false
            }
            guard relayed else { continue }
            payload["sequence"] = .int(event.sequence)
            items.append(work(Work.relay))
        }
        return items
    }

    public func deliver(_ item: OutboxItem, engine: BotEngine) async -> DeliveryOutcome {
        switch item.work.kind {
        case Work.createChannel: return await createChannel(item, engine: engine)
        case Work.closeChat: return await closeChat(item, engine: engine)
        default: break
        }
        let payload = item.work.payload
        func text(_ key: String) -> String { if case .string(let value)? = payload[key] { value } else { "" } }
        func number(_ key: String) -> Int { if case .int(let value)? = payload[key] { value } else { 0 } }
        let channel = text("channel_sid"), operation = Self.operation(item.work.kind)
        return await delivering(item, operation: operation, engine: engine, calls: { settings in
            let from: String, body: String
            if item.work.kind == Work.transcript {
                (from, body) = (Self.botIdentity, try await transcriptText(thread: item.threadID, relayAfter: number("relay_after"),
                                                                            settings: settings, engine: engine) ?? "")
            } else if item.work.kind == Work.note {
                (from, body) = (Self.botIdentity, text("body"))
            } else {
                (from, body) = try await relayedText(thread: item.threadID, sequence: number("sequence"), identity: text("identity"),
                                                     settings: settings, engine: engine)
            }
            guard !body.isEmpty else { return .delivered() }
            // Keyed by the outbox item, so that an answer lost on the way back does not post it twice.
            try await handoff(settings).post(body, from: from, chat: channel, key: "outbox-\(item.id)", checkFirst: item.mayHaveBeenTried,
                                             settings: settings)
            if item.work.kind == Work.transcript {
                logger.info("transcript sent", metadata: ["thread": "\(item.threadID)", "channel": "\(channel)"])
            }
            return .delivered()
        }, failed: { failure in
            guard payload["report_failures"] != .bool(false) else { return .failed(reason: "\(failure)") }
            return .failed(reason: "\(failure)", reply: Self.event(FlexEventTypes.error, for: item, failure.eventData(operation: operation)))
        })
    }

    /// Flex's error event for the thread (nil when the failure was in relaying an error event);
    /// for `start_chat`'s channel, the answer its step waits for.
    public func failureReply(for item: OutboxItem, reason: String) -> Event? {
        let answer: TemplateMap = ["ok": .bool(false), "message": .string(reason), "text": .string(reason)]
        switch item.work.kind {
        case Work.createChannel: return Self.chatStarted(item, answer)
        case Work.closeChat: return Self.chatEnded(item, answer)
        default:
            guard item.work.payload["report_failures"] != .bool(false) else { return nil }
            return Self.event(FlexEventTypes.error, for: item, ["text": .string(reason), "operation": .string(Self.operation(item.work.kind))])
        }
    }

    /// The Twilio operation a message item's failure names.
    private static func operation(_ kind: String) -> String {
        kind == Work.transcript ? "send_transcript" : "send_message"
    }

    /// What the relayed event at `sequence` says to the agent, and as whom.
    private func relayedText(thread: String, sequence: Int, identity: String, settings: FlexSettings,
                             engine: BotEngine) async throws -> (from: String, body: String) {
        guard let event = try await engine.events(thread: thread, after: sequence - 1, limit: 1).first, event.sequence == sequence else {
            return (identity, "")
        }
        if event.sender == .user {
            // A click is read back against the buttons it answered, up to 200 events before it.
            let history = event.type == EventTypes.click
                ? try await engine.events(thread: thread, after: max(0, sequence - 201), limit: 200).filter { $0.sequence < sequence } : []
            return (identity, FlexTranscript.userText(event, history: history) ?? "")
        }
        let transcript = FlexTranscript(options: settings.transcript)
        // A conversation names each message's author: the bot's lines need no prefix there.
        if settings.mode == .conversations, event.type != EventTypes.note {
            return (Self.botIdentity, transcript.message(for: event, history: [])?.text ?? "")
        }
        return (Self.botIdentity, transcript.botLines(event)?.joined(separator: "\n") ?? "")
    }

    /// The conversation up to `relayAfter` as one message, or nil when there is nothing to tell.
    private func transcriptText(thread: String, relayAfter: Int, settings: FlexSettings, engine: BotEngine) async throws -> String? {
        let from = max(0, relayAfter &- 1_000)  // relay_after is stored state a flow could have set
        let events = try await engine.events(thread: thread, after: from, limit: 1_000).filter { $0.sequence <= relayAfter }
        return FlexTranscript(options: settings.transcript).render(events)
    }
}
