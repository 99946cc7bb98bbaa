import FlowDSL
import OrderedCollections
import Foundation

/// One thing that happened in a thread: a user message, a bot message, a button click, an
/// agent's message, an integration's event. Everything the runtime takes in and gives out is
/// an `Event`, and every one is kept in the thread's ledger.
public struct Event: Sendable, Equatable {
    /// Meya's event type name (`meya.text.event.say`, `meya.button.event.click` …).
    public var type: String
    public var threadID: String
    /// Who sent it: the user, the bot, an agent or the system.
    public var sender: Sender
    /// The sender's id (the user's id for user events).
    public var userID: String
    /// Event fields (`text`, `buttons`, `button_id` …).
    public var data: TemplateMap
    /// Deliveries with the same key have one effect (a channel's message id, a webhook's id).
    public var idempotencyKey: String?
    /// Sensitive events do not fire triggers with the default `when` (spec §3.1).
    public var isSensitive: Bool
    public var time: Date
    /// Position in the thread's ledger, assigned when the event is appended (0 before).
    public var sequence: Int
    /// For events the bot emitted: the flow and step that did (`flow.pre_chat step 3`). Not
    /// stored in the ledger; for test reports and logs.
    public var origin: String?

    public init(type: String, threadID: String, sender: Sender = .user, userID: String, data: TemplateMap = [:],
                idempotencyKey: String? = nil, isSensitive: Bool = false, time: Date = Date(), sequence: Int = 0) {
        self.type = type
        self.threadID = threadID
        self.sender = sender
        self.userID = userID
        self.data = data
        self.idempotencyKey = idempotencyKey
        self.isSensitive = isSensitive
        self.time = time
        self.sequence = sequence
    }

    /// `data.text` when it is text.
    public var text: String? {
        if case .string(let text)? = data["text"] { return text }
        return nil
    }

    /// The event as flows see it in `flow.event`: `{type, data, id}`.
    public var scopeValue: TemplateValue {
        .map(["type": .string(type), "data": .map(data), "id": .string("\(threadID)#\(sequence)")])
    }
}

/// Who an event comes from (`event_user.type` in templates).
public enum Sender: String, Sendable, Codable, CaseIterable {
    case user, bot, agent, system
}
