import FlowDSL
import Logging

/// A vendor integration plugged into the engine (Twilio today; any service that hands
/// conversations over or carries them): the element types it brings, what it checks in the
/// app's configuration, the components it runs, what it does at the edges of a thread's turns,
/// the webhooks its service sends, and its shutdown.
///
/// An app's integrations are a list, and the engine keeps that order: `prepare` runs for each
/// integration in registration order, so with several of them a thread's mode changes the same
/// way in every process. One value serves every integration element of its `elementType`;
/// webhook calls name the element they are for. The engine calls the turn hooks (`prepare`,
/// `outboundWork`) inside the thread's turn, so a thread's hooks never run concurrently and see
/// its events in ledger order; what leaves the bot goes through the durable outbox (`deliver`).
public protocol Integration: Sendable {
    /// Adds the element types it brings (its integration element, components and event types)
    /// to the loader's registry. Static, so that `botcli check` knows them without starting it.
    static func register(in registry: inout ElementRegistry)
    /// A fresh value for one engine (it may hold HTTP clients: `shutdown()` closes them).
    init(setup: IntegrationSetup)
    /// What an operator registers at the vendor for `element` of `app` (empty for an element
    /// of another type), one line each, for `botcli webhooks`: `publicURL` is where the server
    /// is reached, `webhookURL` the element's own `<public URL>/webhooks/<id>`. Static, so
    /// printing it needs no vault, credentials or HTTP client.
    static func setupGuide(for element: Element, in app: BotApp, publicURL: String, webhookURL: String) -> [String]

    /// The integration element type it serves (`meya.twilio.flex.integration`).
    var elementType: String { get }
    /// Handlers for the component types it adds (`…flex.component.start_chat`).
    var components: [any ComponentHandler] { get }
    /// Absolute paths of its service's documented webhooks (`/twilio/chat/events`) besides
    /// `/webhooks/{element id}` and its sub-paths, which always reach it.
    var vendorWebhooks: [VendorWebhook] { get }
    /// What is wrong with the app's elements of its type as configured with the engine's
    /// vault, one sentence each naming the element and the field, never a value. Logged at start.
    func configurationProblems(in engine: BotEngine) -> [String]
    /// Runs at the start of a turn, before triggers are matched: an integration's own events
    /// may change the thread first (a TaskRouter completion gives the thread back to the bot).
    func prepare(_ event: Event, in context: inout ComponentContext) throws
    /// The outbound work a turn causes (a user's message to the human agent), asked for with
    /// the turn as it is about to commit, in the thread's order: the store writes it in the
    /// turn's transaction. Must not block or call out.
    func outboundWork(for turn: CommittedTurn) -> [OutboundWork]
    /// Delivers one item of its outbound work (its own or its components'), after the turn that
    /// caused it committed and outside any turn; items of one lane come one at a time, in
    /// commit order. Says whether it is done, should be tried again, or failed for good.
    func deliver(_ item: OutboxItem, engine: BotEngine) async -> DeliveryOutcome
    /// The event to file when an item it asked to retry ran out of tries (its own error event,
    /// for its flows); nil files the engine's `parley.outbox.event.failed`.
    func failureReply(for item: OutboxItem, reason: String) -> Event?
    /// Answers one webhook delivery for the integration element `integrationID`, on
    /// `/webhooks/{id}`, one of its sub-paths, or one of its `vendorWebhooks` it claimed.
    func handleWebhook(_ request: WebhookRequest, integrationID: String, engine: BotEngine) async -> WebhookResponse
    /// Closes what it holds (HTTP clients). Called once, after the engine stopped (its queued
    /// work stays in the outbox for the next start).
    func shutdown() async
}

extension Integration {
    public static func setupGuide(for element: Element, in app: BotApp, publicURL: String, webhookURL: String) -> [String] { [] }
    public var components: [any ComponentHandler] { [] }
    public var vendorWebhooks: [VendorWebhook] { [] }
    public func configurationProblems(in engine: BotEngine) -> [String] { [] }
    public func prepare(_ event: Event, in context: inout ComponentContext) throws {}
    public func outboundWork(for turn: CommittedTurn) -> [OutboundWork] { [] }
    public func deliver(_ item: OutboxItem, engine: BotEngine) async -> DeliveryOutcome {
        .failed(reason: "\(elementType) delivers no outbound work")
    }
    public func failureReply(for item: OutboxItem, reason: String) -> Event? { nil }
    public func handleWebhook(_ request: WebhookRequest, integrationID: String, engine: BotEngine) async -> WebhookResponse {
        WebhookResponse(status: 404, json: #"{"error":"this integration takes no webhooks"}"#)
    }
    public func shutdown() async {}
}

/// What an integration is made with: the same for every integration of one engine.
public struct IntegrationSetup: Sendable {
    /// The logger for a label (`parley.flex`); the server's handler escapes what it writes.
    public var logger: @Sendable (_ label: String) -> Logger
    /// Rewrites an integration element's rendered settings before the integration uses them.
    /// A development tool points every integration of a vendor at a local emulator this way
    /// (with the emulator's own credentials, so real ones never reach it). None by default.
    public var settingsOverride: @Sendable (_ elementType: String, _ fields: TemplateMap) -> TemplateMap
    /// Where the outside world reaches the server (`--public-url`, else its own address once
    /// it listens), for integrations that register their webhook URL with a vendor; nil while
    /// unknown.
    public var publicURL: @Sendable () -> String?

    public init(logger: @escaping @Sendable (_ label: String) -> Logger = { Logger(label: $0) },
                settingsOverride: @escaping @Sendable (_ elementType: String, _ fields: TemplateMap) -> TemplateMap = { $1 },
                publicURL: @escaping @Sendable () -> String? = { nil }) {
        self.logger = logger
        self.settingsOverride = settingsOverride
        self.publicURL = publicURL
    }
}

/// A documented webhook path of a service (`/twilio/chat/events`), which several integrations
/// may serve: each delivery goes to the first integration, in registration order, whose
/// `claims` accepts it (by what the request carries, e.g. a `ChannelSid` or a `ConversationSid`).
public struct VendorWebhook: Sendable {
    public var path: String
    public var claims: @Sendable (WebhookRequest) -> Bool

    public init(_ path: String, claims: @escaping @Sendable (WebhookRequest) -> Bool = { _ in true }) {
        self.path = path
        self.claims = claims
    }
}

/// A turn as integrations see it when it commits: the thread after the turn and the events it
/// files, inbound first, as the ledger keeps them (vault values as `[vault.KEY]`).
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
