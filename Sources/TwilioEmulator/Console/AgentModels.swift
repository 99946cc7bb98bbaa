/// A task as the agent API shows it: who is waiting, what the bot attached, who holds it.
///
/// It exists so tests and tools driving the emulator through `AgentClient` read typed values
/// instead of raw JSON.
public struct AgentTask: Sendable, Equatable, Decodable {
    /// `WT…`
    public var sid: String
    /// TaskRouter's `assignment_status`: pending, reserved, assigned, wrapping, completed, canceled.
    public var status: String
    /// The chat's friendly name (`ChatFriendlyName`), what the agent sees before accepting.
    public var friendlyName: String
    /// The task attributes (the bot's `TaskAttributes` merged with Flex's own keys).
    public var attributes: EmulatorJSON
    /// `CH…`: the chat channel of the handoff; `CA…`: the call of a voice task.
    public var channelSid: String
    /// `chat`, or `voice` for a call.
    public var taskChannel: String
    public var customer: Customer?
    public var reservation: ReservationView?
    public var worker: AgentWorker?
    /// The completion or cancellation reason.
    public var reason: String?
    public var dateCreated: String
    /// `TaskVersion`, bumped on every change.
    public var taskVersion: Int

    /// The end user of the handoff.
    public struct Customer: Sendable, Equatable, Decodable {
        public var identity: String
        public var friendlyName: String

        enum CodingKeys: String, CodingKey {
            case identity
            case friendlyName = "friendly_name"
        }
    }

    /// The task's current reservation.
    public struct ReservationView: Sendable, Equatable, Decodable {
        public var sid: String
        public var status: String
    }

    enum CodingKeys: String, CodingKey {
        case sid, status, attributes, customer, reservation, worker, reason
        case friendlyName = "friendly_name"
        case channelSid = "channel_sid"
        case taskChannel = "task_channel"
        case dateCreated = "date_created"
        case taskVersion = "task_version"
    }
}

/// An agent (TaskRouter worker) as the agent API shows it.
public struct AgentWorker: Sendable, Equatable, Decodable {
    public var sid: String
    /// The worker's friendly name, also its chat identity (`alice_40example_2Ecom`).
    public var name: String
    public var displayName: String
    public var attributes: EmulatorJSON

    enum CodingKeys: String, CodingKey {
        case sid, name, attributes
        case displayName = "display_name"
    }
}

/// A chat message as the agent API shows it, with its author's role.
///
/// It exists so tests can read the transcript of a handoff (the bot's and the customer's
/// messages as well as the agent's) in one typed list.
public struct AgentMessage: Sendable, Equatable, Decodable {
    public var sid: String
    public var index: Int
    /// The author's chat identity.
    public var from: String
    /// `agent`, `customer` or `bot`.
    public var role: String
    public var body: String
    public var attributes: EmulatorJSON
    public var mediaSid: String?
    public var dateCreated: String

    enum CodingKeys: String, CodingKey {
        case sid, index, from, role, body, attributes
        case mediaSid = "media_sid"
        case dateCreated = "date_created"
    }
}

/// A chat channel as the agent API shows it.
public struct AgentChannel: Sendable, Equatable, Decodable {
    public var sid: String
    public var friendlyName: String
    public var uniqueName: String?
    public var attributes: EmulatorJSON
    /// The `status` attribute (ACTIVE or INACTIVE); a conversation's state (active, inactive, closed).
    public var status: String?
    public var taskSid: String?
    public var customerIdentity: String

    enum CodingKeys: String, CodingKey {
        case sid, attributes, status
        case friendlyName = "friendly_name"
        case uniqueName = "unique_name"
        case taskSid = "task_sid"
        case customerIdentity = "customer_identity"
    }
}

/// A versioned answer of the agent API: `version` is what to pass as `after` to wait for the
/// next change.
public struct AgentSnapshot<Value: Sendable>: Sendable {
    public var version: Int
    public var value: Value
}
