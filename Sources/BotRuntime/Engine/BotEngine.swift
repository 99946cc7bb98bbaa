import FlowDSL
import Foundation
import Logging
import OrderedCollections
import Synchronization

/// Parley's engine: events in, events out.
///
/// Each event is queued on its thread (threads run in parallel, one thread's events strictly
/// in arrival order), matched against the waiting step's and the flows' triggers, and the
/// chosen flow runs until it waits or ends. The turn's state change and every event it
/// appended are committed together; an event whose idempotency key was seen is answered from
/// the ledger without a second effect. No transport, no vendor: channels and integrations
/// call `handle(_:)`.
public final class BotEngine: Sendable {
    public let app: BotApp
    public let store: any BotStore
    public let options: EngineOptions
    let runtime: RuntimeApp
    let handlers: [String: any ComponentHandler]
    /// The vault and the template scopes that are the same for every turn; replaced together
    /// when the vault changes (`replaceVault(_:)`), read once per turn.
    let scopes: Mutex<TurnScopes>
    /// Where the vault is read again after it changed (`reloadVault()`); nil: it never is.
    public let vaultSource: VaultSource?
    /// Reloads begun and the latest applied, so that a slower, older read never replaces a newer one.
    let vaultReloads = Mutex((begun: 0, applied: 0))
    /// The integrations, in registration order: `prepare` runs in this order.
    public let integrations: [any Integration]
    /// Each integration by the element type it serves (the first registered for a type).
    private let integrationsByType: [String: any Integration]
    let logger: Logger
    private let mailboxes = ThreadMailboxes()
    let live = ThreadEvents()
    /// Reads other processes' commits for live subscribers (a shared store), from `resumeOutbox()` to `stop()`.
    let follower = Mutex<Task<Void, Never>?>(nil)
    let outbox: OutboxDispatcher
    let timers: TimerDriver
    /// Accepted events an integration judged early, by thread: handled again after its next turn.
    private let deferred = Mutex<[String: [InboxEntry]]>([:])

    /// - Parameters:
    ///   - components: handlers for element types beyond the built-in steps.
    ///   - integrations: vendor integrations (Flex …) in registration order; their components are added too.
    ///   - vault: the `vault` scope; its values reach only text shown to users and integrations.
    ///   - vaultSource: where `vault` was read, read again when it changes (`reloadVault()`).
    public init(app: BotApp, store: any BotStore, vault: VaultScope = .empty, vaultSource: VaultSource? = nil,
                components: [any ComponentHandler] = [],
                integrations: [any Integration] = [],
                options: EngineOptions = EngineOptions(), logger: Logger = Logger(label: "parley.runtime")) {
        self.app = app
        self.store = store
        self.vaultSource = vaultSource
        self.options = options
        self.logger = logger
        options.regexTimeouts.logger.withLock { $0 = logger }
        let runtime = RuntimeApp(app)
        self.runtime = runtime
        scopes = Mutex(TurnScopes(vault: vault, base: runtime.baseContext(vault: vault)))
        var handlers: [String: any ComponentHandler] = [:]
        let builtIn: [any ComponentHandler] = [TextComponentHandler(), FlowComponentHandler(), TileComponentHandler(), FormComponentHandler(),
                                                UtilityComponentHandler()]
        for handler in builtIn + components + integrations.flatMap(\.components) {
            for type in handler.types { handlers[type] = handler }
        }
        self.handlers = handlers
        self.integrations = integrations
        outbox = OutboxDispatcher(policy: options.outboxRetry, logger: logger)
        timers = TimerDriver(logger: logger)
        integrationsByType = Dictionary(integrations.map { ($0.elementType, $0) }) { first, _ in first }
    }

    /// The integration that serves elements of `type`, if any.
    public func integration(serving type: String) -> (any Integration)? { integrationsByType[type] }

    /// What is wrong with the app's integration elements, from every integration in order.
    public var configurationProblems: [String] { integrations.flatMap { $0.configurationProblems(in: self) } }

    /// Component types the app uses that no handler runs (an integration not enabled).
    public var unhandledTypes: Set<String> {
        Set(runtime.elements.values.map(\.type).filter { !$0.contains(".trigger") && handlers[$0] == nil })
    }

    /// Handles one event and returns what it produced. When the thread is idle the turn runs
    /// at once in the caller's task; otherwise it waits behind the thread's earlier events.
    public func handle(_ event: Event) async throws -> TurnResult {
        if mailboxes.claimIfIdle(event.threadID) {
            defer { mailboxes.release(event.threadID) }
            return try await runLoggedTurn(event)
        }
        return try await enqueue(event).result
    }

    /// Queues an event behind its thread's earlier events and returns at once.
    @discardableResult
    public func enqueue(_ event: Event) -> TurnTicket {
        let ticket = TurnTicket()
        mailboxes.submit(thread: event.threadID) { [self] in
            do {
                ticket.fulfil(.success(try await runLoggedTurn(event)))
            } catch {
                ticket.fulfil(.failure(error))
            }
        }
        return ticket
    }

    /// Accepts an event for later: it is kept durably in the store's inbox before this
    /// returns, then handled in its thread's order; after a crash `resumeInbox()` handles what
    /// was accepted but not handled. For webhooks that must be answered at once.
    public func accept(_ event: Event) async throws {
        let id = try await store.enqueueInbound(event)
        handleAccepted(InboxEntry(id: id, event: event))
    }

    /// Queues every event accepted before a restart and not yet handled; returns how many.
    @discardableResult
    public func resumeInbox() async throws -> Int {
        let pending = try await store.pendingInbound()
        for entry in pending { handleAccepted(entry) }
        return pending.count
    }

    /// Handles an event already in the inbox in its thread's order (the outbox's replies, fired timers).
    func handleAccepted(_ entry: InboxEntry) {
        mailboxes.submit(thread: entry.event.threadID) { [self] in
            // A failed turn stays in the inbox and is tried again at the next start.
            _ = try? await runLoggedTurn(entry.event, inboxID: entry.id)
        }
    }

    /// The thread an integration linked to `key` (see `ComponentContext.link(_:)`).
    public func thread(forLink key: String) async throws -> String? {
        try await store.thread(forLink: key)
    }

    private func runLoggedTurn(_ event: Event, inboxID: Int64? = nil) async throws -> TurnResult {
        do {
            return try await store.withTurnLock(thread: event.threadID) { try await runTurn(event, inboxID: inboxID) }
        } catch let taken as InboxEntryTaken {
            // Another process sharing the store took the entry over and handled it: nothing to do.
            logger.debug("inbox entry handled elsewhere", metadata: ["thread": "\(event.threadID)", "inbox": "\(taken.inboxID)"])
            throw taken
        } catch {
            logger.error("turn failed", metadata: ["thread": "\(event.threadID)", "error": "\(error)"])
            throw error
        }
    }

    /// An integration's fields rendered with the real vault values and the config scope, for
    /// the integration to talk to its service (Meya resolves integration configs at load).
    /// Never store, log or emit the result.
    public func integrationSettings(_ id: String) throws -> TemplateMap {
        guard let element = app.integrations[id] else { throw RuntimeError.unknownIntegration(id) }
        let scopes = scopes.withLock { $0 }
        var context = scopes.base
        context["vault"] = scopes.vault.values
        var settings = TemplateMap()
        for (name, field) in element.fields { settings[name] = try field.render(context) }
        return settings
    }

    /// The thread's stored state, if it exists.
    public func thread(_ id: String) async throws -> ThreadRecord? { try await store.thread(id) }

    /// A user's stored scope.
    public func userScope(_ id: String) async throws -> TemplateMap { try await store.userScope(id) }

    /// Ledger events of a thread after `sequence`.
    public func events(thread: String, after sequence: Int = 0, limit: Int = 1_000) async throws -> [Event] {
        try await store.events(thread: thread, after: sequence, limit: limit)
    }

    /// The thread's events as they are committed, from now on: an agent's or the system's
    /// inbound event and every event the turn emitted (as shown to users), in ledger order.
    /// Users' own events and duplicate deliveries are not repeated. The subscription ends when
    /// the stream is dropped or its task cancelled; a subscriber more than 1,024 events behind
    /// sees its stream finish and reads the rest from `events(thread:after:)`. Subscribe
    /// before reading the ledger, then skip live events at or below the last sequence read.
    public func subscribe(thread: String) -> AsyncStream<Event> {
        live.subscribe(thread: thread)
    }

    /// How many live subscriptions watch `thread`.
    public func subscriberCount(thread: String) -> Int {
        live.subscriberCount(thread: thread)
    }

    // MARK: One turn

    private func runTurn(_ incoming: Event, inboxID: Int64?) async throws -> TurnResult {
        let stored: ThreadRecord?, userScope: TemplateMap
        switch try await store.turnStart(thread: incoming.threadID, user: incoming.sender == .user ? incoming.userID : "",
                                         idempotencyKey: incoming.idempotencyKey) {
        case .duplicate(let receipt):
            if let inboxID { try await store.removeInbound(inboxID) }
            let events = try await store.events(thread: receipt.threadID, after: receipt.turnSequence - 1,
                                                limit: receipt.lastSequence - receipt.turnSequence + 1)
            guard let inbound = events.first else { throw RuntimeError.unknownFlow("turn \(receipt.turnSequence)") }
            // Another user's retry of the same message id gets nothing of the first answer.
            try Self.checkOwner(inbound.sender == .user ? inbound.userID : "", of: incoming)
            // The first answer as it was shown: the ledger keeps vault values as placeholders.
            let vault = scopes.withLock { $0.vault }
            return TurnResult(inbound: inbound, outputs: events.dropFirst().map(vault.revealed), isDuplicate: true)
        case .fresh(let thread, let scope):
            (stored, userScope) = (thread, scope)
        }
        if try await waitsForEarlierEvents(incoming, inboxID: inboxID) {
            return TurnResult(inbound: incoming, outputs: [], isDuplicate: false)
        }
        try Self.checkOwner(stored?.userID ?? "", of: incoming)
        let scopes = scopes.withLock { $0 }
        // A thread belongs to its first user sender; an agent's or the system's event may come first.
        var thread = stored ?? ThreadRecord(id: incoming.threadID, userID: incoming.sender == .user ? incoming.userID : "",
                                            scope: ["mode": .string("bot")])
        if thread.userID.isEmpty, incoming.sender == .user { thread.userID = incoming.userID }
        let unreadable = thread.unreadable
        thread.unreadable = nil
        var inbound = incoming
        inbound.sequence = thread.lastSequence + 1
        inbound.isSensitive = inbound.isSensitive || (thread.mode != "bot" && inbound.sender != .agent)

        var runner = FlowRunner(runtime: runtime, handlers: handlers,
                                context: ComponentContext(event: inbound, thread: thread, userScope: userScope,
                                                          runtime: runtime, vault: scopes.vault, base: scopes.base, options: options))
        let previousWaiting = thread.waiting
        var waiting = previousWaiting
        var selection: TriggerMatcher.Selection?
        var warnings: [String] = []
        if let unreadable {
            // What an older version stored too deep, or a damaged file: reported, never a thread
            // that fails every turn from now on.
            logger.error("stored state unreadable; reset", metadata: ["thread": "\(inbound.threadID)", "error": "\(unreadable)"])
            runner.context.emit(EventTypes.error, data: ["text": .string("the conversation's saved state could not be read and was reset (\(unreadable))")])
        }
        do {
            if inbound.type == EventTypes.timeout { runner.context.ignoredBecause = try await staleTimeout(inbound, waiting: previousWaiting) }
            for integration in integrations { try integration.prepare(inbound, in: &runner.context) }
            if let reason = runner.context.deferredBecause {
                // Kept in the inbox (an event handled directly is put there now), so neither a
                // crash nor the wait loses it; its turn comes after the thread's next one.
                let id = if let inboxID { inboxID } else { try await store.enqueueInbound(incoming) }
                try await store.setAsideInbound(id)
                logger.debug("event deferred", metadata: ["thread": "\(inbound.threadID)", "event": "\(inbound.type)", "reason": "\(reason)"])
                deferred.withLock { $0[inbound.threadID, default: []].append(InboxEntry(id: id, event: incoming)) }
                return TurnResult(inbound: inbound, outputs: [], isDuplicate: false)
            }
            if let reason = runner.context.ignoredBecause {
                logger.debug("event ignored", metadata: ["thread": "\(inbound.threadID)", "event": "\(inbound.type)", "reason": "\(reason)"])
                inbound.data["ignored"] = .string(reason)
            } else {
                let waitingElement = previousWaiting.flatMap { runtime.elements[$0.elementID] }
                // The waiting step's buttons and tiles may be templates over its flow's scope.
                if let previousWaiting { runner.context.enter(flow: previousWaiting.frame.flowID, scope: previousWaiting.frame.scope) }
                var matcher = TriggerMatcher(runtime: runtime, event: inbound)
                selection = try matcher.select(waiting: waitingElement, context: runner.context)
                warnings = matcher.warnings
                for warning in warnings { logger.warning("trigger skipped", metadata: ["thread": "\(inbound.threadID)", "problem": "\(warning)"]) }
            }
            switch selection {
            case .answer(let answer)?:
                waiting = try await runner.resume(previousWaiting!, answer: answer).waitingFlow
            case .stepTrigger(let trigger, let data)?:
                waiting = try await runner.resume(previousWaiting!, trigger: trigger, data: data).waitingFlow
            case .flow(let trigger, let data)?:
                let scope = data.merging(["event": inbound.scopeValue, "confidence": .double(1.0)]) { old, _ in old }
                let finish: FlowRunner.Finish
                if let action = trigger.element["action"]?.element {
                    finish = try await runner.startAction(action, flow: trigger.flowID!, scope: scope)
                } else {
                    finish = try await runner.start(flow: trigger.flowID!, scope: scope)
                }
                // A new flow that waits replaces the waiting one; one that just runs leaves it open.
                if let newWaiting = finish.waitingFlow { waiting = newWaiting }
            case nil:
                break
            }
        } catch {
            let (flow, step) = runner.position
            let place = runtime.flow(flow).flatMap { step < $0.steps.count ? " (\($0.steps[step].position))" : nil } ?? ""
            let message = flow.isEmpty ? "\(error)" : "flow `\(flow)` step \(step)\(place): \(error)"
            logger.warning("flow stopped", metadata: ["thread": "\(inbound.threadID)", "flow": "\(flow)", "step": "\(step)", "error": "\(error)"])
            runner.context.emit(EventTypes.error, data: ["text": .string(message)])
            // A resumed flow that failed is dropped; a new one that failed leaves the old question open.
            if case .flow? = selection {} else { waiting = selection == nil ? previousWaiting : nil }
        }

        armReplyTimeout(previous: previousWaiting, waiting: waiting, inbound: inbound, context: &runner.context)
        thread = runner.context.thread
        thread.waiting = waiting
        var kept = [inbound], shown: [Event] = []
        kept.reserveCapacity(runner.context.emitted.count + 1)
        shown.reserveCapacity(runner.context.emitted.count)
        for (keptEvent, shownEvent) in runner.context.emitted {
            kept.append(keptEvent)
            shown.append(shownEvent)
        }
        let sequence = inbound.sequence + shown.count
        thread.lastSequence = sequence
        var outbound = runner.context.outbound
        if !integrations.isEmpty {
            let turn = CommittedTurn(thread: thread, previousThread: stored, events: kept)
            for integration in integrations { outbound += integration.outboundWork(for: turn) }
        }
        var timerChanges = runner.context.timerChanges
        let committed: [OutboxItem]
        do {
            committed = try await store.commit(TurnCommit(thread: thread, userChanges: runner.context.userChanges, events: kept,
                                              turnSequence: inbound.sequence, linkChanges: runner.context.linkChanges, inboxID: inboxID,
                                              outbound: outbound, timerChanges: timerChanges))
        } catch let tooDeep as StoredValueTooDeep {
            // Nothing was written. The thread keeps its earlier state; the event and why it
            // changed nothing are filed, so the thread stays readable and usable.
            logger.error("turn not stored", metadata: ["thread": "\(inbound.threadID)", "error": "\(tooDeep)"])
            let earlier = stored ?? ThreadRecord(id: thread.id, userID: thread.userID, scope: ["mode": .string("bot")])
            (thread, kept, shown) = keepEarlierState(earlier, inbound: inbound, reason: tooDeep)
            committed = try await store.commit(TurnCommit(thread: thread, userChanges: [:], events: kept, turnSequence: inbound.sequence,
                                                          inboxID: inboxID))
            timerChanges = [:]
        }
        // Still inside the thread's turn, so one thread's events reach subscribers in order;
        // after another process's turn that was not published yet, they are read from the ledger.
        if !live.publish(inbound.sender == .user ? nil : inbound, shown, thread: inbound.threadID, turn: inbound.sequence,
                         last: thread.lastSequence) {
            let (threadID, turn) = (inbound.threadID, inbound.sequence)
            Task { [self] in await catchUpLive(thread: threadID, turn: turn) }
        }
        // Exactly the work this turn stored: the dispatcher never sees an item twice.
        if !committed.isEmpty { outbox.offer(committed, engine: self) }
        if !timerChanges.isEmpty { timers.poke() }
        await claimWaitingEvents(thread: inbound.threadID)
        // Events deferred until this thread moved on get their turn again, behind this one.
        if let waiting = deferred.withLock({ $0.removeValue(forKey: inbound.threadID) }) {
            for entry in waiting { handleAccepted(entry) }
        }
        // Ids and counts only: event data may hold what users typed.
        logger.trace("turn", metadata: ["thread": "\(inbound.threadID)", "event": "\(inbound.type)",
                                        "sequence": "\(inbound.sequence)", "outputs": "\(shown.count)"])
        return TurnResult(inbound: inbound, outputs: shown, isDuplicate: false, warnings: warnings)
    }
}

extension BotEngine {
    /// Refuses a user's event on a thread that belongs to another user (`owner`, empty while
    /// no user has spoken on it). Agents' and the system's events are the integrations' business.
    static func checkOwner(_ owner: String, of event: Event) throws(ThreadOwnershipError) {
        guard event.sender == .user, !admits(user: event.userID, toThreadOf: owner) else { return }
        throw ThreadOwnershipError(threadID: event.threadID, userID: event.userID)
    }

    /// The ownership rule, for channels that check before a turn (a WebSocket opening): `user`
    /// may speak on a thread of `owner` (empty while no user has spoken on it).
    public static func admits(user: String, toThreadOf owner: String) -> Bool {
        owner.isEmpty || owner == user
    }

    /// The commit of a turn whose own writes could not be stored: the thread as it was before
    /// the turn, the inbound event (without data that is itself too deep) and an error event.
    func keepEarlierState(_ earlier: ThreadRecord, inbound: Event, reason: StoredValueTooDeep)
        -> (thread: ThreadRecord, kept: [Event], shown: [Event]) {
        var thread = earlier
        thread.unreadable = nil
        var filed = inbound
        if TemplateValue.map(filed.data).nests(deeperThan: JSONLimits.storedDepth) { filed.data = [:] }
        let error = Event(type: EventTypes.error, threadID: inbound.threadID, sender: .bot, userID: "bot",
                          data: ["text": .string("this turn changed nothing: \(reason)")], time: options.clock(),
                          sequence: inbound.sequence + 1)
        thread.lastSequence = error.sequence
        return (thread, [filed, error], [error])
    }
}

/// A user's event on a thread that another user started: refused before it has any effect
/// (REST and WebSocket answer 403). The message names neither the owner nor the thread's content.
public struct ThreadOwnershipError: Error, CustomStringConvertible, Sendable {
    public let threadID: String
    public let userID: String
    public var description: String { "thread `\(threadID)` belongs to another user" }
}

/// What a turn renders with besides its thread and user: the vault and the constant scopes.
struct TurnScopes: Sendable {
    var vault: VaultScope
    var base: TemplateContext
}

extension FlowRunner.Finish {
    var waitingFlow: WaitingFlow? {
        if case .waiting(let waiting) = self { return waiting }
        return nil
    }
}
