import BotRuntime
import FlowDSL
import Logging
import Synchronization

/// Twilio Flex for Parley (spec §10): the `meya.twilio.flex.integration` element's runtime.
///
/// - Two back ends (`FlexMode`): Flex Conversations (a conversation routed by the
///   Interactions API) and Programmable Chat (a Flex Flow's chat channel), behind `FlexHandoff`.
/// - Components: `start_chat` opens the agent's chat, with a summary for the agent, and puts
///   the thread in agent mode; `end_chat` gives the thread back to the bot and closes the chat;
///   both call Twilio through the outbox and wait for its answer.
/// - Webhooks (`/webhooks/{id}`, `/twilio/conversations/events`, `/twilio/chat/events`,
///   `/twilio/taskrouter/events`): signed
///   Conversations, Programmable Chat and TaskRouter callbacks become events of the linked
///   thread, accepted durably before the 204.
/// - `prepare`: TaskRouter and channel events change the thread's mode before its triggers are
///   matched, so `event_type:` status flows already run in the new mode.
/// - `outboundWork` / `deliver`: while the thread is in agent mode, the user's messages and the
///   bot's go to the channel through the durable outbox, in order (one lane per channel); the
///   transcript goes when an agent accepts; the components' requests go the same way.
///
/// One value serves every Flex element of the app. Call `shutdown()` when the server stops,
/// after the engine (`BotEngine.stop()`): it closes the HTTP client.
public final class FlexIntegration: TwilioProduct {
    /// The chat identity the bot's own messages (relayed bot text, transcript) are sent as.
    public static let botIdentity = "bot"

    public let elementType = FlexElements.integrationType
    public let vendorWebhooks = [VendorWebhook("/twilio/chat/events"), VendorWebhook("/twilio/taskrouter/events"),
                                 VendorWebhook("/twilio/conversations/events")]

    /// The REST calls of each chat back end a Flex account may have.
    private let conversations: ConversationsHandoff
    private let programmableChat: ProgrammableChatHandoff
    let rest: TwilioRESTClient
    /// Where the server is reached from outside, when known (`IntegrationSetup.publicURL`).
    let publicURL: @Sendable () -> String?
    /// Rewrites the app's settings before use (`TwilioTarget`: the local emulator), or keeps them.
    let settingsOverride: @Sendable (String, TemplateMap) -> TemplateMap
    let logger: Logger
    /// Agents' display names by chat identity, from reservation.accepted (bounded).
    private let agentNames = Mutex<[String: String]>([:])

    public static func register(in registry: inout ElementRegistry) {
        FlexElements.register(in: &registry)
    }

    public convenience init(setup: IntegrationSetup) {
        self.init(setup: setup, retry: TwilioRetryPolicy())
    }

    /// - Parameters:
    ///   - setup: the logger (`parley.flex`: ids, statuses and Twilio error codes only; never
    ///     credentials or message text) and the settings override.
    ///   - retry: how REST calls are timed and retried.
    public init(setup: IntegrationSetup, retry: TwilioRetryPolicy) {
        logger = setup.logger("parley.flex")
        rest = TwilioRESTClient(retry: retry, logger: logger)
        conversations = ConversationsHandoff(rest: rest)
        programmableChat = ProgrammableChatHandoff(rest: rest)
        settingsOverride = setup.settingsOverride
        publicURL = setup.publicURL
    }

    /// The REST calls of the chat back end `settings` name.
    func handoff(_ settings: FlexSettings) -> any FlexHandoff {
        switch settings.mode {
        case .conversations: conversations
        case .programmableChat: programmableChat
        }
    }

    public var components: [any ComponentHandler] {
        [StartChatComponent(flex: self), EndChatComponent(flex: self),
         CspAgentComponents(start: StartChatComponent(flex: self), end: EndChatComponent(flex: self))]
    }

    /// Closes the HTTP client. Call once, after the engine stopped (`BotEngine.stop()`).
    public func shutdown() async {
        await rest.shutdown()
    }

    /// What is wrong with the app's Flex integrations as configured with the engine's vault: a
    /// missing required setting, no credentials (`api_key_sid` + `api_key_secret` or
    /// `auth_token`), no `auth_token` to verify webhooks.
    public func configurationProblems(in engine: BotEngine) -> [String] {
        configurationProblems(in: engine, product: "Twilio Flex") { try settings(of: $0, engine: engine).authToken }
    }

    // MARK: Integration

    /// Keeps the thread's handoff state in step with Flex's events, and judges deliveries that
    /// arrive late or out of order (Twilio promises neither order nor timeliness): an event
    /// of a handoff that is over or of an earlier one, a queue status after the agent joined,
    /// or a TaskRouter event older (`event_ms`) than one already taken means nothing now; it is
    /// filed and no flow runs (`ignoredBecause`). The task's end after the agent closed the
    /// chat is still told, once.
    public func prepare(_ event: Event, in context: inout ComponentContext) throws {
        if prepareStart(event, in: &context) || prepareEnd(event, in: &context) { return }
        guard event.sender == .system, event.type.hasPrefix("meya.twilio.flex.event.") else { return }
        func text(_ key: String) -> String? {
            if case .string(let value)? = event.data[key], !value.isEmpty { return value }
            return nil
        }
        let taskEnds = [FlexElements.Event.reservationCompleted, FlexElements.Event.taskCanceled].contains(event.type)
        if taskEnds, let task = text("task_sid") { context.unlink(FlexThreadState.taskLink(task)) }
        guard var state = FlexThreadState(scope: context.thread.scope) else {
            // No handoff now: the end of one that the agent closed is told once; the rest is late.
            if taskEnds, var ended = FlexEndedHandoff(scope: context.thread.scope), !ended.taskEnded,
               text("task_sid") == ended.taskSid || text("channel_sid") == ended.channelSid {
                ended.taskEnded = true
                context.setThread(FlexEndedHandoff.scopeKey, ended.scopeValue)
            } else {
                context.ignoredBecause = "the handoff this event belongs to is over"
            }
            return
        }
        // Only this handoff's task or channel changes the thread (not a late event of an earlier one).
        let ownTask = text("task_sid").map { $0 == state.taskSid } ?? false
        let ownChannel = text("channel_sid").map { $0 == state.channelSid } ?? false
        guard ownTask || ownChannel else {
            context.ignoredBecause = "an event of an earlier handoff"
            return
        }
        // A call's task is made by its `<Enqueue>`: its first event says which it is.
        if state.taskSid == nil, let task = text("task_sid") {
            state.taskSid = task
            context.link(FlexThreadState.taskLink(task))
            context.setThread(FlexThreadState.scopeKey, state.scopeValue)
        }
        if case .int(let time)? = event.data["event_ms"] {
            if let last = state.lastEventMs, time < last {
                context.ignoredBecause = "older than an event of this task already taken"
                return
            }
            state.lastEventMs = time
        }
        if let workspace = text("workspace_sid") { state.workspaceSid = workspace }
        switch event.type {
        case FlexElements.Event.taskQueueEntered:
            if state.accepted { context.ignoredBecause = "the task was queued before an agent accepted it" }
        case FlexElements.Event.reservationAccepted:
            state.accepted = true
            state.agentName = text("agent_name")
            state.agentIdentity = text("agent_identity")
            if state.sendTranscript { state.transcriptSent = true }
        case FlexElements.Event.reservationCompleted, FlexElements.Event.taskCanceled:
            Self.endHandoff(state, taskEnded: true, in: &context)
            return
        case FlexEventTypes.channelInactive:
            // The chat is closed; the task's own end may still come, and is told then.
            Self.endHandoff(state, taskEnded: false, in: &context)
            return
        default:
            return
        }
        context.setThread(FlexThreadState.scopeKey, state.scopeValue)
    }

    public func handleWebhook(_ request: WebhookRequest, integrationID: String, engine: BotEngine) async -> WebhookResponse {
        await FlexWebhookHandler(flex: self).handle(request, integrationID: integrationID, engine: engine)
    }

    // MARK: Shared by components and webhooks

    /// Gives the thread back to the bot: mode `bot` (with a mode event), the handoff's state
    /// replaced by what late deliveries are judged by (`FlexEndedHandoff`). The channel's link
    /// stays, so that an agent's last message still finds the thread; the task's goes once the
    /// task has ended.
    static func endHandoff(_ state: FlexThreadState, taskEnded: Bool, in context: inout ComponentContext) {
        context.setThread(FlexThreadState.scopeKey, nil)
        context.setThread(FlexEndedHandoff.scopeKey, FlexEndedHandoff(state, taskEnded: taskEnded).scopeValue)
        if let task = state.taskSid, taskEnded { context.unlink(FlexThreadState.taskLink(task)) }
        if context.thread.mode != "bot" {
            context.setThread("mode", .string("bot"))
            context.emit(EventTypes.mode, data: ["mode": .string("bot")])
        }
    }

    /// Remembers how an agent (by chat identity) is shown to users.
    func rememberAgent(identity: String, name: String) {
        agentNames.withLock { names in
            if names.count >= 10_000 { names.removeAll() }
            names[identity] = name
        }
    }

    /// An agent's remembered display name.
    func agentName(identity: String) -> String? {
        agentNames.withLock { $0[identity] }
    }
}
