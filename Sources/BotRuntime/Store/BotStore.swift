import FlowDSL
import Foundation
import OrderedCollections

/// Where the runtime keeps threads, users, the ledger, idempotency keys, the inbox, the outbox
/// and durable timers.
///
/// Three implementations: `MemoryStore` (tests, benchmarks), `SQLiteStore` (the default,
/// durable, one process) and `PostgresStore` (module ParleyPostgres: shared by several
/// processes). A turn's state change and the events it appended are committed together by
/// `commit(_:)`, with the outbound work and timers it caused: after a crash either the whole
/// turn is there or none of it.
public protocol BotStore: Sendable {
    /// Runs one turn of `thread` (from `turnStart` to `commit`) so that no other process
    /// sharing the store runs a turn of that thread meanwhile. In one process the engine's
    /// mailboxes already keep a thread's turns apart: the stores of one process run `body`.
    func withTurnLock<T: Sendable>(thread: String, _ body: () async throws -> T) async throws -> T
    /// How long the inbox and outbox work a process took stays its own while the process does
    /// not renew its claim (it died): after that another process takes it over (see
    /// `pendingInbound()`). nil when one process owns the store: then it is read once, at start.
    var sharedLease: Duration? { get }
    /// The turns other processes sharing the store commit, as they commit (for their live
    /// subscribers here), and their changes to the vault the store keeps; nil for a store one
    /// process owns. One consumer.
    func otherProcessesCommits() -> AsyncStream<CommitNotice>?
    /// Throws when the store cannot serve turns now (a database that does not answer), saying
    /// why without secrets; readiness probes ask it.
    func probe() async throws
    /// Lets go of what the store holds open (a database's connections) once the engine over it
    /// has stopped; nothing is lost. SQLite and memory stores close when released.
    func close() async
    func thread(_ id: String) async throws -> ThreadRecord?
    func userScope(_ id: String) async throws -> TemplateMap
    /// Everything a turn starts from, read at once: the earlier turn that handled
    /// `idempotencyKey` (a duplicate delivery), else the thread (if it exists) and the scope of
    /// its user (or of `user` for a new thread).
    func turnStart(thread: String, user: String, idempotencyKey: String?) async throws -> TurnStart
    /// Writes the turn; returns its outbound work as stored (with the ids the store gave it), in
    /// commit order, for the engine to hand to the dispatcher.
    @discardableResult
    func commit(_ turn: TurnCommit) async throws -> [OutboxItem]
    /// Ledger events of a thread with sequence numbers above `sequence`, oldest first.
    func events(thread: String, after sequence: Int, limit: Int) async throws -> [Event]
    /// The thread an integration linked to `key` (a Flex channel sid), if any.
    func thread(forLink key: String) async throws -> String?

    // The inbox: events accepted before they are handled (webhooks answered at once).

    /// Keeps `event` durably until a turn handles it; returns its inbox id.
    func enqueueInbound(_ event: Event) async throws -> Int64
    /// Events accepted but not yet handled, oldest first (after a restart). A shared store
    /// answers, and claims for this process, only what no live process has claimed: the
    /// entries of a process that stopped renewing its lease.
    func pendingInbound() async throws -> [InboxEntry]
    /// Drops an inbox entry whose event needs no turn (a duplicate delivery).
    func removeInbound(_ id: Int64) async throws

    // A thread's inbox in arrival order across processes (shared stores; the others keep it
    // by their mailboxes and answer false, do nothing, and claim nothing).

    /// Whether the thread has events accepted before inbox entry `id` (before now when nil)
    /// that another process holds or nobody does, and that it has not set aside: the turn of
    /// `id` must come after theirs.
    func inboundAhead(thread: String, before id: Int64?) async throws -> Bool
    /// Gives up this process's hold on an entry that must wait for earlier ones: whoever
    /// handles the thread next (`claimWaitingInbound`) or takes work over claims it.
    func releaseInbound(_ id: Int64) async throws
    /// Marks an entry set aside by an integration (it waits for a turn of its thread, not in
    /// arrival order): later events do not wait for it.
    func setAsideInbound(_ id: Int64) async throws
    /// Claims the thread's released entries for this process, oldest first.
    func claimWaitingInbound(thread: String) async throws -> [InboxEntry]

    // The outbox (`OutboundWork` committed with turns) and durable timers.

    /// Outbound work not yet delivered, in commit order (read once, at start; a shared store
    /// claims only the work of processes that stopped renewing their lease, as for the inbox).
    func pendingOutbox() async throws -> [OutboxItem]
    /// Removes a delivered (or failed) item and, in the same transaction, accepts `reply` into
    /// the inbox; returns the reply's inbox id.
    func finishOutbox(_ id: Int64, reply: Event?) async throws -> Int64?
    /// Records a failed try: `attempts` so far, not again before `notBefore`.
    func postponeOutbox(_ id: Int64, attempts: Int, notBefore: Date) async throws
    /// Timers due at or before `time`, earliest first.
    func dueTimers(at time: Date) async throws -> [StoredTimer]
    /// When the earliest timer falls due, if any is set.
    func nextTimerDue() async throws -> Date?
    /// How much accepted and outbound work is stored and not yet done, by every process that
    /// shares the store (readiness, metrics, tests).
    func backlog() async throws -> StoreBacklog
    /// Removes a timer and, in the same transaction, accepts the event it fired into the inbox;
    /// returns the event's inbox id, or nil when the timer was no longer set (a turn replaced or
    /// cancelled it meanwhile).
    func fireTimer(_ timer: StoredTimer, event: Event) async throws -> Int64?
}

extension BotStore {
    public func withTurnLock<T: Sendable>(thread: String, _ body: () async throws -> T) async throws -> T {
        try await body()
    }

    public var sharedLease: Duration? { nil }

    public func otherProcessesCommits() -> AsyncStream<CommitNotice>? { nil }

    public func inboundAhead(thread: String, before id: Int64?) async throws -> Bool { false }

    public func releaseInbound(_ id: Int64) async throws {}

    public func setAsideInbound(_ id: Int64) async throws {}

    public func claimWaitingInbound(thread: String) async throws -> [InboxEntry] { [] }

    public func close() async {}

    public func probe() async throws {}
}

/// The inbox entry a turn handled was handled meanwhile by another process sharing the store
/// (it took the entry over): the turn is not written, and has no effect.
public struct InboxEntryTaken: Error, CustomStringConvertible, Sendable {
    public let inboxID: Int64
    public init(inboxID: Int64) { self.inboxID = inboxID }
    public var description: String { "inbox entry \(inboxID) was handled by another process" }
}

/// What another process sharing the store committed (`BotStore.otherProcessesCommits()`).
public enum CommitNotice: Sendable, Equatable {
    /// A turn of `thread` filed sequences `turn...last`.
    case turn(thread: String, turn: Int, last: Int)
    /// Another process changed the stored vault: read it again.
    case vault
    /// Notices may have been missed (the connection that hears them was lost and is back):
    /// read every watched thread's ledger, and the vault, again.
    case resync
}

/// Work a store holds that is not done yet (`BotStore.backlog()`).
public struct StoreBacklog: Sendable, Equatable {
    /// Events accepted and not yet handled.
    public var inbox: Int
    /// Outbound work not yet delivered.
    public var outbox: Int
    /// Timers set and not yet fired.
    public var timers: Int

    public init(inbox: Int, outbox: Int, timers: Int) {
        self.inbox = inbox
        self.outbox = outbox
        self.timers = timers
    }
}

/// An event accepted into the inbox and not yet handled.
public struct InboxEntry: Sendable {
    public var id: Int64
    public var event: Event

    public init(id: Int64, event: Event) {
        self.id = id
        self.event = event
    }
}

/// One turn's writes: the thread as it is now, the user scope keys it changed, and the events
/// it appended (the inbound event first).
public struct TurnCommit: Sendable {
    public var thread: ThreadRecord
    /// Changed user-scope keys (nil removes the key); merged, so parallel threads of one user
    /// do not overwrite each other's keys.
    public var userChanges: [String: TemplateValue?]
    public var events: [Event]
    /// The inbound event's sequence number: every event of this turn is filed under it.
    public var turnSequence: Int
    /// Link keys the turn added (true) or removed (false) for this thread.
    public var linkChanges: [String: Bool]
    /// The inbox entry this turn handled, removed in the same transaction.
    public var inboxID: Int64?
    /// Outbound work the turn caused, added to the outbox in commit order.
    public var outbound: [OutboundWork]
    /// The thread's timers the turn set (a timer) or cancelled (nil), by name.
    public var timerChanges: [String: DurableTimer?]

    public init(thread: ThreadRecord, userChanges: [String: TemplateValue?], events: [Event], turnSequence: Int,
                linkChanges: [String: Bool] = [:], inboxID: Int64? = nil, outbound: [OutboundWork] = [],
                timerChanges: [String: DurableTimer?] = [:]) {
        self.thread = thread
        self.userChanges = userChanges
        self.events = events
        self.turnSequence = turnSequence
        self.linkChanges = linkChanges
        self.inboxID = inboxID
        self.outbound = outbound
        self.timerChanges = timerChanges
    }
}

/// What a turn starts from (`BotStore.turnStart`).
public enum TurnStart: Sendable {
    /// The event was handled before, by the turn filed here.
    case duplicate(TurnReceipt)
    /// A new turn: the thread (nil when it does not exist yet) and its user's scope.
    case fresh(thread: ThreadRecord?, userScope: TemplateMap)
}

/// Where an earlier turn was filed, so a duplicate delivery gets the same answer.
public struct TurnReceipt: Sendable, Equatable {
    public var threadID: String
    /// The inbound event's sequence number.
    public var turnSequence: Int
    /// The last event the turn appended.
    public var lastSequence: Int

    public init(threadID: String, turnSequence: Int, lastSequence: Int) {
        self.threadID = threadID
        self.turnSequence = turnSequence
        self.lastSequence = lastSequence
    }
}
