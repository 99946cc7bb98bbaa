import BotRuntime
import FlowDSL
import Foundation
import TwilioWire

/// `meya.twilio.flex.component.start_chat` (spec §10.2): hands the thread to a human agent.
///
/// The agent's chat (a conversation routed by `POST /v1/Interactions` in Flex Conversations, a
/// chat channel made by `POST /v1/Channels` in Programmable Chat) is opened through the durable
/// outbox, not inside the turn, with a summary for the agent (`FlexSummary`: `reason:`,
/// `summary:`, the user scope fields the integration names): the step sends the request and waits, as an `ask` waits for its answer.
/// Twilio's answer comes back as `parley.twilio.flex.event.chat_started` on the thread:
/// `FlexIntegration.prepare` links the thread to the channel and the task, records the handoff
/// in `thread.flex` and puts the thread in agent mode; then this step resumes. `flow.result` is
/// the channel Twilio created with `ok: true`, or on failure `ok: false` with Twilio's `code`,
/// `message`, `more_info` and `status`; the thread then stays with the bot and a
/// `meya.twilio.flex.event.error` event is filed.
///
/// While the chat is being opened (`thread.flex_starting`), what the user writes starts no
/// flow: in Programmable Chat it is filed and reaches the agent in the transcript; in Flex
/// Conversations, whose transcript is posted as the chat opens, it waits in the inbox and is
/// relayed once the chat is open.
struct StartChatComponent: ComponentHandler {
    let flex: FlexIntegration

    var types: [String] { [FlexElements.startChatType] }

    func run(_ element: Element, in context: inout ComponentContext) async throws -> ComponentOutcome {
        do {
            return try start(element, in: &context)
        } catch let error as FlexError {
            return fail(error, in: &context)
        }
    }

    private func start(_ element: Element, in context: inout ComponentContext) throws -> ComponentOutcome {
        let integration = try FlexComponentSupport.integrationElement(of: element, in: context)
        if let state = FlexThreadState(scope: context.thread.scope) { throw FlexError.chatAlreadyStarted(channelSid: state.channelSid) }
        // The settings are checked now (a missing one fails the step at once); the delivery
        // renders them again (`FlexFlowSid` too), so no vault value is stored with the work.
        let settings = try FlexComponentSupport.settings(of: integration, in: context, flex: flex)
        let identity = Self.identity(context)
        let userName = Self.displayName(context.userScope) ?? identity
        let friendlyName = try context.renderText(element["chat_friendly_name"])
        var attributes = TemplateMap()
        if case .map(let given) = try context.render(element["task_attributes"]) { attributes = given }
        attributes[FlexDelivery.threadAttribute] = .string(context.thread.id)
        // A thread in the customer's own Twilio conversation (SMS, WhatsApp) hands that
        // conversation over: the agent reads its real history, so no transcript is posted.
        let customer = ConversationsThread(scope: context.thread.scope)
        if let customer, settings.mode != .conversations {
            throw FlexError.invalidSetting(integration: integration.id, field: "mode", detail: "this thread is a Twilio conversation "
                                           + "(\(customer.channel)), which only Flex Conversations can take (add `workspace_sid` and `workflow_sid`)")
        }
        let sendTranscript = try customer == nil && (element["send_transcript"].map { try context.render($0).isTruthy } ?? true)

        let summary = FlexSummary(reason: try element["reason"].map { try context.renderText($0) },
                                  given: try element["summary"].map { try context.renderText($0) },
                                  userScope: context.userScope, fields: settings.summary.fields)
        var chat = FlexHandoffRequest(identity: identity, userName: userName, friendlyName: friendlyName.isEmpty ? userName : friendlyName,
                                      uniqueName: "\(identity)-\(Int(context.event.time.timeIntervalSince1970 * 1000))",
                                      taskAttributes: attributes, summary: summary)
        chat.customerConversation = customer.map { .init(sid: $0.conversationSid, channelType: $0.channel, address: $0.customer) }
        if let call = VoiceCall(scope: context.thread.scope) {
            return try enqueue(call, request: chat, integration: integration, settings: settings, in: &context)
        }
        let request: TemplateMap = ["integration_id": .string(integration.id), "identity": .string(identity),
                                    "send_transcript": .bool(sendTranscript), Event.answersStepKey: .string(element.id),
                                    FlexIntegration.transcriptAtOpenKey: .bool(settings.mode == .conversations && customer == nil),
                                    FlexIntegration.sharedConversationKey: .bool(customer != nil)]
        context.send(OutboundWork(integration: flex.elementType, lane: "flex:thread:\(context.thread.id)",
                                  kind: FlexIntegration.Work.createChannel, payload: request.merging(["request": .map(chat.payload)]) { old, _ in old }))
        context.setThread(FlexIntegration.startingKey, .map(request))
        return .wait
    }

    /// Twilio answered (`FlexIntegration.prepare` has taken a successful answer already).
    func resume(_ element: Element, answer: Answer, in context: inout ComponentContext) async throws -> ComponentOutcome {
        var result = FlexComponentSupport.result(of: answer, operation: "create_channel", fields: FlexIntegration.channelFields, in: &context)
        if result["ok"] == .bool(true) { result["status"] = .int(201) }
        return .next(["result": .map(result)])
    }

    /// A start that fails before anything is sent: the thread stays with the bot.
    private func fail(_ error: FlexError, in context: inout ComponentContext) -> ComponentOutcome {
        flex.logger.warning("Flex chat not started", metadata: ["thread": "\(context.thread.id)", "error": "\(error)"])
        context.emit(FlexEventTypes.error, data: error.eventData(operation: "create_channel"))
        return .next(["result": .map(error.resultFields)])
    }

    /// The user's chat identity: the thread's user id (stable across threads and handoffs).
    static func identity(_ context: ComponentContext) -> String {
        if !context.thread.userID.isEmpty { return context.thread.userID }
        if context.event.sender == .user, !context.event.userID.isEmpty { return context.event.userID }
        return context.thread.id
    }

    /// The user's display name from the user scope: `name`, else `first_name` + `last_name`.
    static func displayName(_ scope: TemplateMap) -> String? {
        func text(_ key: String) -> String? {
            if case .string(let value)? = scope[key] {
                let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
                return trimmed.isEmpty ? nil : trimmed
            }
            return nil
        }
        if let name = text("name") { return name }
        let parts = [text("first_name"), text("last_name")].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }
}
