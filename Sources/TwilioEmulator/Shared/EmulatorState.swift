import Foundation
import Logging
import TwilioWire

/// Everything the emulator knows — chat users, channels and messages, tasks, reservations,
/// workers, webhook settings and deliveries — behind one actor, so every REST call and agent
/// action is one atomic step.
///
/// Each change bumps `version` and wakes long-poll waiters; each event it causes is queued as a
/// `WebhookDelivery` in the same step, so events leave in the order things happened. One
/// delivery worker per chat channel sends that channel's queue in order.
actor EmulatorState {
    let configuration: TwilioEmulator.Configuration
    let logger: Logger
    var deliverer: WebhookDeliverer?

    var users: [String: ChatUser] = [:]
    var channels: [String: ChatChannel] = [:]
    var channelOrder: [String] = []
    var tasks: [String: RouterTask] = [:]
    var taskOrder: [String] = []
    var reservations: [String: Reservation] = [:]
    var workers: [WorkerState]

    var chatService: ChatServiceSettings
    var workspace: WorkspaceSettings
    var serviceWebhooks = ConversationsServiceWebhooks()
    var addresses: [String: AddressConfiguration] = [:]
    var addressOrder: [String] = []
    /// Every message to and from an emulated phone, oldest first.
    var phoneMessages: [PhoneMessage] = []
    /// The account's phone numbers (`PN…`), the calls to them, and the virtual agent sessions
    /// paused on them (by `EndUserId`).
    var numbers: [String: IncomingNumber] = [:]
    var numberOrder: [String] = []
    var calls: [String: EmulatedCall] = [:]
    var callOrder: [String] = []
    var pausedSessions: [String: PausedSession] = [:]
    /// How far the emulator's clock is ahead of the machine's (`POST /emulator/api/clock`).
    var clockOffset: TimeInterval = 0

    var deliveries: [WebhookDelivery] = []
    private var activeDeliveryChannels: Set<String> = []
    private var deliveryTasks: [String: Task<Void, Never>] = [:]

    private(set) var version = 0
    private var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
    private(set) var stopped = false
    let started = Date()

    init(configuration: TwilioEmulator.Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        let now = Date()
        workers = configuration.workers.map {
            WorkerState(worker: $0, activitySid: TwilioEmulator.Defaults.availableActivitySid, dateCreated: now)
        }
        chatService = ChatServiceSettings(postWebhookURL: configuration.chatWebhookURL, webhookFilters: configuration.chatWebhookFilters,
                                          dateCreated: now, dateUpdated: now)
        workspace = WorkspaceSettings(eventCallbackURL: configuration.taskRouterCallbackURL,
                                      eventsFilter: configuration.taskRouterEventsFilter, dateCreated: now, dateUpdated: now)
        if let url = configuration.conversationsPreWebhookURL {
            serviceWebhooks = ConversationsServiceWebhooks(preWebhookURL: url, filters: ["onMessageAdd"])
        }
        for address in configuration.addresses {
            let auto = AddressConfiguration.AutoCreation(enabled: true, type: "webhook", webhookURL: address.webhookURL,
                                                         webhookFilters: address.filters)
            let sid = TwilioSID.random("IG")
            addresses[sid] = AddressConfiguration(sid: sid, type: address.type, address: address.address, autoCreation: auto,
                                                  dateCreated: now, dateUpdated: now)
            addressOrder.append(sid)
        }
        for voiceNumber in configuration.voiceNumbers {
            let number = IncomingNumber(sid: TwilioSID.random("PN"), phoneNumber: voiceNumber.number, friendlyName: voiceNumber.number,
                                        voiceURL: voiceNumber.voiceURL, voiceMethod: voiceNumber.voiceMethod,
                                        statusCallback: voiceNumber.statusCallbackURL, dateCreated: now, dateUpdated: now)
            numbers[number.sid] = number
            numberOrder.append(number.sid)
        }
    }

    /// The emulator's clock: the machine's, moved on by `advanceClock`.
    var now: Date { Date().addingTimeInterval(clockOffset) }

    func attach(_ deliverer: WebhookDeliverer) {
        self.deliverer = deliverer
    }

    // MARK: Change feed

    /// Marks a change: bumps `version` and wakes every long-poll waiter.
    func changed() {
        version += 1
        let waiting = waiters
        waiters.removeAll()
        for continuation in waiting.values { continuation.resume() }
    }

    /// Returns once `version` exceeds `after`, or `timeout` has passed, or the emulator stops;
    /// answers the version then.
    func waitForChange(after: Int, timeout: Duration) async -> Int {
        guard version <= after, !stopped, timeout > .zero else { return version }
        let id = UUID()
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.wake(id)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                waiters[id] = continuation
            }
        } onCancel: {
            Task { await self.wake(id) }
        }
        timer.cancel()
        return version
    }

    private func wake(_ id: UUID) {
        waiters.removeValue(forKey: id)?.resume()
    }

    // MARK: Webhook queue

    /// Queues an event for its target's URL (skipped when none is set or its filter excludes
    /// the event) and makes sure the channel's delivery worker runs. A conversation-scoped
    /// webhook's `url` is given (the caller has applied its filters), as is a call's.
    func enqueue(_ target: WebhookDelivery.Target, eventType: String, resourceSid: String, channelSid: String, form: TwilioForm,
                 url scopedURL: String? = nil) {
        let url: String?
        switch target {
        case .chat:
            guard chatService.webhookFilters.isEmpty || chatService.webhookFilters.contains(eventType) else { return }
            url = chatService.postWebhookURL
        case .taskrouter:
            guard workspace.eventsFilter.isEmpty || workspace.eventsFilter.contains(eventType) else { return }
            url = workspace.eventCallbackURL
        case .conversations, .voice:
            url = scopedURL
        }
        let delivery = WebhookDelivery(id: deliveries.count + 1, eventType: eventType, target: target, url: url,
                                       resourceSid: resourceSid, channelSid: channelSid,
                                       idempotencyToken: UUID().uuidString.lowercased(),
                                       status: url == nil ? .skipped : .pending, fields: form.fields)
        deliveries.append(delivery)
        if url == nil {
            logger.debug("webhook skipped: no URL configured", metadata: ["event": "\(eventType)", "target": "\(target.rawValue)"])
            return
        }
        guard !stopped, let deliverer, !activeDeliveryChannels.contains(channelSid) else { return }
        activeDeliveryChannels.insert(channelSid)
        deliveryTasks[channelSid] = Task { await deliverer.drain(channelSid: channelSid) }
    }

    /// The oldest pending delivery of a channel; when there is none the channel's worker is
    /// released in the same step, so a delivery queued later starts a new one.
    func nextPendingDelivery(channelSid: String) -> WebhookDelivery? {
        if !stopped, let delivery = deliveries.first(where: { $0.channelSid == channelSid && $0.status == .pending }) {
            return delivery
        }
        activeDeliveryChannels.remove(channelSid)
        deliveryTasks[channelSid] = nil
        return nil
    }

    /// Records one attempt of a delivery, with the fields sent, and its new status.
    func record(deliveryID: Int, attempt: WebhookDelivery.Attempt, fields: [TwilioFormField], status: WebhookDelivery.Status) {
        guard let index = deliveries.firstIndex(where: { $0.id == deliveryID }) else { return }
        deliveries[index].attempts.append(attempt)
        deliveries[index].fields = fields
        deliveries[index].status = status
        changed()
    }

    /// Stops delivering and wakes every waiter; queued deliveries stay pending.
    func stop() async {
        stopped = true
        let running = Array(deliveryTasks.values)
        for task in running { task.cancel() }
        let waiting = waiters
        waiters.removeAll()
        for continuation in waiting.values { continuation.resume() }
        for task in running { await task.value }
    }
}

/// The Chat service's webhook settings (`POST /v2/Services/{IS}`).
struct ChatServiceSettings: Sendable {
    var friendlyName = "Flex Chat Service"
    var postWebhookURL: String?
    var preWebhookURL: String?
    var webhookMethod = "POST"
    var webhookFilters: [String]
    var postWebhookRetryCount = 0
    var dateCreated: Date
    var dateUpdated: Date
}

/// The workspace's event settings (`POST /v1/Workspaces/{WS}`).
struct WorkspaceSettings: Sendable {
    var friendlyName = TwilioEmulator.Defaults.workspaceName
    var eventCallbackURL: String?
    var eventsFilter: [String]
    var dateCreated: Date
    var dateUpdated: Date
}
