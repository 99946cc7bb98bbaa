import Foundation
import TwilioWire

/// Calls: what Twilio does with the TwiML a bot answers (twilio-wire.md §e). Each verb is
/// played here in one step; what needs the bot again (a `<Gather>`'s action, a `<Redirect>`, a
/// virtual agent's end) is returned as a `VoiceFetch` for `CallPlayer` to make.
extension EmulatorState {
    /// A request the call makes to the bot, whose answer is the next TwiML.
    struct VoiceFetch: Sendable {
        /// Names the request in `GET /emulator/api/events`: `call.incoming`, `gather.action`, …
        var event: String
        var url: String
        var method: String
        var fields: [(String, String)] = []
        /// Twilio sends the session's turns (statusCallbacks) before its end (this request).
        var afterQueuedWebhooks = false
    }

    /// What the caller does.
    enum CallerInput: Sendable {
        case speech(String)
        case digits(String)
        case silence
    }

    static let resumeWindow: TimeInterval = 30 * 60

    var allCalls: [EmulatedCall] { callOrder.compactMap { calls[$0] } }

    func call(_ sid: String) throws(AgentAPIError) -> EmulatedCall {
        guard let call = calls[sid] else { throw .notFound("no call \(sid)") }
        return call
    }

    /// `from` dials `to`: the call rings, and the number's voice URL is asked what to do.
    func placeCall(from: String, to: String, callerName: String?) throws(AgentAPIError) -> (EmulatedCall, VoiceFetch) {
        guard let number = incomingNumber(phoneNumber: to) else {
            throw .notFound("\(to) is not a number of the account: add it with POST /2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json "
                            + "or `botcli flex emulator --voice-number`")
        }
        guard let url = number.voiceURL else { throw .conflict("\(to) has no VoiceUrl: Twilio would play an error to the caller") }
        guard !from.isEmpty else { throw .badRequest("a call needs the caller's number in `from`") }
        let call = EmulatedCall(sid: TwilioSID.random("CA"), from: from, to: to, callerName: callerName,
                                statusCallbackURL: number.statusCallback, dateCreated: now)
        calls[call.sid] = call
        callOrder.append(call.sid)
        changed()
        return (call, VoiceFetch(event: "call.incoming", url: url, method: number.voiceMethod))
    }

    /// The form of a request about the call: Twilio's standard voice parameters, then `extra`.
    func voiceForm(_ sid: String, extra: [(String, String)]) -> TwilioForm? {
        guard let call = calls[sid] else { return nil }
        var form = TwilioForm()
        for (name, value) in [("AccountSid", configuration.accountSid), ("ApiVersion", "2010-04-01"), ("CallSid", call.sid),
                              ("CallStatus", call.status), ("Called", call.to), ("Caller", call.from)] {
            form.append(name, value)
        }
        if let name = call.callerName { form.append("CallerName", name) }
        for (name, value) in [("Direction", "inbound"), ("From", call.from), ("To", call.to)] + extra { form.append(name, value) }
        return form
    }

    /// The bot's answer to `fetch` (nil: none came): recorded with the webhooks, then played.
    /// Twilio's errors end the call: 11200 without a 2xx answer, 12100 for TwiML that does not read.
    func answered(_ sid: String, fetch: VoiceFetch, form: TwilioForm, token: String, attempt: WebhookDelivery.Attempt,
                  body: [UInt8]?) -> VoiceFetch? {
        let ok = attempt.statusCode.map { (200..<300).contains($0) } ?? false
        deliveries.append(WebhookDelivery(id: deliveries.count + 1, eventType: fetch.event, target: .voice, url: fetch.url, resourceSid: sid,
                                          channelSid: sid, idempotencyToken: token, status: ok ? .delivered : .failed,
                                          attempts: [attempt], fields: form.fields))
        defer { changed() }
        guard var call = calls[sid], !call.isOver else { return nil }
        guard ok, let body else {
            let answer = attempt.statusCode.map { "HTTP \($0)" } ?? attempt.error ?? "no answer"
            return fail(&call, "11200 HTTP retrieval failure: \(fetch.url) answered \(answer)")
        }
        let document: TwiMLElement
        do {
            document = try TwiMLReader.read(body)
        } catch {
            return fail(&call, "12100 Document parse failure: \(error)")
        }
        guard document.name == "Response" else { return fail(&call, "12100 Document parse failure: the root element is <\(document.name)>, not <Response>") }
        if call.status == "ringing" { call.status = "in-progress" }
        calls[sid] = call
        return play(document.children, call: sid, documentURL: fetch.url)
    }

    /// Plays `verbs` in order until one waits for the caller, needs the bot again, or ends the
    /// call; a document that runs out hangs up, as Twilio does.
    func play(_ verbs: [TwiMLElement], call sid: String, documentURL: String) -> VoiceFetch? {
        guard var call = calls[sid] else { return nil }
        defer { if calls[sid]?.isOver == false { calls[sid] = call } }
        func url(_ text: String?) -> String { Self.resolve(text, against: documentURL) }
        for (index, verb) in verbs.enumerated() {
            switch verb.name {
            case "Say":
                call.hear(.bot, verb.text ?? "")
            case "Play":
                call.hear(.system, "(audio: \(verb.text ?? ""))")
            case "Pause":
                continue
            case "Gather":
                for child in verb.children where child.name == "Say" { call.hear(.bot, child.text ?? "") }
                call.activity = .listening(EmulatedCall.Gather(
                    action: url(verb.attributes["action"]), method: verb.attributes["method"] ?? "POST",
                    input: verb.attributes["input"] ?? "dtmf", hints: verb.attributes["hints"],
                    actionOnEmptyResult: verb.attributes["actionOnEmptyResult"] == "true", rest: Array(verbs[(index + 1)...]),
                    documentURL: documentURL))
                return nil
            case "Enqueue":
                if enqueue(verb, call: &call) { return nil }
            case "Connect":
                switch connect(verb, call: &call, action: url(verb.attributes["action"]), rest: Array(verbs[(index + 1)...]),
                               documentURL: documentURL) {
                case .waiting: return nil
                case .fetch(let fetch): return fetch
                case .next: continue
                }
            case "Redirect":
                call.activity = .connecting
                return VoiceFetch(event: "redirect", url: url(verb.text), method: verb.attributes["method"] ?? "POST")
            case "Hangup", "Reject":
                // Written first: the call's end is the last change (the deferred write skips an ended call).
                calls[sid] = call
                endCall(sid, status: verb.name == "Reject" ? "busy" : "completed",
                        note: verb.name == "Reject" ? "the bot rejected the call" : "the bot hung up")
                return nil
            default:
                call.errors.append("12200 Schema validation warning: the emulator does not play <\(verb.name)>; it went on to the next verb")
            }
        }
        calls[sid] = call
        endCall(sid, status: "completed", note: "the TwiML ended, so Twilio hung up")
        return nil
    }

    /// A URL in TwiML, relative to the document's (as Twilio resolves them); none is the document's own.
    static func resolve(_ text: String?, against documentURL: String) -> String {
        guard let text, !text.isEmpty else { return documentURL }
        return URL(string: text, relativeTo: URL(string: documentURL))?.absoluteString ?? text
    }

    /// Ends a call whose bot answered with requests for more than `limit` times in a row.
    func endLoopingCall(_ sid: String, limit: Int) {
        guard var call = calls[sid], !call.isOver else { return }
        _ = fail(&call, "the bot's TwiML asked for \(limit) requests in a row without the caller (a <Redirect> loop?)")
        changed()
    }

    /// Ends a call whose bot could not be reached or read.
    private func fail(_ call: inout EmulatedCall, _ error: String) -> VoiceFetch? {
        call.errors.append(error)
        call.hear(.system, "\"We are sorry, an application error has occurred. Goodbye.\"")
        calls[call.sid] = call
        endCall(call.sid, status: "completed", note: "the call ended on an application error")
        return nil
    }

    /// `<Enqueue workflowSid><Task>{attributes}</Task></Enqueue>`: the call waits on hold for an
    /// agent in a `voice` task with the `<Task>`'s attributes, after the call's own (Twilio adds
    /// `call_sid`, `from`, `to`, … where the `<Task>` does not name them). False when it could
    /// not be enqueued and the next verb plays.
    private func enqueue(_ verb: TwiMLElement, call: inout EmulatedCall) -> Bool {
        guard let workflow = verb.attributes["workflowSid"] else {
            call.errors.append("the emulator enqueues calls only into a TaskRouter workflow (<Enqueue workflowSid>)")
            return false
        }
        guard workflow == configuration.workflowSid else {
            call.errors.append("<Enqueue workflowSid=\"\(workflow)\">: not a workflow of the workspace (\(configuration.workflowSid))")
            return false
        }
        let task = verb.children.first { $0.name == "Task" }
        var attributes: [EmulatorJSON.Member] = []
        if let text = task?.text, !text.isEmpty {
            guard let members = (try? EmulatorJSON(parsing: text))?.members else {
                call.errors.append("<Task> is not a JSON object: \(text.prefix(80))")
                return false
            }
            attributes = members
        }
        let named = Set(attributes.map(\.key))
        let own: [EmulatorJSON.Member] = [
            .init("call_sid", .string(call.sid)), .init("account_sid", .string(configuration.accountSid)), .init("from", .string(call.from)),
            .init("to", .string(call.to)), .init("caller", .string(call.from)), .init("called", .string(call.to)),
            .init("direction", "inbound"), .init("call_status", "in-progress"), .init("api_version", "2010-04-01"),
        ]
        let sid = TwilioSID.random("WT")
        // Flex shows a voice task by its `name` attribute, else by the caller.
        let name = attributes.last { $0.key == "name" }?.value.stringValue
        openTask(sid, attributes: EmulatorJSON.object(own.filter { !named.contains($0.key) } + attributes).text, channelSid: call.sid,
                 friendlyName: name ?? call.callerName ?? call.from, now: Date(), taskChannel: .voice,
                 priority: task?.attributes["priority"].flatMap { Int($0) } ?? 0)
        call.taskSid = sid
        call.activity = .queued
        call.hear(.system, "on hold, waiting for an agent (task \(sid))")
        return true
    }

    // MARK: The caller

    /// What the caller says, presses or leaves silent, as the call's listener takes it.
    func callerInput(_ sid: String, _ input: CallerInput) throws(AgentAPIError) -> VoiceFetch? {
        var call = try self.call(sid)
        defer { changed() }
        switch call.activity {
        case .listening(let gather):
            let fields: [(String, String)]
            switch input {
            case .speech(let text):
                guard gather.input.contains("speech") else { throw .conflict("the <Gather> listens for keys only (input=\"\(gather.input)\")") }
                call.hear(.caller, text)
                fields = [("SpeechResult", text), ("Confidence", "0.92")]
            case .digits(let digits):
                guard gather.input.contains("dtmf") else { throw .conflict("the <Gather> listens for speech only (input=\"\(gather.input)\")") }
                call.hear(.caller, "(presses \(digits))")
                fields = [("Digits", digits)]
            case .silence:
                call.hear(.caller, "(silence)")
                fields = []
            }
            call.activity = .connecting
            calls[sid] = call
            if fields.isEmpty, !gather.actionOnEmptyResult {
                return play(gather.rest, call: sid, documentURL: gather.documentURL)
            }
            return VoiceFetch(event: "gather.action", url: gather.action, method: gather.method, fields: fields)
        case .virtualAgent:
            return virtualAgentTurn(&call, input)
        case .queued, .withAgent:
            if case .speech(let text) = input { call.hear(.caller, text) }
            calls[sid] = call
            return nil
        case .connecting:
            throw .conflict("the bot has not answered the call's last request yet")
        case .ended:
            throw .conflict("call \(sid) has ended")
        }
    }

    /// The caller hangs up.
    func hangUp(_ sid: String) throws(AgentAPIError) -> EmulatedCall {
        let call = try self.call(sid)
        guard !call.isOver else { throw .conflict("call \(sid) has already ended") }
        endCall(sid, status: "completed", note: "the caller hung up")
        changed()
        return calls[sid] ?? call
    }

    /// Ends the call: its status callback is posted; its task is canceled while it waits, or
    /// wraps up when an agent has it. A virtual agent session ends with the call (its end is
    /// the status callback; whether Twilio also posts the `<Connect>` action is not documented).
    func endCall(_ sid: String, status: String, note: String) {
        guard var call = calls[sid], !call.isOver else { return }
        let wasActive = call.status == "in-progress"
        call.activity = .ended
        call.status = status
        call.endedAt = now
        call.hear(.system, note)
        call.statusCallbacks += 1
        calls[sid] = call
        if let taskSid = call.taskSid, let task = tasks[taskSid] {
            switch task.status {
            case .pending, .reserved: cancel(taskSid: taskSid, reason: "The caller hung up")
            case .assigned: wrap(taskSid: taskSid)
            case .wrapping, .completed, .canceled: break
            }
        }
        guard let url = call.statusCallbackURL else { return }
        var extra: [(String, String)] = []
        if wasActive {
            let seconds = max(0, Int(now.timeIntervalSince(call.dateCreated).rounded(.down)))
            extra = [("CallDuration", String(seconds)), ("Duration", String((seconds + 59) / 60))]
        }
        extra += [("Timestamp", TwilioTime.rfc2822(now)), ("CallbackSource", "call-progress-events"),
                  ("SequenceNumber", String(call.statusCallbacks - 1))]
        guard let form = voiceForm(sid, extra: extra) else { return }
        enqueue(.voice, eventType: "call.\(status)", resourceSid: sid, channelSid: sid, form: form, url: url)
    }

    // MARK: The agent

    /// The agent who accepted a voice task is put through to the caller.
    func connectAgent(of task: RouterTask) {
        guard task.taskChannel == .voice, var call = calls[task.channelSid], !call.isOver else { return }
        call.activity = .withAgent
        call.hear(.system, "\(worker(of: task)?.worker.displayName ?? "an agent") answered")
        calls[call.sid] = call
    }

    /// The agent holding a voice task hangs up.
    func agentHangUp(of task: RouterTask) {
        guard task.taskChannel == .voice else { return }
        endCall(task.channelSid, status: "completed", note: "\(worker(of: task)?.worker.displayName ?? "the agent") hung up")
    }

    /// Returns once the call's queued webhooks (its status callbacks, a virtual agent's turns)
    /// are delivered or given up, or the emulator stops.
    func waitUntilSent(channelSid: String) async {
        while !stopped, deliveries.contains(where: { $0.channelSid == channelSid && $0.status == .pending }) {
            _ = await waitForChange(after: version, timeout: .seconds(1))
        }
    }
}
