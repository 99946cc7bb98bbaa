import FlowDSL

/// A vendor integration plugged into the engine (Twilio Flex today; Zendesk or a voice
/// channel next): the components it runs, what it does at the edges of a thread's turns, and
/// the webhooks its service sends.
///
/// One value serves every integration element of its `elementType` in the app; webhook calls
/// name the element they are for. The engine calls the hooks inside the thread's turn, so a
/// thread's hooks never run concurrently and see its events in ledger order.
public protocol Integration: Sendable {
    /// The integration element type it serves (`meya.twilio.flex.integration`).
    var elementType: String { get }
    /// Handlers for the component types it adds (`…flex.component.start_chat`).
    var components: [any ComponentHandler] { get }
    /// Absolute paths it answers besides `/webhooks/{element id}` (a vendor's documented
    /// paths, such as `/twilio/chat/events`), when the app has one element of its type.
    var webhookPaths: [String] { get }
    /// Runs at the start of a turn, before triggers are matched: an integration's own events
    /// may change the thread first (a TaskRouter completion gives the thread back to the bot).
    func prepare(_ event: Event, in context: inout ComponentContext) throws
    /// Runs after a turn committed, still in the thread's order: hand what must leave to the
    /// service (a user's message to the human agent). Must not block: queue the work.
    func turnCommitted(_ turn: CommittedTurn, engine: BotEngine)
    /// Answers one webhook delivery for the integration element `integrationID`.
    func handleWebhook(_ request: WebhookRequest, integrationID: String, engine: BotEngine) async -> WebhookResponse
}

extension Integration {
    public var components: [any ComponentHandler] { [] }
    public var webhookPaths: [String] { [] }
    public func prepare(_ event: Event, in context: inout ComponentContext) throws {}
    public func turnCommitted(_ turn: CommittedTurn, engine: BotEngine) {}
    public func handleWebhook(_ request: WebhookRequest, integrationID: String, engine: BotEngine) async -> WebhookResponse {
        WebhookResponse(status: 404, json: #"{"error":"this integration takes no webhooks"}"#)
    }
}

/// A committed turn as integrations see it: the thread after the turn and the events it
/// filed, inbound first, as the ledger keeps them (vault values as `[vault.KEY]`).
public struct CommittedTurn: Sendable {
    /// The thread as it was saved at the end of the turn.
    public var thread: ThreadRecord
    /// The thread as it was before the turn (nil for a new thread).
    public var previousThread: ThreadRecord?
    /// The inbound event, then every event the turn emitted.
    public var events: [Event]

    public init(thread: ThreadRecord, previousThread: ThreadRecord?, events: [Event]) {
        self.thread = thread
        self.previousThread = previousThread
        self.events = events
    }

    /// The event that started the turn.
    public var inbound: Event { events[0] }
    /// What the turn emitted.
    public var outputs: ArraySlice<Event> { events.dropFirst() }
}
