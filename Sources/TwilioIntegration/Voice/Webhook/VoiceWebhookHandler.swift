import BotRuntime
import FlowDSL
import TwilioWire

/// Answers one voice webhook for a voice integration. Unlike messaging, the bot's turn is the
/// answer: Twilio plays the TwiML it gets back, so the turn runs before the HTTP response.
///
/// 1. The `X-Twilio-Signature` is checked (`TwilioWebhook.verified`): missing or wrong, 403.
/// 2. The incoming call (`…/incoming`) starts the call's thread with `call_start`; a `<Gather>`
///    result (`…/gather`) is the caller's answer, or `no_input`. The turn runs
///    (`BotEngine.handle`: a retried delivery with the same idempotency token is answered from
///    the ledger, nothing runs twice) and its outputs are answered as TwiML (`VoiceTwiML`).
///    A silence no flow answers is asked again twice, then the bot says goodbye and hangs up.
/// 3. The status callback (`…/status`) of an ended call files `hangup`, accepted durably
///    before the 204.
struct VoiceWebhookHandler {
    let integration: VoiceIntegration

    /// How many silences in a row end the call when no flow answers them.
    static let maxNoInputs = 3

    func handle(_ request: WebhookRequest, integrationID: String, engine: BotEngine) async -> WebhookResponse {
        let logger = integration.logger
        let form: TwilioForm, fields: TemplateMap
        switch TwilioWebhook.verified(request, integrationID: integrationID, logger: logger, fields: {
            try integration.fields(of: integrationID, engine: engine)
        }) {
        case .refused(let refusal): return refusal
        case .verified(let verified, let read): (form, fields) = (verified, read)
        }
        guard let webhook = Self.webhook(of: request.path, integrationID: integrationID) else {
            return TwilioWebhook.answer(404, "not a voice webhook: use …/incoming, …/gather, …/status or …/virtual-agent/action|status")
        }
        guard let call = VoiceEventMapper.field(form, "CallSid") else { return TwilioWebhook.answer(400, "no CallSid") }
        let settings = VoiceSettings(integrationID: integrationID, fields: fields)
        let base = request.publicBaseURL + Self.basePath(of: request.path, integrationID: integrationID)
        let delivery = request.header("I-Twilio-Idempotency-Token")
        do {
            let thread = try await engine.thread(VoiceCall.threadID(call: call))
            switch webhook {
            case .status:
                guard let thread, let hangup = VoiceEventMapper.hangup(form, thread: thread) else { return TwilioWebhook.accepted }
                // A caller who hangs up on the virtual agent ends its session: the waiting step hears it first.
                if case .string(let step)? = thread.scope[VirtualAgentComponent.sessionKey],
                   let ended = VoiceEventMapper.virtualAgentHangup(form, thread: thread, step: step) {
                    try await engine.accept(ended)
                }
                try await engine.accept(hangup)
                return TwilioWebhook.accepted
            case .incoming:
                return try await start(form, integrationID: integrationID, engine: engine, settings: settings, base: base)
            case .gather:
                guard let thread else {
                    // A call the store does not know (its thread was lost): start it over.
                    return try await start(form, integrationID: integrationID, engine: engine, settings: settings, base: base)
                }
                return try await answer(form, thread: thread, delivery: delivery, engine: engine, settings: settings, base: base)
            case .virtualAgentStatus:
                guard let thread else { return TwilioWebhook.accepted }
                try await engine.accept(VoiceEventMapper.virtualAgentTurn(form, thread: thread, delivery: delivery))
                return TwilioWebhook.accepted
            case .virtualAgentAction:
                guard let thread else { return VoiceTwiML.response(VoiceTwiML.answer(to: [], settings: settings, base: base)) }
                // The waiting step (none on a retry of a delivery taken: its turn answers again, from the ledger).
                let ended = VoiceEventMapper.virtualAgentEnded(form, thread: thread, step: thread.waiting?.elementID ?? "", delivery: delivery)
                let result = try await engine.handle(ended)
                return try await response(to: result.outputs, thread: thread.id, engine: engine, settings: settings, base: base)
            }
        } catch {
            logger.error("voice webhook: turn failed", metadata: ["call": "\(call)", "error": "\(error)"])
            return TwilioWebhook.answer(500, "the bot could not answer; the server log has the details")
        }
    }

    private func start(_ form: TwilioForm, integrationID: String, engine: BotEngine, settings: VoiceSettings,
                       base: String) async throws -> WebhookResponse {
        guard let event = VoiceEventMapper.callStart(form, integrationID: integrationID) else {
            return TwilioWebhook.answer(400, "an incoming call needs CallSid and From")
        }
        let result = try await engine.handle(event)
        return try await response(to: result.outputs, thread: event.threadID, engine: engine, settings: settings, base: base)
    }

    /// What the caller hears of a turn's `outputs`: the call handed to a virtual agent or to
    /// Flex, or the bot's messages and a `<Gather>` for the answer.
    private func response(to outputs: [Event], thread: String, engine: BotEngine, settings: VoiceSettings,
                          base: String) async throws -> WebhookResponse {
        if outputs.contains(where: { $0.type == VoiceElements.Event.connectVirtualAgent }) {
            return VoiceTwiML.response(VoiceTwiML.connect(after: outputs, settings: settings, base: base))
        }
        if let handoff = VoiceHandoff(outputs: outputs, engine: engine),
           let call = try await engine.thread(thread).flatMap({ VoiceCall(scope: $0.scope) }) {
            return VoiceTwiML.response(try await handoff.twiml(after: outputs, call: call, thread: thread, settings: settings, engine: engine))
        }
        return VoiceTwiML.response(VoiceTwiML.answer(to: outputs, settings: settings, base: base))
    }

    private func answer(_ form: TwilioForm, thread: ThreadRecord, delivery: String?, engine: BotEngine, settings: VoiceSettings,
                        base: String) async throws -> WebhookResponse {
        let recent = try await engine.events(thread: thread.id, after: max(0, thread.lastSequence - 40), limit: 40)
        let noInputs = Self.silences(endingAt: recent)
        let event = VoiceEventMapper.answer(form, thread: thread, offered: OfferedChoices.last(in: recent), noInputs: noInputs,
                                            delivery: delivery)
        let result = try await engine.handle(event)
        let spoken = result.outputs.contains { $0.textMessage != nil }
        guard event.type == VoiceElements.Event.noInput, !spoken else {
            return try await response(to: result.outputs, thread: thread.id, engine: engine, settings: settings, base: base)
        }
        // A silence no flow answered: the last question again, or goodbye.
        guard noInputs + 1 < Self.maxNoInputs else { return VoiceTwiML.response(VoiceTwiML.hangUp(settings: settings)) }
        return VoiceTwiML.response(VoiceTwiML.answer(to: Self.lastQuestion(in: recent), settings: settings, base: base,
                                                     preface: VoiceTwiML.notHeard))
    }

    /// How many `no_input`s end `events`, after the caller's last other event.
    static func silences(endingAt events: [Event]) -> Int {
        var count = 0
        for event in events.reversed() where event.sender == .user {
            guard event.type == VoiceElements.Event.noInput else { break }
            count += 1
        }
        return count
    }

    /// The last message the bot said after the caller's last event other than a silence (with
    /// the choices it offered): the question that is asked again.
    static func lastQuestion(in events: [Event]) -> [Event] {
        let start = events.lastIndex { $0.sender == .user && $0.type != VoiceElements.Event.noInput }.map { $0 + 1 } ?? 0
        return events[start...].last { event in
            event.sender != .user && event.textMessage != nil
        }.map { [$0] } ?? []
    }

    /// Which webhook `path` is: by how it ends, or the incoming call on `/webhooks/{id}` itself.
    static func webhook(of path: String, integrationID: String) -> VoiceEventMapper.Webhook? {
        if path == "/webhooks/\(integrationID)" { return .incoming }
        return VoiceEventMapper.Webhook.allCases.first { path.hasSuffix("/" + $0.rawValue) }
    }

    /// The path the call's webhooks share (`/twilio/voice`, `/webhooks/{id}`), so that the
    /// TwiML names the webhooks where the call came in.
    static func basePath(of path: String, integrationID: String) -> String {
        guard let webhook = webhook(of: path, integrationID: integrationID), path != "/webhooks/\(integrationID)" else { return path }
        return String(path.dropLast(webhook.rawValue.count + 1))
    }
}
