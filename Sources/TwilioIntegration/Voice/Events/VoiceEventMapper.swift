import BotRuntime
import Foundation
import FlowDSL
import TwilioWire

/// Turns one verified voice webhook (twilio-wire.md §e) into the event it means for the
/// call's thread:
///
/// - the incoming call: `call_start` from the caller, keyed by the call;
/// - a `<Gather>` result: what the caller said (`SpeechResult`, without recognition's closing
///   full stop, which stays in `speech`) or pressed (`Digits`) as their message, a key or a
///   spoken choice's text picking one of the choices just offered (a click when it has a
///   button id); nothing at all: `no_input`;
/// - the call's status callback when the call is over: `hangup`.
enum VoiceEventMapper {
    /// The voice webhooks, by the end of their path (`/twilio/voice/gather`,
    /// `/webhooks/{id}/gather`); `/webhooks/{id}` alone is the incoming call.
    enum Webhook: String, CaseIterable {
        // First: `…/virtual-agent/status` also ends with `/status`.
        case virtualAgentAction = "virtual-agent/action"
        case virtualAgentStatus = "virtual-agent/status"
        case incoming, gather, status

        /// Twilio's voice webhook paths: `/twilio/voice/incoming`, `…/gather`, `…/status`.
        static var allPaths: [String] { allCases.map { "/twilio/voice/\($0.rawValue)" } }
    }

    /// Call statuses that mean the call is over.
    static let endedStatuses: Set<String> = ["completed", "busy", "no-answer", "failed", "canceled"]

    static func field(_ form: TwilioForm, _ name: String) -> String? {
        form[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `call_start` for the call `form` announces, or nil without a `CallSid` and `From`.
    static func callStart(_ form: TwilioForm, integrationID: String) -> Event? {
        guard let call = field(form, "CallSid"), let caller = field(form, "From") else { return nil }
        var data: TemplateMap = ["call_sid": .string(call), "from": .string(caller), "to": .string(form["To"] ?? ""),
                                 "integration": .string(integrationID), "channel": .string(VoiceCall.channel)]
        for (key, name) in [("caller_name", "CallerName"), ("from_city", "FromCity"), ("from_state", "FromState"),
                            ("from_country", "FromCountry")] {
            if let value = field(form, name) { data[key] = .string(value) }
        }
        return Event(type: VoiceElements.Event.callStart, threadID: VoiceCall.threadID(call: call), sender: .user, userID: caller,
                     data: data, idempotencyKey: "twilio-voice:call:\(call):start")
    }

    /// What a `<Gather>` result means on the call's thread: `offered` are the choices just
    /// offered, `noInputs` how many `no_input`s in a row came before; `delivery` is Twilio's
    /// idempotency token (the same on a retry), when it sent one.
    static func answer(_ form: TwilioForm, thread: ThreadRecord, offered: [Choice], noInputs: Int, delivery: String?) -> Event {
        let key = delivery.map { "twilio-voice:gather:\($0)" }
        let digits = field(form, "Digits")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let speech = field(form, "SpeechResult")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        // Recognition ends what it heard with a full stop ("Agent."), which no keyword has.
        let words = speech.last.map { ".!?".contains($0) } == true ? String(speech.dropLast()) : speech
        let said = digits.isEmpty ? words : digits
        guard !said.isEmpty else {
            return Event(type: VoiceElements.Event.noInput, threadID: thread.id, sender: .user, userID: thread.userID,
                         data: ["count": .int(noInputs + 1)], idempotencyKey: key)
        }
        var data: TemplateMap = ["text": .string(said)]
        if digits.isEmpty, words != speech { data["speech"] = .string(speech) }
        if let confidence = field(form, "Confidence").flatMap(Double.init) { data["confidence"] = .double(confidence) }
        var type = EventTypes.say
        if let choice = digits.isEmpty ? spoken(speech, among: offered) : OfferedChoices.numbered(digits, among: offered) {
            data["typed"] = .string(said)
            data["text"] = .string(choice.text)
            if let id = choice.buttonID {
                type = EventTypes.click
                data["button_id"] = .string(id)
            }
        }
        return Event(type: type, threadID: thread.id, sender: .user, userID: thread.userID, data: data, idempotencyKey: key)
    }

    /// The choice whose text the caller said: speech recognition capitalises and punctuates
    /// ("Software."), so case, spaces and end punctuation do not count.
    static func spoken(_ speech: String, among offered: [Choice]) -> Choice? {
        func plain(_ text: String) -> String {
            text.lowercased().trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))
        }
        let said = plain(speech)
        return offered.first { plain($0.text) == said }
    }

    /// `virtual_agent_ended`, the answer to the waiting step `step`, from the `<Connect>`
    /// action callback: the session's status and what `VirtualAgentProviderData` says.
    static func virtualAgentEnded(_ form: TwilioForm, thread: ThreadRecord, step: String, delivery: String?) -> Event {
        let provider = TwilioJSON.object(form["VirtualAgentProviderData"])
        var data: TemplateMap = ["status": .string(field(form, "VirtualAgentStatus") ?? "failed"), Event.answersStepKey: .string(step)]
        for (key, name) in [("conversation_id", "ConversationId"), ("end_user_id", "EndUserId"),
                            ("handoff_parameters", "AgentHandoffParameters"), ("pause_parameters", "PauseParameters")] {
            if let value = provider[name] { data[key] = value }
        }
        if let code = field(form, "VirtualAgentErrorCode") { data["error_code"] = Int(code).map(TemplateValue.int) ?? .string(code) }
        let error = [field(form, "VirtualAgentError"), field(form, "VirtualAgentProviderError")].compactMap { $0 }
        if !error.isEmpty { data["error"] = .string(error.joined(separator: ": ")) }
        return Event(type: VoiceElements.Event.virtualAgentEnded, threadID: thread.id, sender: .system, userID: "twilio", data: data,
                     idempotencyKey: delivery.map { "twilio-voice:virtual-agent:\($0)" })
    }

    /// `virtual_agent_ended` with status `hangup`, for the step `step` whose session the
    /// caller left by hanging up (`call_status` says how the call ended).
    static func virtualAgentHangup(_ form: TwilioForm, thread: ThreadRecord, step: String) -> Event? {
        guard let status = field(form, "CallStatus"), endedStatuses.contains(status), let call = field(form, "CallSid") else { return nil }
        return Event(type: VoiceElements.Event.virtualAgentEnded, threadID: thread.id, sender: .system, userID: "twilio",
                     data: ["status": "hangup", "call_status": .string(status), Event.answersStepKey: .string(step)],
                     idempotencyKey: "twilio-voice:call:\(call):virtual-agent-hangup")
    }

    /// `virtual_agent_turn` from the virtual agent's statusCallback: what it heard and said.
    static func virtualAgentTurn(_ form: TwilioForm, thread: ThreadRecord, delivery: String?) -> Event {
        let provider = TwilioJSON.object(form["VirtualAgentProviderData"])
        var data: TemplateMap = ["event": .string(field(form, "StatusCallbackEvent") ?? "")]
        for (key, name) in [("resolved_input", "ResolvedInput"), ("reply_text", "ReplyText"), ("intent", "IntentDisplayName"),
                            ("confidence", "Confidence"), ("sentiment", "SentimentAnalysisScore"), ("language", "LanguageCode")] {
            if let value = provider[name] { data[key] = value }
        }
        let key = delivery ?? "\(form["CallSid"] ?? ""):\(form["Timestamp"] ?? ""):\(provider["ResolvedInput"]?.pythonString ?? "")"
        return Event(type: VoiceElements.Event.virtualAgentTurn, threadID: thread.id, sender: .system, userID: "twilio", data: data,
                     idempotencyKey: "twilio-voice:virtual-agent-turn:\(key)")
    }

    /// `hangup` when the status callback says the call is over; nil for a call in progress.
    static func hangup(_ form: TwilioForm, thread: ThreadRecord) -> Event? {
        guard let status = field(form, "CallStatus"), endedStatuses.contains(status), let call = field(form, "CallSid") else { return nil }
        var data: TemplateMap = ["call_status": .string(status)]
        if let duration = field(form, "CallDuration").flatMap(Int.init) { data["call_duration"] = .int(duration) }
        return Event(type: VoiceElements.Event.hangup, threadID: thread.id, sender: .user, userID: thread.userID, data: data,
                     idempotencyKey: "twilio-voice:call:\(call):end")
    }
}
