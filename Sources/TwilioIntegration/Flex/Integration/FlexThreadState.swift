import FlowDSL

/// What a thread in a Flex handoff remembers, kept in its `thread` scope under `flex`
/// (`thread.flex.channel_sid` in templates). Nothing in it is secret: sids, the user's chat
/// identity, the agent's display name, flags.
public struct FlexThreadState: Sendable, Equatable {
    /// The thread scope key.
    public static let scopeKey = "flex"

    /// The integration element that started the chat.
    public var integrationID: String
    public var channelSid: String
    public var taskSid: String?
    /// The user's chat identity (`Identity` of `/v1/Channels`): messages from it are echoes.
    public var identity: String
    public var sendTranscript: Bool
    /// The last ledger sequence before the handoff: later user and bot messages are relayed
    /// live, earlier ones go into the transcript.
    public var relayAfter: Int
    /// Flex Conversations: the interaction (`KD…`) and its channel (`UO…`), closed by end_chat.
    public var interactionSid: String?
    public var interactionChannelSid: String?
    /// The TaskRouter workspace, learnt from the task's events (to complete the task).
    public var workspaceSid: String?
    /// The agent who accepted, as shown to the user, and their chat identity.
    public var agentName: String?
    public var agentIdentity: String?
    /// Whether an agent accepted the task.
    public var accepted: Bool
    /// Whether the transcript was queued (once per handoff).
    public var transcriptSent: Bool
    /// The time (ms) of the latest TaskRouter event taken: an older one arriving later is stale.
    public var lastEventMs: Int?
    /// The chat is the customer's own Twilio conversation (SMS, WhatsApp): the agent and the
    /// customer talk in it directly, so nothing is relayed, and it stays open at the end.
    public var sharedConversation = false

    public init(integrationID: String, channelSid: String, taskSid: String?, identity: String, sendTranscript: Bool,
                relayAfter: Int) {
        self.integrationID = integrationID
        self.channelSid = channelSid
        self.taskSid = taskSid
        self.identity = identity
        self.sendTranscript = sendTranscript
        self.relayAfter = relayAfter
        accepted = false
        transcriptSent = false
    }

    /// The state in a thread scope, if the thread is in a handoff.
    public init?(scope: TemplateMap) {
        guard case .map(let map)? = scope[Self.scopeKey] else { return nil }
        func text(_ key: String) -> String? {
            if case .string(let value)? = map[key], !value.isEmpty { return value }
            return nil
        }
        guard let integrationID = text("integration_id"), let channelSid = text("channel_sid"),
              let identity = text("identity") else { return nil }
        self.integrationID = integrationID
        self.channelSid = channelSid
        self.identity = identity
        taskSid = text("task_sid")
        sendTranscript = map["send_transcript"]?.isTruthy ?? true
        if case .int(let sequence)? = map["relay_after"] { relayAfter = sequence } else { relayAfter = 0 }
        interactionSid = text("interaction_sid")
        interactionChannelSid = text("interaction_channel_sid")
        workspaceSid = text("workspace_sid")
        agentName = text("agent_name")
        agentIdentity = text("agent_identity")
        accepted = map["accepted"]?.isTruthy ?? false
        transcriptSent = map["transcript_sent"]?.isTruthy ?? false
        if case .int(let time)? = map["last_event_ms"] { lastEventMs = time }
        sharedConversation = map["shared_conversation"]?.isTruthy ?? false
    }

    /// The state as the thread scope keeps it.
    public var scopeValue: TemplateValue {
        var map: TemplateMap = [
            "integration_id": .string(integrationID), "channel_sid": .string(channelSid),
            "task_sid": taskSid.map(TemplateValue.string) ?? .none, "identity": .string(identity),
            "send_transcript": .bool(sendTranscript), "relay_after": .int(relayAfter),
            "accepted": .bool(accepted), "transcript_sent": .bool(transcriptSent),
        ]
        if let interactionSid { map["interaction_sid"] = .string(interactionSid) }
        if let interactionChannelSid { map["interaction_channel_sid"] = .string(interactionChannelSid) }
        if let workspaceSid { map["workspace_sid"] = .string(workspaceSid) }
        if let agentName { map["agent_name"] = .string(agentName) }
        if let agentIdentity { map["agent_identity"] = .string(agentIdentity) }
        if let lastEventMs { map["last_event_ms"] = .int(lastEventMs) }
        if sharedConversation { map["shared_conversation"] = .bool(true) }
        return .map(map)
    }

    /// Link keys (`ComponentContext.link`) that find the thread from a webhook.
    public static func channelLink(_ sid: String) -> String { "flex:channel:\(sid)" }
    public static func taskLink(_ sid: String) -> String { "flex:task:\(sid)" }
}

/// What a thread remembers of its last handoff once it ended (`thread.flex_ended`), so that a
/// delivery arriving after the end is judged rather than dropped: the agent's last message
/// still reaches the user, a late queue status does not, and the task's end is told once.
public struct FlexEndedHandoff: Sendable, Equatable {
    public static let scopeKey = "flex_ended"

    public var channelSid: String
    public var taskSid: String?
    /// The user's chat identity: messages from it are echoes.
    public var identity: String
    public var agentName: String?
    /// Whether the task's own end (reservation completed, task canceled) was taken yet.
    public var taskEnded: Bool

    public init(_ state: FlexThreadState, taskEnded: Bool) {
        channelSid = state.channelSid
        taskSid = state.taskSid
        identity = state.identity
        agentName = state.agentName
        self.taskEnded = taskEnded
    }

    public init?(scope: TemplateMap) {
        guard case .map(let map)? = scope[Self.scopeKey], case .string(let channel)? = map["channel_sid"],
              case .string(let identity)? = map["identity"] else { return nil }
        channelSid = channel
        self.identity = identity
        if case .string(let task)? = map["task_sid"] { taskSid = task }
        if case .string(let name)? = map["agent_name"] { agentName = name }
        taskEnded = map["task_ended"]?.isTruthy ?? true
    }

    public var scopeValue: TemplateValue {
        var map: TemplateMap = ["channel_sid": .string(channelSid), "identity": .string(identity), "task_ended": .bool(taskEnded)]
        if let taskSid { map["task_sid"] = .string(taskSid) }
        if let agentName { map["agent_name"] = .string(agentName) }
        return .map(map)
    }
}
