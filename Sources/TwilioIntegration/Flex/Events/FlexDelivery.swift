import FlowDSL
import TwilioWire

/// One verified webhook delivery from Twilio (Conversations, Programmable Chat or TaskRouter), read: its
/// kind, what points at the bot's thread, and the key that makes retries harmless.
struct FlexDelivery: Sendable {
    /// The task attribute start_chat adds so that every task event finds its thread.
    static let threadAttribute = "parley_thread_id"

    let form: TwilioForm
    /// `EventType`: `onMessageSent` (Chat) or `reservation.accepted` (TaskRouter).
    let eventType: String
    /// `TaskAttributes`, parsed (empty when absent or not a JSON object).
    let taskAttributes: TemplateMap
    /// `I-Twilio-Idempotency-Token`, the same on retries of one delivery.
    let deliveryToken: String?

    init(form: TwilioForm, deliveryToken: String?) {
        self.form = form
        eventType = form["EventType"] ?? ""
        taskAttributes = TwilioJSON.object(form["TaskAttributes"])
        self.deliveryToken = deliveryToken?.isEmpty == false ? deliveryToken : nil
    }

    /// TaskRouter event types have dots (`task-queue.entered`); Chat's are `onSomething`.
    var isTaskRouter: Bool { eventType.contains(".") }

    /// The thread id start_chat put into the task attributes, if any.
    var threadAttribute: String? {
        if case .string(let id)? = taskAttributes[Self.threadAttribute], !id.isEmpty { return id }
        return nil
    }

    /// The chat: `ChannelSid` (Chat) or `ConversationSid` (Conversations), else the task's
    /// `channelSid` or `conversationSid` attribute (Flex adds them), or the `call_sid` of a
    /// call's task (`<Enqueue>` adds it): a call handed over is its handoff's "chat".
    var channelSid: String? {
        for sid in [form["ChannelSid"], form["ConversationSid"]] {
            if let sid, !sid.isEmpty { return sid }
        }
        for key in ["channelSid", "conversationSid", "call_sid"] {
            if case .string(let sid)? = taskAttributes[key], !sid.isEmpty { return sid }
        }
        return nil
    }

    var taskSid: String? { form["TaskSid"].flatMap { $0.isEmpty ? nil : $0 } }

    /// Twilio's own id for what happened: the message (`MessageSid`), the TaskRouter event
    /// (`Sid`), or the channel at its update time. A retried delivery carries the same one
    /// even when its idempotency token differs; the token is the last resort.
    var idempotencyKey: String? {
        if let message = form["MessageSid"], !message.isEmpty { return "flex:message:\(message)" }
        if isTaskRouter, let sid = form["Sid"], !sid.isEmpty { return "flex:taskrouter:\(sid)" }
        if eventType == "onChannelUpdated", let channel = channelSid, let updated = form["DateUpdated"], !updated.isEmpty {
            return "flex:channel-updated:\(channel):\(updated)"
        }
        if eventType == "onConversationStateUpdated", let channel = channelSid, let updated = form["StateUpdated"], !updated.isEmpty {
            return "flex:conversation-state:\(channel):\(updated)"
        }
        return deliveryToken.map { "flex:delivery:\($0)" }
    }
}
