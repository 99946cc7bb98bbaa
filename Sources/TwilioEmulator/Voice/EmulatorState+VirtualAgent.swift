import Foundation
import TwilioWire

/// `<Connect><VirtualAgent>` played with a scripted Dialogflow CX agent (`VirtualAgentScript`),
/// as twilio-wire.md §e.1–e.3 has it: each turn posts the statusCallback, the session's end
/// posts the `<Connect>` action with `VirtualAgentStatus` and `VirtualAgentProviderData`, and
/// a paused session can be resumed on its call for 30 minutes (`resumeEndUserId`).
extension EmulatorState {
    /// The `<Config>` names Twilio documents for a Dialogflow CX connector; another is refused
    /// by the provider (32601, as `fixtures/twilio/virtualagent-action-failed.http` records).
    static let virtualAgentConfigNames: Set<String> = [
        "language", "sentimentAnalysis", "voiceName", "welcomeIntent", "voiceModel", "speechModel", "speechModelVariant",
        "resumeEndUserId", "resumeEventName",
    ]

    enum ConnectOutcome {
        /// The session listens for the caller.
        case waiting
        /// The session ended at once: its action is posted.
        case fetch(VoiceFetch)
        /// Nothing was connected; the next verb plays.
        case next
    }

    /// Starts (or resumes) the session `<Connect>` asks for.
    func connect(_ verb: TwiMLElement, call: inout EmulatedCall, action: String, rest: [TwiMLElement], documentURL: String) -> ConnectOutcome {
        guard let agent = verb.children.first(where: { $0.name == "VirtualAgent" }) else {
            call.errors.append("the emulator plays only <VirtualAgent> inside <Connect>; it went on to the next verb")
            return .next
        }
        func pairs(_ name: String) -> [(String, String)] {
            agent.children.filter { $0.name == name }.map { ($0.attributes["name"] ?? "", $0.attributes["value"] ?? "") }
        }
        let connector = agent.attributes["connectorName"] ?? "", config = pairs("Config")
        let hasAction = verb.attributes["action"] != nil, method = verb.attributes["method"] ?? "POST"
        func failed(_ code: Int, _ error: String, provider: String) -> ConnectOutcome {
            call.errors.append("\(code) \(error): \(provider)")
            call.hear(.system, "the virtual agent `\(connector)` could not start (\(code))")
            guard hasAction else { return .next }
            call.activity = .connecting
            return .fetch(VoiceFetch(event: "virtual-agent.action", url: action, method: method, fields: [
                ("VirtualAgentProvider", "DialogflowCX"), ("VirtualAgentStatus", "failed"), ("VirtualAgentProviderData", "{}"),
                ("VirtualAgentErrorCode", String(code)), ("VirtualAgentError", error), ("VirtualAgentProviderError", provider),
            ]))
        }
        guard let script = configuration.virtualAgents.first(where: { $0.connectorName == connector }) else {
            return failed(32601, "Virtual Agent: Provider Error",
                          provider: "NOT_FOUND: no connector named `\(connector)` (the emulator's are given with --virtual-agent)")
        }
        if let unknown = config.first(where: { !Self.virtualAgentConfigNames.contains($0.0) }) {
            return failed(32601, "Virtual Agent: Provider Error", provider: "INVALID_ARGUMENT: unknown config property \(unknown.0)")
        }
        var session = VirtualAgentSession(script: script, conversationID: "", endUserID: "", action: hasAction ? action : nil, method: method,
                                          statusCallback: agent.attributes["statusCallback"].map { Self.resolve($0, against: documentURL) }, rest: rest, documentURL: documentURL,
                                          parameters: pairs("Parameter"))
        if let endUser = config.last(where: { $0.0 == "resumeEndUserId" })?.1 {
            let paused = pausedSessions.removeValue(forKey: endUser)
            guard let paused, paused.callSid == call.sid, paused.connectorName == connector else {
                return failed(32606, "Virtual Agent: Resume Error", provider: "no session of this call was paused for end user \(endUser)")
            }
            guard now.timeIntervalSince(paused.pausedAt) <= Self.resumeWindow else {
                return failed(32606, "Virtual Agent: Resume Error", provider: "the session was paused more than 30 minutes ago")
            }
            (session.conversationID, session.endUserID) = (paused.conversationID, endUser)
            call.hear(.system, "the virtual agent `\(connector)` resumed its session"
                      + (config.last { $0.0 == "resumeEventName" }.map { " with the event \($0.1)" } ?? ""))
            if let resumed = script.resumed { call.hear(.virtualAgent, resumed) }
        } else {
            let conversation = "projects/parley-emulator/locations/global/conversations/\(UUID().uuidString.lowercased())"
            (session.conversationID, session.endUserID) = (conversation, conversation + "/participants/" + TwilioSID.random("EU").dropFirst(2))
            call.hear(.system, "connected to the virtual agent `\(connector)`")
            if let welcome = script.welcome { call.hear(.virtualAgent, welcome) }
        }
        call.session = session
        call.activity = .virtualAgent
        return .waiting
    }

    /// The agent's answer to what the caller did: its turn is posted to the statusCallback;
    /// a turn that ends the session answers the `<Connect>` action to make after it.
    func virtualAgentTurn(_ call: inout EmulatedCall, _ input: CallerInput) -> VoiceFetch? {
        guard let session = call.session else { return nil }
        defer { calls[call.sid] = call }
        let said: String
        switch input {
        case .speech(let text):
            said = text
            call.hear(.caller, text)
        case .digits(let digits):
            said = digits
            call.hear(.caller, "(presses \(digits))")
        case .silence:
            call.hear(.caller, "(silence)")
            if let reply = session.script.fallback.reply { call.hear(.virtualAgent, reply) }
            return nil
        }
        let turn = session.script.turn(for: said)
        if let reply = turn.reply { call.hear(.virtualAgent, reply) }
        if let url = session.statusCallback {
            var form = TwilioForm()
            for (name, value) in [("AccountSid", configuration.accountSid), ("CallSid", call.sid), ("StatusCallbackEvent", "intent"),
                                  ("Timestamp", TwilioTime.rfc2822(now)), ("VirtualAgentProvider", "DialogflowCX"),
                                  ("VirtualAgentProviderData", Self.turnData(turn, said: said, session: session).text)] {
                form.append(name, value)
            }
            enqueue(.voice, eventType: "virtual-agent.intent", resourceSid: call.sid, channelSid: call.sid, form: form, url: url)
        }
        guard let end = turn.end else { return nil }
        call.session = nil
        call.activity = .connecting
        call.hear(.system, "the virtual agent ended its session: \(end.rawValue)")
        var data: [EmulatorJSON.Member] = [.init("ConversationId", .string(session.conversationID)), .init("EndUserId", .string(session.endUserID))]
        let parameters = EmulatorJSON.object(turn.parameters.sorted { $0.key < $1.key }.map { .init($0.key, .string($0.value)) })
        switch end {
        case .liveAgentHandoff: data.append(.init("AgentHandoffParameters", parameters))
        case .paused:
            data.append(.init("PauseParameters", parameters))
            pausedSessions[session.endUserID] = PausedSession(callSid: call.sid, connectorName: session.script.connectorName,
                                                              conversationID: session.conversationID, pausedAt: now)
        case .completed, .failed: break
        }
        var fields = [("VirtualAgentProvider", "DialogflowCX"), ("VirtualAgentStatus", end.rawValue),
                      ("VirtualAgentProviderData", end == .failed ? "{}" : EmulatorJSON.object(data).text)]
        if end == .failed {
            fields += [("VirtualAgentErrorCode", String(turn.errorCode ?? 32601)), ("VirtualAgentError", "Virtual Agent: Provider Error")]
            if let error = turn.error { fields.append(("VirtualAgentProviderError", error)) }
        }
        guard let action = session.action else {
            // No action: the verbs after <Connect> play (the deferred write keeps what they did).
            calls[call.sid] = call
            let next = play(session.rest, call: call.sid, documentURL: session.documentURL)
            call = calls[call.sid] ?? call
            return next
        }
        return VoiceFetch(event: "virtual-agent.action", url: action, method: session.method, fields: fields, afterQueuedWebhooks: true)
    }

    /// `VirtualAgentProviderData` of a turn, with the keys the Flex transcript plugin reads.
    private static func turnData(_ turn: VirtualAgentScript.Turn, said: String, session: VirtualAgentSession) -> EmulatorJSON {
        var data: [EmulatorJSON.Member] = [.init("ConversationId", .string(session.conversationID)),
                                           .init("EndUserId", .string(session.endUserID)),
                                           .init("LanguageCode", .string(session.script.language))]
        if let intent = turn.intent {
            let agent = "projects/parley-emulator/locations/global/agents/\(session.script.connectorName)"
            data += [.init("IntentId", .string("\(agent)/intents/\(intent)")), .init("IntentDisplayName", .string(intent))]
        }
        if let confidence = turn.confidence { data.append(.init("Confidence", .number(String(confidence)))) }
        data += [.init("ResolvedInput", .string(said)), .init("ReplyText", .string(turn.reply ?? ""))]
        if let sentiment = turn.sentiment { data.append(.init("SentimentAnalysisScore", .number(String(sentiment)))) }
        data.append(.init("Parameters", .object(session.parameters.map { .init($0.0, .string($0.1)) })))
        return .object(data)
    }
}
