import FlowDSL

/// The REST side of a Flex handoff, whichever chat back end the Flex account has: the seam
/// between the handoff's state machine (`FlexIntegration`: the components, `prepare`, the
/// outbox) and one back end's calls. Programmable Chat (`ProgrammableChatHandoff`, Flex's
/// `/v1/Channels`) is today's; a Flex Conversations one (the Interactions API) sits beside it.
///
/// Each call is one outbox delivery's work: it may be made again after an answer that never
/// came back, so it should do no harm the second time. Errors are `FlexError`s whose
/// descriptions are safe to log and show (no credential).
protocol FlexHandoff: Sendable {
    /// Opens the agent's chat for a user, with the task that routes it to an agent. Answers
    /// the chat as Twilio describes it: `sid` (the chat's, which later calls name) and
    /// `task_sid` when Twilio made a task, with whatever else Twilio told.
    func open(_ request: FlexHandoffRequest, settings: FlexSettings) async throws(FlexError) -> TemplateMap
    /// Posts one message into the chat as `from` (the user's identity or the bot's), without
    /// Twilio calling the bot back with it; `attributes` (JSON) marks it.
    func post(_ body: String, from: String, chat: String, attributes: String?, settings: FlexSettings) async throws(FlexError)
    /// Closes the chat and, when `task` is given, ends its task (`completed`, or `canceled`
    /// when no agent had accepted). Every part is tried; the first failure is thrown.
    func close(chat: String, task: FlexTaskEnd?, settings: FlexSettings) async throws(FlexError)
}

/// What `start_chat` asks for, in the back end's own words once it is sent.
struct FlexHandoffRequest: Sendable, Equatable {
    /// The user's chat identity (stable across handoffs).
    var identity: String
    /// How the agent sees the user.
    var userName: String
    /// The chat's name in Flex.
    var friendlyName: String
    /// Unique per handoff.
    var uniqueName: String
    /// The task's attributes (routing, and `parley_thread_id`).
    var taskAttributes: TemplateMap

    init(identity: String, userName: String, friendlyName: String, uniqueName: String, taskAttributes: TemplateMap) {
        (self.identity, self.userName, self.friendlyName, self.uniqueName) = (identity, userName, friendlyName, uniqueName)
        self.taskAttributes = taskAttributes
    }

    /// As an outbox payload keeps it.
    var payload: TemplateMap {
        ["identity": .string(identity), "user_name": .string(userName), "friendly_name": .string(friendlyName),
         "unique_name": .string(uniqueName), "task_attributes": .map(taskAttributes)]
    }

    /// From an outbox payload; nil when it is incomplete.
    init?(payload: TemplateMap) {
        func text(_ key: String) -> String? { if case .string(let value)? = payload[key] { value } else { nil } }
        guard let identity = text("identity"), let userName = text("user_name"), let friendlyName = text("friendly_name"),
              let uniqueName = text("unique_name"), case .map(let attributes)? = payload["task_attributes"] else { return nil }
        self.init(identity: identity, userName: userName, friendlyName: friendlyName, uniqueName: uniqueName, taskAttributes: attributes)
    }
}

/// How a closed chat's task ends.
struct FlexTaskEnd: Sendable, Equatable {
    var sid: String
    var workspace: String
    /// `completed`, or `canceled` when no agent had accepted.
    var status: String
}
