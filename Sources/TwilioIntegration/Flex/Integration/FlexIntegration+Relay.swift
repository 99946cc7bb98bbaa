import BotRuntime
import FlowDSL

/// Relaying a thread in agent mode to its Flex channel, and the transcript on acceptance.
extension FlexIntegration {
    /// User event types whose content reaches the agent.
    static let relayedUserTypes: Set<String> = [EventTypes.say, EventTypes.click, EventTypes.formSubmit, EventTypes.media]

    /// Queues what the committed turn sends to Flex; never blocks.
    func relayTurn(_ turn: CommittedTurn, engine: BotEngine) {
        guard let state = FlexThreadState(scope: turn.thread.scope) else { return }
        let before = turn.previousThread.flatMap { FlexThreadState(scope: $0.scope) }
        if turn.inbound.type == FlexElements.Event.reservationAccepted, state.sendTranscript, state.transcriptSent,
           before?.transcriptSent != true {
            relay.enqueue(state.channelSid) { [self] in
                await sendTranscript(state: state, threadID: turn.thread.id, engine: engine)
            }
        }
        guard turn.thread.mode == "agent" else { return }
        let transcript = FlexTranscript()
        let relayed = turn.events.filter { event in
            guard event.sequence > state.relayAfter else { return false }
            switch event.sender {
            case .user: return Self.relayedUserTypes.contains(event.type)
            case .bot: return transcript.botLines(event) != nil
            case .agent, .system: return false
            }
        }
        guard !relayed.isEmpty else { return }
        // A failure while relaying the reaction to a failure is logged, not filed again.
        let reportFailures = turn.inbound.type != FlexEventTypes.error
        let history = turn.events
        relay.enqueue(state.channelSid) { [self] in
            await send(relayed, history: history, state: state, threadID: turn.thread.id, engine: engine,
                       reportFailures: reportFailures)
        }
    }

    private func send(_ events: [Event], history: [Event], state: FlexThreadState, threadID: String, engine: BotEngine,
                      reportFailures: Bool) async {
        let settings: FlexSettings
        do {
            settings = try self.settings(of: state.integrationID, engine: engine)
        } catch {
            await report(error, operation: "send_message", threadID: threadID, engine: engine, file: reportFailures)
            return
        }
        let transcript = FlexTranscript(options: settings.transcript)
        for event in events {
            let from: String, body: String
            if event.sender == .user {
                from = state.identity
                var earlier = history.filter { $0.sequence < event.sequence }
                if event.type == EventTypes.click, FlexTranscript.chosenButton(event, history: earlier) == nil {
                    // A click on a button offered in an earlier turn: read back in the ledger.
                    earlier = (try? await engine.events(thread: threadID, after: max(0, event.sequence - 200), limit: 200))?
                        .filter { $0.sequence < event.sequence } ?? []
                }
                body = FlexTranscript.userText(event, history: earlier) ?? ""
            } else {
                from = Self.botIdentity
                body = transcript.botLines(event)?.joined(separator: "\n") ?? ""
            }
            guard !body.isEmpty else { continue }
            do {
                try await client.sendMessage(settings, channel: state.channelSid, from: from, body: body)
            } catch {
                await report(error, operation: "send_message", threadID: threadID, engine: engine, file: reportFailures)
            }
        }
    }

    /// Posts the conversation before the handoff into the channel, as one message.
    private func sendTranscript(state: FlexThreadState, threadID: String, engine: BotEngine) async {
        do {
            let settings = try self.settings(of: state.integrationID, engine: engine)
            let from = max(0, state.relayAfter &- 1_000)  // relay_after is stored state a flow could have set
            let events = try await engine.events(thread: threadID, after: from, limit: 1_000).filter { $0.sequence <= state.relayAfter }
            guard let text = FlexTranscript(options: settings.transcript).render(events) else { return }
            try await client.sendMessage(settings, channel: state.channelSid, from: Self.botIdentity, body: text)
            logger.info("transcript sent", metadata: ["thread": "\(threadID)", "channel": "\(state.channelSid)"])
        } catch {
            await report(error, operation: "send_transcript", threadID: threadID, engine: engine, file: true)
        }
    }

    /// Logs a failed Twilio call (no secrets: `FlexError` never holds any) and files it as a
    /// `meya.twilio.flex.event.error` system event of the thread, so flows may react.
    func report(_ error: any Error, operation: String, threadID: String, engine: BotEngine, file: Bool) async {
        logger.error("Twilio Flex call failed", metadata: ["thread": "\(threadID)", "operation": "\(operation)", "error": "\(error)"])
        guard file else { return }
        var data: TemplateMap = ["text": .string("\(error)"), "operation": .string(operation)]
        if case .call(.twilio(_, let twilio))? = error as? FlexError {
            data["code"] = .int(twilio.code)
            data["status"] = .int(twilio.status)
        }
        let event = Event(type: FlexEventTypes.error, threadID: threadID, sender: .system, userID: "flex", data: data)
        do {
            try await engine.accept(event)
        } catch {
            logger.error("could not file a Flex error event", metadata: ["thread": "\(threadID)", "error": "\(error)"])
        }
    }
}
