import BotRuntime
import FlowDSL
import Foundation

/// `parley.twilio.voice.component.virtual_agent`: hands the call to a Dialogflow CX agent
/// through Twilio's `<Connect><VirtualAgent>` (twilio-wire.md §e) and waits, as an `ask` waits,
/// for the session's end. The turn files `virtual_agent_connect`, which the voice webhook
/// answers as TwiML (`VoiceTwiML.connect`); Twilio's action callback comes back as
/// `virtual_agent_ended`, and `flow.result` is its `status` (`completed`, `live-agent-handoff`,
/// `paused`, `failed`), `conversation_id`, `end_user_id`, `handoff_parameters`,
/// `pause_parameters`, `error_code` and `error`; `hangup` when the caller hung up during the
/// session (the call's status callback ends it: `thread.twilio_virtual_agent_session` names
/// the waiting step meanwhile). A flow branches on it as Studio's transitions do.
///
/// A paused session is remembered on the thread (`thread.twilio_virtual_agent`); with
/// `resume: true` the step sends its `resumeEndUserId` (and `resume_event` as
/// `resumeEventName`). Twilio keeps a paused session for 30 minutes, on its call: later, or on
/// another call, the step does not try, and `flow.result` is `failed` with the reason.
struct VirtualAgentComponent: ComponentHandler {
    var types: [String] { [VoiceElements.virtualAgentType] }

    /// The keys of `flow.result`, each there (none when the session's end did not say).
    static let resultKeys = ["status", "conversation_id", "end_user_id", "handoff_parameters", "pause_parameters",
                             "call_status", "error_code", "error"]

    /// How long Twilio keeps a paused session.
    static let resumeWindow: TimeInterval = 30 * 60
    static let pausedKey = "twilio_virtual_agent"
    /// The step waiting for the session's end, while a session runs.
    static let sessionKey = "twilio_virtual_agent_session"

    func run(_ element: Element, in context: inout ComponentContext) async throws -> ComponentOutcome {
        guard let call = VoiceCall(scope: context.thread.scope) else {
            return Self.failed("virtual_agent runs on a phone call; this thread is not one (thread.channel is "
                               + "\(context.thread.scope["channel"].map { $0.pythonString } ?? "unset"))")
        }
        var config = try Self.pairs(element["config"], in: context)
        if try element["resume"].map({ try context.render($0).isTruthy }) ?? false {
            switch Self.pausedSession(context.thread.scope, call: call, now: context.options.clock()) {
            case .failure(let refusal): return Self.failed(refusal.reason)
            case .success(let endUser): config.append(("resumeEndUserId", endUser))
            }
            let event = try element["resume_event"].map { try context.renderText($0) } ?? ""
            if !event.isEmpty { config.append(("resumeEventName", event)) }
        }
        let parameters = try Self.pairs(element["parameters"], in: context)
        context.emit(VoiceElements.Event.connectVirtualAgent, data: [
            "connector_name": .string(try context.renderText(element["connector_name"])),
            "parameters": .list(parameters.map { .list([.string($0.0), .string($0.1)]) }),
            "config": .list(config.map { .list([.string($0.0), .string($0.1)]) }),
            "status_callback": .bool(try element["status_callback"].map { try context.render($0).isTruthy } ?? true),
        ])
        context.setThread(Self.sessionKey, .string(element.id))
        return .wait
    }

    /// The session ended: its outcome is `flow.result`; a pause is remembered for a resume.
    func resume(_ element: Element, answer: Answer, in context: inout ComponentContext) async throws -> ComponentOutcome {
        var given = answer.event.data
        given[Event.answersStepKey] = nil
        let result = Self.result(given)
        context.setThread(Self.sessionKey, nil)
        if result["status"] == .string("paused"), case .string(let endUser)? = result["end_user_id"],
           let call = VoiceCall(scope: context.thread.scope) {
            context.setThread(Self.pausedKey, .map(["end_user_id": .string(endUser), "call_sid": .string(call.callSid),
                                                    "paused_at": .double(context.options.clock().timeIntervalSince1970)]))
        } else if result["status"] != .string("paused") {
            context.setThread(Self.pausedKey, nil)
        }
        return .next(["result": .map(result)])
    }

    /// The end user of the call's session paused less than 30 minutes ago, or why there is none.
    static func pausedSession(_ scope: TemplateMap, call: VoiceCall, now: Date) -> Result<String, ResumeRefusal> {
        guard case .map(let paused)? = scope[pausedKey], case .string(let endUser)? = paused["end_user_id"],
              case .double(let pausedAt)? = paused["paused_at"] else {
            return .failure(ResumeRefusal("there is no paused virtual agent session to resume"))
        }
        guard paused["call_sid"] == .string(call.callSid) else {
            return .failure(ResumeRefusal("the paused session belongs to another call; Twilio resumes a session on its own call only"))
        }
        let age = now.timeIntervalSince1970 - pausedAt
        guard age <= resumeWindow else {
            return .failure(ResumeRefusal("the session was paused \(Int(age / 60)) minutes ago; Twilio keeps a paused session for 30 minutes"))
        }
        return .success(endUser)
    }

    struct ResumeRefusal: Error {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// `flow.result` of a session that was not started: every key there, as after a session.
    static func failed(_ reason: String) -> ComponentOutcome {
        .next(["result": .map(result(["status": .string("failed"), "error": .string(reason)]))])
    }

    /// `flow.result` from what a session's end said: every one of `resultKeys` there, none when not said.
    private static func result(_ said: TemplateMap) -> TemplateMap {
        var result = said
        for key in resultKeys where result[key] == nil { result[key] = TemplateValue.none }
        return result
    }

    /// A map field as (name, text) pairs in its order (`<Parameter>`, `<Config>`).
    static func pairs(_ field: FieldValue?, in context: ComponentContext) throws -> [(String, String)] {
        guard case .map(let map) = try context.render(field) else { return [] }
        return map.map { key, value in
            let text = if case .string(let string) = value { string } else { value.pythonString }
            return (key, text)
        }
    }
}
