import BotRuntime
import FlowDSL
import Foundation
import TwilioWire

/// `meya.twilio.flex.component.start_chat` (spec §10.2): hands the thread to a human agent.
///
/// Creates the Flex chat channel (`POST /v1/Channels`) for the thread's user, links the thread
/// to the channel and the task, records the handoff in `thread.flex` and puts the thread in
/// agent mode. `flow.result` is the channel Twilio created with `ok: true`, or on failure
/// `ok: false` with Twilio's `code`, `message`, `more_info` and `status`; the thread then stays
/// with the bot and a `meya.twilio.flex.event.error` event is filed.
struct StartChatComponent: ComponentHandler {
    let flex: FlexIntegration

    var types: [String] { [FlexElements.startChatType] }

    func run(_ element: Element, in context: inout ComponentContext) async throws -> ComponentOutcome {
        do {
            return try await start(element, in: &context)
        } catch let error as FlexError {
            return fail(error, in: &context)
        }
    }

    private func start(_ element: Element, in context: inout ComponentContext) async throws -> ComponentOutcome {
        let integration = try FlexComponentSupport.integrationElement(of: element, in: context)
        if let state = FlexThreadState(scope: context.thread.scope) { throw FlexError.chatAlreadyStarted(channelSid: state.channelSid) }
        let settings = try FlexComponentSupport.settings(of: integration, in: context, flex: flex)
        let threadID = context.thread.id
        let identity = Self.identity(context)
        let userName = Self.displayName(context.userScope) ?? identity
        let friendlyName = try context.renderText(element["chat_friendly_name"])
        var attributes = TemplateMap()
        if case .map(let given) = try context.render(element["task_attributes"]) { attributes = given }
        attributes[FlexDelivery.threadAttribute] = .string(threadID)
        let sendTranscript = try element["send_transcript"].map { try context.render($0).isTruthy } ?? true

        var form = TwilioForm()
        form.append("FlexFlowSid", settings.flexFlowSid)
        form.append("Identity", identity)
        form.append("ChatUserFriendlyName", userName)
        form.append("ChatFriendlyName", friendlyName.isEmpty ? userName : friendlyName)
        form.append("ChatUniqueName", "\(identity)-\(Int(context.event.time.timeIntervalSince1970 * 1000))")
        form.append("PreEngagementData", TemplateValue.map(["friendlyName": .string(userName)]).jsonText)
        form.append("TaskAttributes", TemplateValue.map(attributes).jsonText)
        form.append("LongLived", "false")

        let channel = try await flex.client.createChannel(settings, form: form)
        guard case .string(let channelSid)? = channel["sid"], !channelSid.isEmpty else {
            throw FlexError.call(.invalidResponse(operation: "create_channel", detail: "no channel sid"))
        }
        var taskSid: String?
        if case .string(let sid)? = channel["task_sid"], !sid.isEmpty { taskSid = sid }

        // Events after this step's (and those of later turns) are relayed live; earlier ones
        // go into the transcript.
        let relayAfter = context.event.sequence + context.emitted.count
        let state = FlexThreadState(integrationID: integration.id, channelSid: channelSid, taskSid: taskSid, identity: identity,
                                    sendTranscript: sendTranscript, relayAfter: relayAfter)
        context.link(FlexThreadState.channelLink(channelSid))
        if let taskSid { context.link(FlexThreadState.taskLink(taskSid)) }
        context.setThread(FlexThreadState.scopeKey, state.scopeValue)
        context.setThread("mode", .string("agent"))
        context.emit(EventTypes.mode, data: ["mode": .string("agent")])
        flex.logger.info("Flex chat started", metadata: ["thread": "\(threadID)", "channel": "\(channelSid)",
                                                         "task": "\(taskSid ?? "-")"])

        var result = TemplateMap()
        for key in ["sid", "task_sid", "flex_flow_sid", "user_sid", "url", "account_sid", "date_created", "date_updated"] {
            result[key] = channel[key] ?? TemplateValue.none
        }
        result["ok"] = .bool(true)
        result["status"] = .int(201)
        return .next(["result": .map(result)])
    }

    /// A failed start: the thread stays with the bot; the flow reads why in `flow.result`.
    private func fail(_ error: FlexError, in context: inout ComponentContext) -> ComponentOutcome {
        flex.logger.warning("Flex chat not started", metadata: ["thread": "\(context.thread.id)", "error": "\(error)"])
        var data: TemplateMap = ["text": .string(error.description), "operation": .string("create_channel")]
        if case .call(.twilio(_, let twilio)) = error {
            data["code"] = .int(twilio.code)
            data["status"] = .int(twilio.status)
        }
        context.emit(FlexEventTypes.error, data: data)
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
