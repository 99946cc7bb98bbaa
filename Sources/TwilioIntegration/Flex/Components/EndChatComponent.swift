import BotRuntime
import FlowDSL

/// `meya.twilio.flex.component.end_chat` (spec §10.2): closes the thread's Flex chat.
///
/// The thread goes back to bot mode and its handoff ends in the step's own turn, whatever
/// Twilio answers later. The closing goes through the durable outbox, in the channel's lane
/// behind the relayed messages still waiting there: `text` is posted to the agent, then the
/// chat is closed: in Flex Conversations the interaction's channel (the task wraps up) and the
/// conversation; in Programmable Chat the channel is marked INACTIVE and the task completed
/// (canceled when no agent had accepted) when its workspace is known. The step waits, as an `ask` does, for Twilio's answer
/// (`parley.twilio.flex.event.chat_ended`); `flow.result` is then `{ok: true}`, or `ok: false`
/// with what failed first (`code`, `message`, `more_info`, `status`) and a
/// `meya.twilio.flex.event.error` is filed. A note that cannot be posted files its own error
/// event and does not stop the closing.
///
/// Meanwhile (`thread.flex_ending`) what the user writes waits in the inbox and is answered
/// after the step's flow went on, in order.
struct EndChatComponent: ComponentHandler {
    let flex: FlexIntegration

    var types: [String] { [FlexElements.endChatType] }

    func run(_ element: Element, in context: inout ComponentContext) async throws -> ComponentOutcome {
        guard let state = FlexThreadState(scope: context.thread.scope) else {
            return .next(["result": .map(FlexError.noChat.resultFields)])
        }
        let text = try context.renderText(element["text"])
        let integration: Element
        do {
            integration = try FlexComponentSupport.integrationElement(of: element, in: context)
            _ = try FlexComponentSupport.settings(of: integration, in: context, flex: flex)
        } catch let error as FlexError {
            FlexIntegration.endHandoff(state, taskEnded: true, in: &context)
            return .next(["result": .map(error.resultFields)])
        }
        let lane = "flex:channel:\(state.channelSid)"
        if !text.isEmpty {
            context.send(OutboundWork(integration: flex.elementType, lane: lane, kind: FlexIntegration.Work.note, payload: [
                "integration_id": .string(integration.id), "channel_sid": .string(state.channelSid), "body": .string(text),
            ]))
        }
        let request: TemplateMap = ["integration_id": .string(integration.id), "channel_sid": .string(state.channelSid),
                                    Event.answersStepKey: .string(element.id)]
        let close = FlexIntegration.closingPayload(state).merging(request) { _, new in new }
        context.send(OutboundWork(integration: flex.elementType, lane: lane, kind: FlexIntegration.Work.closeChat, payload: close))
        FlexIntegration.endHandoff(state, taskEnded: true, in: &context)
        context.setThread(FlexIntegration.endingKey, .map(request))
        return .wait
    }

    /// Twilio answered.
    func resume(_ element: Element, answer: Answer, in context: inout ComponentContext) async throws -> ComponentOutcome {
        .next(["result": .map(FlexComponentSupport.result(of: answer, operation: "close_channel", fields: [], in: &context))])
    }
}
