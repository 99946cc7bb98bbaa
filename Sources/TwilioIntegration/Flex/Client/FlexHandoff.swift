import FlowDSL

/// The REST side of a Flex handoff, whichever chat back end the Flex account has: the seam
/// between the handoff's state machine (`FlexIntegration`: the components, `prepare`, the
/// outbox) and one back end's calls: Flex Conversations (`ConversationsHandoff`, the
/// Interactions API) or Programmable Chat (`ProgrammableChatHandoff`, Flex's `/v1/Channels`).
///
/// Each call is one outbox delivery's work: it may be made again after an answer that never
/// came back, so it should do no harm the second time. Errors are `FlexError`s whose
/// descriptions are safe to log and show (no credential).
protocol FlexHandoff: Sendable {
    /// Opens the agent's chat for a user, with the task that routes it to an agent; a back end
    /// that posts the summary and the transcript when the chat opens takes them from
    /// `opening` (and answers `transcript_posted: true`). Answers the chat as Twilio describes
    /// it: `sid` (the chat's, which later calls name) and `task_sid` when Twilio made a task,
    /// with whatever else Twilio told.
    func open(_ request: FlexHandoffRequest, opening: FlexOpening, settings: FlexSettings) async throws(FlexError) -> TemplateMap
    /// Posts one message into the chat as `from` (the user's identity or the bot's), without
    /// Twilio calling the bot back with it, marked with `key` (unique in the chat: the outbox
    /// item it delivers). Where the back end can tell, a message already posted with `key` is
    /// not posted again (`ConversationsAPI.post`; `checkFirst`: an earlier delivery may have).
    func post(_ body: String, from: String, chat: String, key: String, checkFirst: Bool, settings: FlexSettings) async throws(FlexError)
    /// Closes the chat and ends its task as far as the back end lets the bot. Every part is
    /// tried; the first failure is thrown.
    func close(_ closing: FlexClosing, settings: FlexSettings) async throws(FlexError)
}

/// What a back end posts when a chat opens, made at delivery time from the thread.
struct FlexOpening: Sendable, Equatable {
    /// The handoff summary for the agent.
    var summary: String
    /// The conversation so far, message by message (empty when `send_transcript` is off).
    var transcript: [FlexTranscript.Line]
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
    /// What the summary for the agent is made from.
    var summary: FlexSummary
    /// The customer's own conversation, when the thread lives in one (SMS, WhatsApp): it is
    /// handed to Flex as it is, with no chat made for the agent and no transcript.
    var customerConversation: CustomerConversation?

    /// A customer's Twilio conversation, as the Conversations channel keeps it.
    struct CustomerConversation: Sendable, Equatable {
        var sid: String
        /// The interaction channel's type (`sms`, `whatsapp`, `web` …).
        var channelType: String
        /// The customer's address (`+15558675310`, `whatsapp:+…`) or chat identity.
        var address: String
    }

    init(identity: String, userName: String, friendlyName: String, uniqueName: String, taskAttributes: TemplateMap,
         summary: FlexSummary) {
        (self.identity, self.userName, self.friendlyName, self.uniqueName) = (identity, userName, friendlyName, uniqueName)
        self.taskAttributes = taskAttributes
        self.summary = summary
    }

    /// As an outbox payload keeps it.
    var payload: TemplateMap {
        var payload: TemplateMap = [
            "identity": .string(identity), "user_name": .string(userName), "friendly_name": .string(friendlyName),
            "unique_name": .string(uniqueName), "task_attributes": .map(taskAttributes), "summary": .map(summary.payload),
        ]
        if let customer = customerConversation {
            payload["customer_conversation"] = .map(["sid": .string(customer.sid), "channel_type": .string(customer.channelType),
                                                     "address": .string(customer.address)])
        }
        return payload
    }

    /// From an outbox payload; nil when it is incomplete.
    init?(payload: TemplateMap) {
        func text(_ key: String) -> String? { if case .string(let value)? = payload[key] { value } else { nil } }
        guard let identity = text("identity"), let userName = text("user_name"), let friendlyName = text("friendly_name"),
              let uniqueName = text("unique_name"), case .map(let attributes)? = payload["task_attributes"] else { return nil }
        let summary = if case .map(let fields)? = payload["summary"] { FlexSummary(payload: fields) } else {
            FlexSummary(reason: nil, given: nil, userScope: [:], fields: [])
        }
        self.init(identity: identity, userName: userName, friendlyName: friendlyName, uniqueName: uniqueName, taskAttributes: attributes,
                  summary: summary)
        if case .map(let customer)? = payload["customer_conversation"], case .string(let sid)? = customer["sid"],
           case .string(let type)? = customer["channel_type"], case .string(let address)? = customer["address"] {
            customerConversation = CustomerConversation(sid: sid, channelType: type, address: address)
        }
    }
}

/// The chat a closing is about, as the thread's handoff knows it.
struct FlexClosing: Sendable, Equatable {
    /// The chat channel (Programmable Chat) or conversation (`CH…`).
    var chat: String
    /// The task, when its workspace is known (Programmable Chat ends it through TaskRouter).
    var task: FlexTaskEnd?
    /// The interaction (`KD…`) and its channel (`UO…`) (Flex Conversations closes these).
    var interactionSid: String?
    var interactionChannelSid: String?
    /// The conversation is the customer's own (SMS, WhatsApp): it stays open for the bot.
    var keepConversation = false
}

/// How a closed chat's task ends.
struct FlexTaskEnd: Sendable, Equatable {
    var sid: String
    var workspace: String
    /// `completed`, or `canceled` when no agent had accepted.
    var status: String
}
