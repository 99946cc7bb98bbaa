import FlowDSL
import Foundation
import OrderedCollections

/// The turn in progress as a component sees it: the scopes it may read and write, the
/// triggering event, and the events emitted so far. Templates render against it.
public struct ComponentContext: Sendable {
    /// The event that started this turn.
    public let event: Event
    public internal(set) var thread: ThreadRecord
    public internal(set) var userScope: TemplateMap
    /// Scope of the running flow.
    public internal(set) var flowScope: TemplateMap {
        didSet { syncFlowScope() }
    }
    /// The running flow's id.
    public internal(set) var flowID: String
    /// The index of the step being run.
    public internal(set) var stepIndex = 0
    /// Events emitted this turn, as the ledger keeps them and as the user is shown them.
    public internal(set) var emitted: [(kept: Event, shown: Event)] = []
    /// The app being run.
    public var app: BotApp { runtime.app }
    /// Engine settings (delays, budget …).
    public let options: EngineOptions
    /// Invalid answers given so far to the step being resumed.
    public internal(set) var attempts = 0
    /// Why the turn's event means nothing now, as an integration's `prepare` judged it (a late
    /// delivery: a queue status after the agent joined, an event of a handoff that ended). The
    /// event is filed with the reason (`data.ignored`) and no trigger runs for it.
    public var ignoredBecause: String?
    /// Why the turn's event is early, as an integration's `prepare` judged it (a callback about
    /// a chat whose creation Twilio has not answered yet): the event stays in the inbox,
    /// unfiled, and is handled again after the thread's next turn. An event handled directly
    /// (`BotEngine.handle`) is put in the inbox then, and its turn answers with no outputs.
    public var deferredBecause: String?

    let runtime: RuntimeApp
    let vault: VaultScope
    private(set) var userChanges: [String: TemplateValue?] = [:]
    private(set) var linkChanges: [String: Bool] = [:]
    private(set) var outbound: [OutboundWork] = []
    private(set) var timerChanges: [String: DurableTimer?] = [:]
    private var context: TemplateContext

    init(event: Event, thread: ThreadRecord, userScope: TemplateMap, runtime: RuntimeApp, vault: VaultScope,
         base: TemplateContext, options: EngineOptions) {
        self.event = event
        self.thread = thread
        self.userScope = userScope
        self.runtime = runtime
        self.vault = vault
        self.options = options
        flowScope = [:]
        flowID = ""
        context = base
        context["thread"] = .map(thread.scope)
        context["user"] = .map(userScope)
        if runtime.readsEventScope {
            let eventUser: TemplateValue = .map(["type": .string(event.sender.rawValue), "id": .string(event.userID)])
            context["event"] = event.scopeValue
            context["event_user"] = eventUser
        }
    }

    /// The context with the real vault values, for what users are shown and integrations send.
    private var secretContext: TemplateContext {
        var secret = context
        secret["vault"] = vault.values
        secret.sensitive = vault.sensitive
        return secret
    }

    // MARK: Rendering

    /// Renders a field for the ledger and the scopes: vault values appear as `[vault.KEY]`.
    public func render(_ field: FieldValue?) throws(TemplateRenderError) -> TemplateValue {
        guard let field else { return .none }
        return try field.render(context)
    }

    /// Renders text the user is shown: the user sees vault values and sensitive values, the
    /// ledger keeps placeholders and `[redacted]`.
    public func renderShown(_ field: FieldValue?) throws(TemplateRenderError) -> (kept: TemplateValue, shown: TemplateValue) {
        guard let field else { return (.none, .none) }
        let kept = try field.render(context)
        let sealed = SensitiveValues.holdsToken(kept)
        guard sealed || vault.hasValues && field.readsVault else { return (kept, kept) }
        let shown = try field.render(secretContext)
        guard sealed || SensitiveValues.holdsToken(shown) else { return (kept, shown) }
        return (SensitiveValues.replacingTokens(in: kept, open: nil), SensitiveValues.replacingTokens(in: shown, open: vault.sensitive?.open))
    }

    /// Renders an integration's fields with real vault values, for talking to its service.
    /// Never store or emit the result.
    public func renderSecret(_ field: FieldValue?) throws(TemplateRenderError) -> TemplateValue {
        guard let field else { return .none }
        return try field.render(secretContext)
    }

    /// Renders a template text given as a string (a `when:` or a templated label).
    public func renderText(_ field: FieldValue?) throws(TemplateRenderError) -> String {
        let value = try render(field)
        if case .string(let text) = value { return text }
        return value.pythonString
    }

    /// Renders a template the app holds outside its elements (a file a flow reads) with this
    /// step's scopes, vault values as `[vault.KEY]`.
    public func renderString(_ template: Template) throws(TemplateRenderError) -> String {
        try template.renderString(context)
    }

    // MARK: Writing

    /// Appends an event from the bot to this turn. `shown` is the user's copy when it differs.
    public mutating func emit(_ type: String, data: TemplateMap, shown: TemplateMap? = nil) {
        let userID: String
        if case .string(let id)? = flowScope["_event_user_id"] ?? thread.scope["_event_user_id"] { userID = id } else { userID = "bot" }
        // Numbered here, right after the inbound event, so that no copy is made to number it later.
        var kept = Event(type: type, threadID: thread.id, sender: .bot, userID: userID, data: data, time: options.clock(),
                         sequence: event.sequence + emitted.count + 1)
        if !flowID.isEmpty { kept.setOrigin(flow: flowID, step: stepIndex) }
        var shownEvent = kept
        if let shown { shownEvent.data = shown }
        emitted.append((kept, shownEvent))
    }

    public mutating func setThread(_ key: String, _ value: TemplateValue?) {
        thread.scope[key] = value
        context["thread"] = .map(thread.scope)
    }

    public mutating func setUser(_ key: String, _ value: TemplateValue?) {
        userScope[key] = value
        userChanges[key] = .some(value)
        context["user"] = .map(userScope)
    }

    /// Links `key` (an integration's id for the conversation, such as a Flex channel sid) to
    /// this thread, committed with the turn; `BotEngine.thread(forLink:)` finds it again.
    public mutating func link(_ key: String) {
        linkChanges[key] = true
    }

    /// Removes a link of this thread, committed with the turn.
    public mutating func unlink(_ key: String) {
        linkChanges[key] = false
    }

    /// Sends `work` out once the turn has committed: stored with the turn, then delivered by its
    /// integration in lane order (`OutboundWork`).
    public mutating func send(_ work: OutboundWork) {
        outbound.append(work)
    }

    /// Sets the thread's timer `name` to fire at `due` (replacing one of that name), with `data`
    /// for the fired event (of `eventType`); stored with the turn.
    public mutating func setTimer(_ name: String, due: Date, data: TemplateMap = [:], eventType: String = EventTypes.timerFired) {
        timerChanges[name] = DurableTimer(threadID: thread.id, name: name, due: due, data: data, eventType: eventType)
    }

    /// Publishes an event on this thread for the flows' triggers, as Meya publishes a step's
    /// event: stored with the turn (a timer due now), filed and matched in a turn of its own
    /// right after this one, from the system. A flow started by a published event may publish
    /// again, up to `maxPublishedChain` turns in a row: a chain that never ends (a flow tracking
    /// what starts itself) stops with an error instead of running turns forever.
    public mutating func publish(_ type: String, data: TemplateMap) throws(RuntimeError) {
        var data = data
        let chain: Int = if case .int(let length)? = event.data[Self.publishedChainKey], event.sender == .system { length + 1 } else { 1 }
        guard chain <= Self.maxPublishedChain else { throw .publishedChain(limit: Self.maxPublishedChain) }
        data[Self.publishedChainKey] = .int(chain)
        let name = "parley.publish.\(event.sequence).\(timerChanges.keys.count { $0.hasPrefix("parley.publish.") })"
        setTimer(name, due: options.clock(), data: data, eventType: type)
    }

    /// How many published events in a row a thread runs (`publish`).
    public static let maxPublishedChain = 20
    /// A published event's place in its chain.
    static let publishedChainKey = "published_chain"

    /// Removes the thread's timer `name`, if it is set, with the turn.
    public mutating func cancelTimer(_ name: String) {
        timerChanges[name] = .some(nil)
    }

    public mutating func mergeFlowScope(_ data: TemplateMap) {
        guard !data.isEmpty else { return }
        var scope = flowScope
        for (key, value) in data { scope[key] = value }
        flowScope = scope
    }

    /// Removes `key` from the flow scope.
    public mutating func removeFromFlowScope(_ key: String) {
        guard flowScope[key] != nil else { return }
        var scope = flowScope
        scope[key] = nil
        flowScope = scope
    }

    mutating func enter(flow: String, scope: TemplateMap) {
        flowID = flow
        flowScope = scope
    }

    private mutating func syncFlowScope() {
        context["flow"] = .map(flowScope)
    }

    /// The integration element with this id (or the only one of `type` when id is nil).
    public func integration(_ id: String?, type: String) -> Element? {
        if let id { return runtime.app.integrations[id] }
        return runtime.app.integrations.values.first { $0.type == type }
    }
}

extension FieldValue {
    private static let vaultScope: Set<String> = ["vault"]

    /// Whether any template inside reads the vault scope.
    var readsVault: Bool { reads(scopes: Self.vaultScope) }

    /// Whether any template inside (nested elements included) reads one of these scopes.
    func reads(scopes: Set<String>) -> Bool {
        switch self {
        case .template(let template): return template.references.contains { $0.path.first.map(scopes.contains) ?? false }
        case .list(let items): return items.contains { $0.reads(scopes: scopes) }
        case .map(let entries): return entries.values.contains { $0.reads(scopes: scopes) }
        case .element(let element): return element.fields.values.contains { $0.reads(scopes: scopes) }
        case .value: return false
        }
    }
}
