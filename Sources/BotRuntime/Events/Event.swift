import FlowDSL
import OrderedCollections
import Foundation

/// One thing that happened in a thread: a user message, a bot message, a button click, an
/// agent's message, an integration's event. Everything the runtime takes in and gives out is
/// an `Event`, and every one is kept in the thread's ledger.
public struct Event: Sendable, Equatable {
    /// All fields in one copy-on-write box: events are copied a lot (ledger, results, channels)
    /// and a copy should cost one reference, not one per string.
    private final class Storage: @unchecked Sendable {
        // Mutated only through `mutableStorage`, which copies unless uniquely referenced.
        var type: String
        var threadID: String
        var sender: Sender
        var userID: String
        var data: TemplateMap
        var idempotencyKey: String?
        var isSensitive: Bool
        var time: Date
        var sequence: Int
        var origin: Origin?

        init(type: String, threadID: String, sender: Sender, userID: String, data: TemplateMap, idempotencyKey: String?,
             isSensitive: Bool, time: Date, sequence: Int, origin: Origin?) {
            self.type = type
            self.threadID = threadID
            self.sender = sender
            self.userID = userID
            self.data = data
            self.idempotencyKey = idempotencyKey
            self.isSensitive = isSensitive
            self.time = time
            self.sequence = sequence
            self.origin = origin
        }

        func copy() -> Storage {
            Storage(type: type, threadID: threadID, sender: sender, userID: userID, data: data, idempotencyKey: idempotencyKey,
                    isSensitive: isSensitive, time: time, sequence: sequence, origin: origin)
        }
    }

    /// Where a bot event came from, kept as its parts: made into text only when a report asks.
    private enum Origin: Sendable {
        case text(String)
        case step(flow: String, index: Int)

        var text: String {
            switch self {
            case .text(let text): text
            case .step(let flow, let index): "\(flow) step \(index)"
            }
        }
    }

    private var storage: Storage

    private var mutableStorage: Storage {
        mutating get {
            if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
            return storage
        }
    }

    public init(type: String, threadID: String, sender: Sender = .user, userID: String, data: TemplateMap = [:],
                idempotencyKey: String? = nil, isSensitive: Bool = false, time: Date = Date(), sequence: Int = 0) {
        storage = Storage(type: type, threadID: threadID, sender: sender, userID: userID, data: data, idempotencyKey: idempotencyKey,
                          isSensitive: isSensitive, time: time, sequence: sequence, origin: nil)
    }

    /// Meya's event type name (`meya.text.event.say`, `meya.button.event.click` …).
    public var type: String {
        get { storage.type }
        set { mutableStorage.type = newValue }
    }
    public var threadID: String {
        get { storage.threadID }
        set { mutableStorage.threadID = newValue }
    }
    /// Who sent it: the user, the bot, an agent or the system.
    public var sender: Sender {
        get { storage.sender }
        set { mutableStorage.sender = newValue }
    }
    /// The sender's id (the user's id for user events).
    public var userID: String {
        get { storage.userID }
        set { mutableStorage.userID = newValue }
    }
    /// Event fields (`text`, `buttons`, `button_id` …).
    public var data: TemplateMap {
        get { storage.data }
        set { mutableStorage.data = newValue }
    }
    /// Deliveries with the same key have one effect (a channel's message id, a webhook's id).
    public var idempotencyKey: String? {
        get { storage.idempotencyKey }
        set { mutableStorage.idempotencyKey = newValue }
    }
    /// Sensitive events do not fire triggers with the default `when` (spec §3.1).
    public var isSensitive: Bool {
        get { storage.isSensitive }
        set { mutableStorage.isSensitive = newValue }
    }
    public var time: Date {
        get { storage.time }
        set { mutableStorage.time = newValue }
    }
    /// Position in the thread's ledger, assigned when the event is appended (0 before).
    public var sequence: Int {
        get { storage.sequence }
        set { mutableStorage.sequence = newValue }
    }
    /// For events the bot emitted: the flow and step that did (`flow.pre_chat step 3`). Not
    /// stored in the ledger; for test reports and logs.
    public var origin: String? {
        get { storage.origin?.text }
        set { mutableStorage.origin = newValue.map(Origin.text) }
    }

    /// Sets `origin` to `flow step index` without making the text (every bot event has one).
    mutating func setOrigin(flow: String, step index: Int) {
        mutableStorage.origin = .step(flow: flow, index: index)
    }

    public static func == (lhs: Event, rhs: Event) -> Bool {
        lhs.storage === rhs.storage || (lhs.type == rhs.type && lhs.threadID == rhs.threadID && lhs.sender == rhs.sender
            && lhs.userID == rhs.userID && lhs.data == rhs.data && lhs.idempotencyKey == rhs.idempotencyKey
            && lhs.isSensitive == rhs.isSensitive && lhs.time == rhs.time && lhs.sequence == rhs.sequence && lhs.origin == rhs.origin)
    }

    /// `data.text` when it is text.
    public var text: String? {
        if case .string(let text)? = storage.data["text"] { return text }
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
