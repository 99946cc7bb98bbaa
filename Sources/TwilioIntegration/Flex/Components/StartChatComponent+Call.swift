import BotRuntime
import FlowDSL

/// `start_chat` on a thread that is a phone call (twilio-wire.md §e, flex-conversations.md
/// §Q6): the call itself is handed over. Nothing is sent through the outbox: the turn files
/// `parley.twilio.voice.event.enqueue`, and the voice webhook that is running this turn answers
/// Twilio with `<Enqueue workflowSid><Task>{attributes}</Task></Enqueue>` (`VoiceHandoff`),
/// the summary for the agent among the attributes. The thread is in agent mode from now on,
/// its handoff state keyed by the call (`thread.flex.channel_sid` is the `CA…`): TaskRouter's
/// events find it by `parley_thread_id` and the call, and the call's end gives it back to
/// the bot. Status lines cannot reach a caller on hold: only the agent talks to them now.
extension StartChatComponent {
    func enqueue(_ call: VoiceCall, request: FlexHandoffRequest, integration: Element, settings: FlexSettings,
                 in context: inout ComponentContext) throws -> ComponentOutcome {
        let voice = context.integration(call.integrationID, type: VoiceElements.integrationType)
        let workflow = try voice?["workflow_sid"].map { try context.renderSecret($0) }.flatMap { TwilioSettingText.text($0) }
        guard workflow != nil || !settings.workflowSid.isEmpty else {
            throw Self.noWorkflow(flex: integration.id, voice: call.integrationID)
        }
        context.emit(VoiceElements.Event.enqueue, data: [
            "flex_integration": .string(integration.id), "request": .map(request.payload),
        ])
        var state = FlexThreadState(integrationID: integration.id, channelSid: call.callSid, taskSid: nil, identity: call.caller,
                                    sendTranscript: false, relayAfter: context.event.sequence)
        // The agent and the caller talk on the call: nothing is relayed, nothing is closed.
        state.sharedConversation = true
        context.link(FlexThreadState.channelLink(call.callSid))
        context.setThread(FlexThreadState.scopeKey, state.scopeValue)
        context.setThread("mode", .string("agent"))
        context.emit(EventTypes.mode, data: ["mode": .string("agent")])
        return .next(["result": .map(["ok": .bool(true), "status": .string("enqueued"), "call_sid": .string(call.callSid)])])
    }

    /// Neither the Flex integration `flex` nor the voice integration `voice` names a workflow.
    static func noWorkflow(flex: String, voice: String) -> FlexError {
        .invalidSetting(integration: flex, field: "workflow_sid",
                        detail: "a call is handed to Flex by a TaskRouter workflow (WW…): set `workflow_sid` here "
                            + "or on the voice integration `\(voice)`")
    }
}
