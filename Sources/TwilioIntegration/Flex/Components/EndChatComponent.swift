import BotRuntime
import FlowDSL

/// `meya.twilio.flex.component.end_chat` (spec §10.2): closes the thread's Flex chat.
///
/// Posts `text` to the agent, marks the channel INACTIVE, and completes the task (cancels it
/// when no agent had accepted) when its workspace is known. (These calls still happen inside
/// the turn, for `flow.result`; moving them onto the outbox is the seam issue's next step.) The thread goes back to bot mode and its links are
/// removed whatever Twilio answers. `flow.result` is `{ok: true}`, or `ok: false` with what
/// failed first (`code`, `message`, `more_info`, `status`).
struct EndChatComponent: ComponentHandler {
    let flex: FlexIntegration

    var types: [String] { [FlexElements.endChatType] }

    func run(_ element: Element, in context: inout ComponentContext) async throws -> ComponentOutcome {
        guard let state = FlexThreadState(scope: context.thread.scope) else {
            return .next(["result": .map(FlexError.noChat.resultFields)])
        }
        let text = try context.renderText(element["text"])
        let settings: FlexSettings
        do {
            let integration = try FlexComponentSupport.integrationElement(of: element, in: context)
            settings = try FlexComponentSupport.settings(of: integration, in: context, flex: flex)
        } catch let error as FlexError {
            FlexIntegration.endHandoff(state, taskEnded: true, in: &context)
            return .next(["result": .map(error.resultFields)])
        }
        // The first failure is what flow.result tells; every call is tried.
        var failure: FlexError?
        func attempt(_ call: () async throws -> Void) async {
            do { try await call() } catch { failure = failure ?? (error as? FlexError ?? .call(.transport(operation: "end_chat", detail: "\(error)"))) }
        }
        let client = flex.client
        if !text.isEmpty {
            await attempt { try await client.sendMessage(settings, channel: state.channelSid, from: FlexIntegration.botIdentity, body: text) }
        }
        await attempt { try await client.closeChannel(settings, channel: state.channelSid) }
        if let task = state.taskSid, let workspace = state.workspaceSid {
            let status = state.accepted ? "completed" : "canceled"
            await attempt { try await client.updateTask(settings, workspace: workspace, task: task, status: status, reason: "chat ended by the bot") }
        }
        FlexIntegration.endHandoff(state, taskEnded: true, in: &context)
        if let failure {
            flex.logger.warning("Flex chat ended with an error", metadata: ["thread": "\(context.thread.id)", "error": "\(failure)"])
            context.emit(FlexEventTypes.error, data: failure.eventData(operation: "end_chat"))
            return .next(["result": .map(failure.resultFields)])
        }
        flex.logger.info("Flex chat ended", metadata: ["thread": "\(context.thread.id)", "channel": "\(state.channelSid)"])
        return .next(["result": .map(["ok": .bool(true)])])
    }
}
