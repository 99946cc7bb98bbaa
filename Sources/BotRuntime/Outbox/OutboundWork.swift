import FlowDSL
import Foundation
import OrderedCollections

/// One piece of work a turn sends out of the bot (a message to a Flex channel, a reply SMS), for
/// an integration to deliver after the turn committed. It is written by the store in the same
/// transaction as the turn that caused it, so nothing that left a committed turn is only in
/// memory; it is delivered after the thread's lock is released, never inside a turn.
public struct OutboundWork: Sendable, Equatable {
    /// The element type of the integration that delivers it (`meya.twilio.flex.integration`).
    public var integration: String
    /// Work of one lane is delivered one item after another, in commit order (a Flex channel:
    /// the agent reads messages in the order the user sent them); lanes run in parallel.
    public var lane: String
    /// What to do, in the integration's own words (`send_message`).
    public var kind: String
    /// What the integration needs to do it. Stored as JSON: ledger placeholders for vault
    /// values, never the values themselves.
    public var payload: TemplateMap

    public init(integration: String, lane: String, kind: String, payload: TemplateMap = [:]) {
        self.integration = integration
        self.lane = lane
        self.kind = kind
        self.payload = payload
    }
}

/// Outbound work as the store keeps it until it is delivered.
public struct OutboxItem: Sendable, Equatable {
    /// The store's id: increasing in commit order.
    public var id: Int64
    /// The thread whose turn caused it (a final failure is filed there).
    public var threadID: String
    public var work: OutboundWork
    /// Deliveries tried so far.
    public var attempts: Int
    /// Not delivered before this time (a retry's backoff).
    public var notBefore: Date
    /// Read back from the store (at a start, or taken over from a process that stopped) rather
    /// than offered by the turn that committed it: a process may have been delivering it.
    public var readBack = false

    /// Whether an earlier try may have reached the service (a failed try, whose answer may have
    /// been lost; or a process that stopped mid-delivery): an integration whose call is not
    /// idempotent looks before doing it again.
    public var mayHaveBeenTried: Bool { attempts > 0 || readBack }

    public init(id: Int64, threadID: String, work: OutboundWork, attempts: Int = 0, notBefore: Date = .distantPast) {
        self.id = id
        self.threadID = threadID
        self.work = work
        self.attempts = attempts
        self.notBefore = notBefore
    }
}

/// What came of one delivery (`Integration.deliver`).
public enum DeliveryOutcome: Sendable {
    /// Done. A `reply` (what the service answered, for the thread's flows) is accepted into the
    /// thread's inbox in the same transaction that removes the item: exactly once.
    case delivered(reply: Event? = nil)
    /// Not now (the service is unreachable or busy): tried again later, after `after` if given,
    /// else after the dispatcher's backoff. The lane waits, so its order holds.
    case retry(after: Duration? = nil, reason: String)
    /// Never: the item is dropped and `reply` (an error event, the engine's own if nil) is
    /// filed on the thread, so that flows and the ledger know.
    case failed(reason: String, reply: Event? = nil)
}

extension Event {
    /// The data key of a reply that answers a waiting step: a component that needs the outcome
    /// of its outbound work (Flex's `start_chat` needs the channel Twilio made) sends the work,
    /// waits, and its integration's reply carries the step's element id under this key. The
    /// step then resumes with the reply as its answer, as an `ask` does with the user's.
    public static let answersStepKey = "answers_step"
}
