import BotRuntime
import FlowDSL
import TwilioWire

/// The answer to a turn that handed the call to Flex (`start_chat` on a call: the
/// `enqueue` event): what the bot said first, then `<Enqueue workflowSid="WW…"><Task>{…}</Task>
/// </Enqueue>` (flex-conversations.md §Q6). The task's attributes are the step's
/// `task_attributes` and `parley_thread_id`, the caller (`from`, `customerName`), `name` (the
/// step's `chat_friendly_name`: Flex shows a voice task by its `name`, else its `from`), and the
/// summary for the agent (`conversationSummary`, from the thread's ledger or the app's
/// summarizer, as for a chat) with `handoffReason`. Rendered here, after the turn, with the
/// vault's values (the workflow), which the ledger never holds.
struct VoiceHandoff {
    let flex: FlexIntegration
    let flexIntegrationID: String
    let request: FlexHandoffRequest

    /// The handoff the turn's `outputs` ask for, if any.
    init?(outputs: [Event], engine: BotEngine) {
        guard let event = outputs.last(where: { $0.type == VoiceElements.Event.enqueue }),
              case .string(let id)? = event.data["flex_integration"], case .map(let payload)? = event.data["request"],
              let request = FlexHandoffRequest(payload: payload),
              let flex = engine.integration(serving: FlexElements.integrationType) as? FlexIntegration else { return nil }
        (self.flex, flexIntegrationID, self.request) = (flex, id, request)
    }

    /// The TwiML: what `outputs` said before the handoff, then the call enqueued.
    func twiml(after outputs: [Event], call: VoiceCall, thread: String, settings: VoiceSettings, engine: BotEngine) async throws -> TwiMLElement {
        let flexSettings = try flex.settings(of: flexIntegrationID, engine: engine)
        guard let workflow = settings.workflowSid ?? flexSettings.workflowSid.nilIfBlank else {
            throw StartChatComponent.noWorkflow(flex: flexIntegrationID, voice: settings.integrationID)
        }
        let events = try await engine.events(thread: thread)
        var attributes = request.taskAttributes
        attributes["from"] = attributes["from"] ?? .string(call.caller)
        attributes["customerName"] = attributes["customerName"] ?? .string(request.userName)
        attributes["name"] = attributes["name"] ?? .string(request.friendlyName)
        attributes["conversationSummary"] = .string(await flex.summary(of: request, thread: thread, events: events, settings: flexSettings))
        if let reason = request.summary.reason { attributes["handoffReason"] = .string(reason) }
        let said = outputs.prefix { $0.type != VoiceElements.Event.enqueue }.compactMap { event -> TwiMLElement? in
            guard let text = event.textMessage?.text, !text.isEmpty else { return nil }
            return TwiML.say(text, voice: settings.voice, language: settings.language)
        }
        return TwiML.response(said + [TwiML.enqueue(workflowSid: workflow, task: TwiML.task(TemplateValue.map(attributes).jsonText))])
    }
}
