import FlowDSL

/// The Twilio Flex integration's element types, as Meya names them (spec §10): the integration
/// element, the `start_chat` / `end_chat` components and the TaskRouter events flows react to.
///
/// Registering them lets `botcli check` validate apps that hand conversations to Flex.
public enum FlexElements {
    public static let integrationType = "meya.twilio.flex.integration"
    public static let startChatType = "meya.twilio.flex.component.start_chat"
    public static let endChatType = "meya.twilio.flex.component.end_chat"
    /// Meya's console-neutral agent steps, run on Flex (`CspAgentComponents`).
    public static let cspAgentRequestType = "meya.csp.component.session.agent.request"
    public static let cspSessionEndType = "meya.csp.component.session.end"

    /// Event types the integration emits into flows.
    public enum Event {
        public static let reservationAccepted = "meya.twilio.flex.event.reservation_accepted"
        public static let reservationCompleted = "meya.twilio.flex.event.reservation_completed"
        public static let taskQueueEntered = "meya.twilio.flex.event.task_queue_entered"
        public static let taskCanceled = "meya.twilio.flex.event.task_canceled"
    }

    /// Adds the Flex element and event types to `registry`.
    public static func register(in registry: inout ElementRegistry) {
        registry.register(integration)
        registry.register(ElementSpec(startChatType, kind: .component, parent: "meya.component.element", fields: [
            FieldSpec("chat_friendly_name", .string, required: true, "what the agent sees before accepting, e.g. name and topic"),
            FieldSpec("task_attributes", .map(.any), "TaskRouter task attributes, for routing"),
            FieldSpec("send_transcript", .bool, "post the conversation so far (default true): as the conversation's first "
                      + "messages (Flex Conversations), or as one message when the agent accepts (Programmable Chat)"),
            FieldSpec("reason", .string, "why the bot hands over, for the agent (`handoffReason`)"),
            FieldSpec("summary", .string, "the summary the agent reads (`conversationSummary`); default: made from the thread"),
            FieldSpec("integration", .integrationReference, "the Flex integration (default: the app's only one)"),
        ], summary: "Hand the thread to a human agent in Twilio Flex."))
        registry.register(ElementSpec(endChatType, kind: .component, parent: "meya.component.element", fields: [
            FieldSpec("text", .string, "a last message to the agent before the channel closes"),
            FieldSpec("integration", .integrationReference),
        ], summary: "Close the Flex chat and give the thread back to the bot."))

        registry.register(ElementSpec(cspAgentRequestType, kind: .component, parent: "meya.component.element",
                                      aliases: ["meya.csp.component.session.agent"], fields: [
            FieldSpec("integration", .integrationReference, required: true, "the agent desk: a Flex integration"),
            FieldSpec("say", .string, "said to the user first"),
            FieldSpec("note", .string, "for the agent: the handoff's reason (`handoffReason`), in the summary"),
            FieldSpec("data", .map(.any), "the task's attributes, for routing"),
            FieldSpec("timeout", .number, "Meya: seconds to wait for an agent (Parley: the task waits in its queue)"),
            FieldSpec("timeout_flow", .flowReference, "Meya: the flow when no agent came in time (not run by Parley)"),
        ], summary: "Meya's agent request: hand the thread to a human agent in Twilio Flex, as `start_chat` does.",
           rules: [timeoutFlowRule]))
        registry.register(ElementSpec(cspSessionEndType, kind: .component, parent: "meya.component.element", fields: [
            FieldSpec("integration", .integrationReference, required: true, "the agent desk: a Flex integration"),
        ], summary: "Meya's session end: close the thread's Flex chat, as `end_chat` does."))

        let attributes = FieldSpec("task_attributes", .map(.any))
        let worker = FieldSpec("worker_attributes", .map(.any))
        registry.register(event: EventTypeSpec(Event.reservationAccepted, dataFields: [FieldSpec("agent_name", .string), attributes, worker],
                                               summary: "an agent accepted the task"))
        registry.register(event: EventTypeSpec(Event.reservationCompleted, dataFields: [attributes, worker],
                                               summary: "the agent completed the task"))
        registry.register(event: EventTypeSpec(Event.taskQueueEntered, dataFields: [
            FieldSpec("task_priority", .string), FieldSpec("task_assignment_status", .string), attributes,
        ], summary: "the task entered a queue"))
        registry.register(event: EventTypeSpec(Event.taskCanceled, dataFields: [attributes, FieldSpec("reason", .string)],
                                               summary: "the task was canceled"))
        registry.register(event: EventTypeSpec(FlexEventTypes.channelInactive, dataFields: [
            FieldSpec("channel_sid", .string), FieldSpec("status", .string),
        ], summary: "the agent closed the Flex chat; the thread is back with the bot"))
        registry.register(event: EventTypeSpec(FlexEventTypes.chatStarted, dataFields: [
            FieldSpec("ok", .bool), FieldSpec("sid", .string), FieldSpec("task_sid", .string), FieldSpec("code", .integer),
            FieldSpec("message", .string),
        ], summary: "Twilio answered start_chat: the channel, or why not"))
        registry.register(event: EventTypeSpec(FlexEventTypes.chatEnded, dataFields: [
            FieldSpec("ok", .bool), FieldSpec("channel_sid", .string), FieldSpec("code", .integer), FieldSpec("message", .string),
        ], summary: "Twilio answered end_chat: the chat is closed, or why not"))
        registry.register(event: EventTypeSpec(FlexEventTypes.error, dataFields: [
            FieldSpec("text", .string), FieldSpec("operation", .string), FieldSpec("code", .integer), FieldSpec("status", .integer),
        ], summary: "a call to Twilio failed after its retries"))
    }

    /// Flex keeps a task queued until an agent takes it or its workflow's timeout cancels it:
    /// Meya's `timeout_flow` has no counterpart, and `botcli check` says what to use instead.
    private static let timeoutFlowRule: ElementSpec.Rule = { element in
        guard element["timeout_flow"] != nil else { return [] }
        return [.init(.warning, "Parley does not run `timeout_flow`: the Flex task waits in its queue until an agent takes it "
                      + "or its TaskRouter workflow's timeout cancels it",
                      hint: "start the flow from a `meya.twilio.flex.event.task_canceled` trigger", at: "timeout_flow")]
    }

    private static var integration: ElementSpec {
        ElementSpec(integrationType, kind: .integration, fields: [
            FieldSpec("account_sid", .string, required: true),
            FieldSpec("api_key_sid", .string), FieldSpec("api_key_secret", .string),
            FieldSpec("auth_token", .string, "also used to verify webhook signatures"),
            FieldSpec("mode", .string, "`conversations` (Flex Conversations) or `programmable_chat`; default: "
                      + "`conversations` when `workspace_sid` is given, else `programmable_chat`"),
            FieldSpec("workspace_sid", .string, "Flex Conversations: the TaskRouter workspace (WS…)"),
            FieldSpec("workflow_sid", .string, "Flex Conversations: the workflow that routes the task (WW…)"),
            FieldSpec("task_channel", .string, "Flex Conversations: the task channel's unique name (default `chat`)"),
            FieldSpec("conversations_service_sid", .string, "Flex Conversations: the Conversations service (IS…); "
                      + "default: the account's default service"),
            FieldSpec("webhook_url", .string, "Flex Conversations: where Twilio sends a conversation's events "
                      + "(default: the server's public URL + /webhooks/<id>)"),
            FieldSpec("summary_fields", .list(.string), "user scope fields the handoff summary names (default name, email, issue)"),
            FieldSpec("summary_messages", .integer, "how many of the user's last messages the summary quotes (default 3)"),
            FieldSpec("summarizer_url", .string, "an endpoint that writes the handoff summary (JSON in, {\"summary\": …} out)"),
            FieldSpec("summarizer_timeout", .number, "seconds the summarizer may take (default 3)"),
            FieldSpec("flex_flow_sid", .string, "Programmable Chat: the Flex Flow (FO…)"),
            FieldSpec("flex_chat_service_sid", .string, "Programmable Chat: the Flex chat service (IS…)"),
            FieldSpec("phone_number", .string), FieldSpec("rehost_media", .bool),
            FieldSpec("agent_command_prefix", .string, "agent messages starting with it are commands (default `/`)"),
            FieldSpec("transcript", .object([
                FieldSpec("count", .integer), FieldSpec("user_prefix", .string), FieldSpec("bot_prefix", .string),
                FieldSpec("agent_prefix", .string), FieldSpec("note_prefix", .string),
            ])),
            FieldSpec("agent", .object([FieldSpec("name", .string), FieldSpec("avatar", .any)])),
            FieldSpec("avatar", .any), FieldSpec("filter", .any), FieldSpec("enabled", .bool),
            FieldSpec("verify_token", .string), FieldSpec("max_attachment_size", .integer),
            FieldSpec("markdown", .any), FieldSpec("typing", .bool),
            FieldSpec("api_base_url", .string, "Twilio's API by default; the local Flex emulator's URL in development"),
        ], summary: "Twilio Flex: hand conversations to human agents.", rules: [modeRule])
    }

    /// The mode's own fields, and the end of Programmable Chat: `botcli check` names the mode
    /// an element means, what it lacks, and what to add to move to Flex Conversations.
    private static let modeRule: ElementSpec.Rule = { element in
        let given = Set(element.fields.keys)
        let explicit: String?
        switch element["mode"] {
        case nil: explicit = nil
        case .value(.string(let text))?: explicit = text
        case let field? where field.constantText != nil: explicit = field.constantText
        default: return []  // a template: its mode is known once rendered
        }
        guard let mode = FlexMode(explicit: explicit, fields: given) else {
            return [.init(.error, "the Flex integration does not say which Flex it talks to: " + FlexMode.problem(explicit: explicit),
                          at: explicit == nil ? nil : "mode")]
        }
        var findings = mode.requiredFields.filter { !given.contains($0) }.map { field in
            ElementSpec.Finding(.error, "the Flex integration (\(mode == .conversations ? "Flex Conversations" : "Programmable Chat")) "
                                + "is missing `\(field):`")
        }
        // An app that names `mode: programmable_chat` has chosen it; one that only names a Flex
        // Flow (as Meya's guide did) is told that Programmable Chat ended.
        if mode == .programmableChat, explicit == nil {
            findings.append(.init(.warning, "Programmable Chat for Flex reached its end of life on \(FlexMode.programmableChatEndOfLife)",
                                  hint: "move to Flex Conversations: add `workspace_sid:` (WS…) and `workflow_sid:` (WW…) and "
                                      + "remove `flex_flow_sid:` / `flex_chat_service_sid:` (or keep it with `mode: programmable_chat`)",
                                  at: "flex_flow_sid"))
        }
        return findings
    }
}
