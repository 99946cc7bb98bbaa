import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
// Hummingbird's own lifecycle library (a dependency of Hummingbird), used to stop gracefully.
import ServiceLifecycle
import TwilioWire

/// A local stand-in for Twilio Flex — the Flex (Interactions and Programmable Chat channels),
/// Conversations, Programmable Chat and TaskRouter REST calls a bot's Flex integration makes, the webhooks Flex sends back,
/// customers' phones (texts and calls, with a scripted Dialogflow CX agent), and an agent console — so the
/// whole human handoff runs with no Twilio account. A development tool: it binds 127.0.0.1 by
/// default and keeps everything in memory.
///
/// Start it in-process (tests, `botcli flex emulator`, `botcli simulate --flex`):
///
/// ```swift
/// let emulator = try await TwilioEmulator.start(TwilioEmulator.Configuration(port: 0))
/// // point the integration's api_base_url at emulator.baseURL; open emulator.consoleURL
/// let task = try await emulator.agent.waitForTask { $0.status == "reserved" }
/// try await emulator.agent.accept(task.sid)
/// await emulator.stop()
/// ```
///
/// One origin serves every Twilio path (HTTP Basic with `AccountSid:AuthToken` or
/// `SK…:secret`; 401 code 20003 otherwise, unknown resources 404 code 20404, missing
/// parameters 400 code 20001):
///
/// - Flex: `POST /v1/Interactions` (200: a task for the conversation), `GET /v1/Interactions/{KD}`,
///   `GET|POST /v1/Interactions/{KD}/Channels/{UO}` (`Status=closed|inactive`, `Routing`);
///   `POST /v1/Channels` (201), `GET /v1/Channels`, `GET|DELETE /v1/Channels/{CH}`.
/// - Conversations configuration: `POST|GET /v1/Configuration/Addresses`, `GET|DELETE …/{IG}`
///   (a number routed into Conversations; `AutoCreation.Type=webhook` makes each customer's
///   conversation with a scoped webhook), `GET|POST /v1/Services/{IS}/Configuration/Webhooks`
///   and `/v1/Configuration/Webhooks` (`PreWebhookUrl` with `onMessageAdd`: asked before an
///   agent's message, whose non-2xx answer blocks it).
/// - Conversations v1 (`/v1/Conversations` and `/v1/Services/{IS}/Conversations`):
///   conversations by SID or unique name (`State`), `…/Participants`, `…/Messages`
///   (`X-Twilio-Webhook-Enabled: true` makes a REST message fire `onMessageAdded`),
///   `…/Webhooks` (conversation-scoped; their events carry `WebhookSid`).
/// - Chat v2: `GET|POST /v2/Services/{IS}` (`PostWebhookUrl`, `WebhookFilters`),
///   `GET|POST /v2/Services/{IS}/Channels/{CH}`, `GET|POST …/Channels/{CH}/Messages`
///   (`X-Twilio-Webhook-Enabled: true` makes a REST message fire `onMessageSent`),
///   `GET …/Messages/{IM}`.
/// - Voice (2010 API): `POST|GET /2010-04-01/Accounts/{AC}/IncomingPhoneNumbers.json`,
///   `GET|POST|DELETE …/IncomingPhoneNumbers/{PN}.json` (`VoiceUrl`, `VoiceMethod`,
///   `StatusCallback`): a call to a number asks its voice URL for TwiML and plays it — `<Say>`,
///   `<Gather>` (its action gets `SpeechResult` and `Confidence`, or `Digits`), `<Enqueue
///   workflowSid><Task>` (a `voice` task), `<Connect><VirtualAgent>` (a scripted Dialogflow CX
///   agent, `VirtualAgentScript`: statusCallback per turn, the action at the session's end),
///   `<Redirect>`, `<Hangup>`; the call's end is posted to the status callback.
/// - TaskRouter: `GET|POST /v1/Workspaces/{WS}` (`EventCallbackUrl`, `EventsFilter`),
///   `GET /v1/Workspaces/{WS}/Tasks[/{WT}]`, `POST …/Tasks/{WT}` (`AssignmentStatus`
///   completed/canceled/wrapping with `Reason`, `Attributes`, `Priority`),
///   `GET /v1/Workspaces/{WS}/Workers[/{WK}]`.
///
/// Creating an interaction or a Flex channel creates its task; the emulator sends `task-queue.entered` and
/// `reservation.created` (the task is offered to the worker with the fewest open tasks).
/// Webhooks are form-encoded POSTs signed with the auth token (`X-Twilio-Signature` over the
/// exact URL), with `User-Agent: TwilioProxy/1.1` and an `I-Twilio-Idempotency-Token` kept
/// across retries; one channel's events go out in order, retried with backoff on connection
/// errors, timeouts, 429 and 5xx.
///
/// Agent JSON API (no authentication; lists answer `{"version": N, …}`, and `?after=N&wait=S`
/// holds the answer until something changes after version N, at most S ≤ 30 seconds):
///
/// - `GET /emulator/api/info`: SIDs (no secrets), webhook URLs, workers.
/// - `GET /emulator/api/tasks`: `{"version", "tasks": [{"sid", "status", "friendly_name",
///   "attributes", "channel_sid", "customer", "reservation", "worker", "reason", …}]}`.
/// - `GET /emulator/api/tasks/{WT}`: one task.
/// - `POST /emulator/api/tasks/{WT}/accept`: accept the offered reservation → `reservation.accepted`.
/// - `POST /emulator/api/tasks/{WT}/end`: "End chat" → `reservation.wrapup`, `task.wrapup`
///   (a Programmable Chat channel turns INACTIVE first, `onChannelUpdated`).
/// - `POST /emulator/api/tasks/{WT}/complete` `{"reason"?}`: the chat closes (channel INACTIVE,
///   `onChannelUpdated`; or conversation closed, `onConversationStateUpdated`),
///   `reservation.completed`, `task.completed`.
/// - `POST /emulator/api/tasks/{WT}/cancel` `{"reason"?}`: a waiting task → `task.canceled`.
/// - `GET /emulator/api/channels/{CH}/messages`: `{"version", "channel", "messages": [{"sid",
///   "index", "from", "role": "agent"|"customer"|"bot", "body", "attributes", …}]}`.
/// - `POST /emulator/api/channels/{CH}/messages` `{"body", "attributes"?}`: the assigned agent
///   says something (a `/command` too) → `onMessageSent` or `onMessageAdded`.
/// - `GET /emulator/api/events`: every webhook delivery with its status, attempts and fields.
/// - `POST /emulator/api/phone/messages` `{"from", "to", "body", "media_sid"?}`: a customer texts
///   a configured number; `GET /emulator/api/phone/messages?customer=…`: what phones sent and
///   received (a WhatsApp free-form message 24 h after the customer's last is `undelivered`,
///   63016, and `onDeliveryUpdated` follows); `POST /emulator/api/clock` `{"advance_seconds"}`.
/// - `POST /emulator/api/calls` `{"from", "to"}`: a caller calls a number of the account;
///   `GET /emulator/api/calls[/{CA}]`: what was said on each call and what it waits for;
///   `POST /emulator/api/calls/{CA}/speech` `{"text"}`, `…/digits` `{"digits"}`, `…/silence`,
///   `…/hangup`: what the caller does (answered once the bot's TwiML for it played). A voice
///   task's "End chat" is the agent hanging up.
///
/// `GET /` is the agent console page, built on the same API.
public final class TwilioEmulator: Sendable {
    public let configuration: Configuration
    /// The port it listens on (the bound one when the configuration said 0).
    public let port: Int
    let state: EmulatorState
    let logger: Logger
    private let services: ServiceGroup
    private let webhookClient: HTTPClient
    private let running: Task<Void, any Error>
    private let outage: EmulatorOutage

    /// `http://HOST:PORT`, the URL to give the integration as its API base URL.
    public var baseURL: String {
        let host = ["0.0.0.0", "::", ""].contains(configuration.host) ? "127.0.0.1" : configuration.host
        return "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    /// The agent console page.
    public var consoleURL: String { baseURL + "/" }

    /// A client of the agent API, acting as the agent.
    public var agent: AgentClient { AgentClient(baseURL: baseURL) }

    private init(configuration: Configuration, port: Int, state: EmulatorState, logger: Logger, services: ServiceGroup,
                 webhookClient: HTTPClient, running: Task<Void, any Error>, outage: EmulatorOutage) {
        self.configuration = configuration
        self.port = port
        self.state = state
        self.logger = logger
        self.services = services
        self.webhookClient = webhookClient
        self.running = running
        self.outage = outage
    }

    /// Simulates a Twilio outage (`EmulatorOutage`): REST calls are answered 503 while on.
    public func setOutage(_ on: Bool) {
        outage.isOn.withLock { $0 = on }
    }

    /// Starts listening and returns once the port is bound. With `handlingSignals`, SIGINT and
    /// SIGTERM stop it (for a command line tool; see `waitUntilStopped`).
    public static func start(_ configuration: Configuration = Configuration(), logger: Logger = Logger(label: "parley.flex-emulator"),
                             handlingSignals: Bool = false) async throws(FlexEmulatorError) -> TwilioEmulator {
        guard (0...65_535).contains(configuration.port) else { throw .invalidConfiguration("port \(configuration.port) is out of range") }
        guard !configuration.authToken.isEmpty, !configuration.accountSid.isEmpty else {
            throw .invalidConfiguration("the account SID and auth token must not be empty")
        }
        for address in configuration.addresses where !["sms", "whatsapp"].contains(address.type) {
            throw .invalidConfiguration("an address is `sms` or `whatsapp`, not `\(address.type)`")
        }
        for number in configuration.voiceNumbers where !["GET", "POST"].contains(number.voiceMethod) {
            throw .invalidConfiguration("the voice URL of \(number.number) is fetched with GET or POST, not `\(number.voiceMethod)`")
        }
        let connectors = configuration.virtualAgents.map(\.connectorName)
        if let twice = connectors.first(where: { name in connectors.count { $0 == name } > 1 }) {
            throw .invalidConfiguration("two virtual agent scripts are named `\(twice)`")
        }
        let urls = [configuration.chatWebhookURL, configuration.taskRouterCallbackURL, configuration.conversationsPreWebhookURL]
            + configuration.addresses.map(\.webhookURL) + configuration.voiceNumbers.flatMap { [Optional($0.voiceURL), $0.statusCallbackURL] }
        for url in urls.compactMap({ $0 }) {
            guard (try? EmulatorState.webhookURL(url, name: "webhook URL")) != nil else {
                throw .invalidConfiguration("`\(url)` is not an http:// or https:// URL")
            }
        }
        let state = EmulatorState(configuration: configuration, logger: logger)
        let outage = EmulatorOutage()
        // Its own client: a refused connection fails the attempt at once (the delivery's retry
        // policy decides what next) instead of being retried inside the connection pool.
        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.connectionPool.retryConnectionEstablishment = false
        clientConfiguration.redirectConfiguration = .disallow
        let webhookClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        await state.attach(WebhookDeliverer(state: state, client: webhookClient, authToken: configuration.authToken,
                                            retry: configuration.retry, logger: logger))
        let ports = AsyncStream.makeStream(of: Int.self)
        let application = Application(
            router: makeRouter(configuration: configuration, state: state, outage: outage),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port),
                                                    serverName: "TwilioEmulator"),
            onServerRunning: { channel in ports.continuation.yield(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
        let services = ServiceGroup(configuration: ServiceGroupConfiguration(
            // The last service is told to shut down first: waiters are answered before the server drains.
            services: [application, StopOnShutdown(state: state)], gracefulShutdownSignals: handlingSignals ? [.sigint, .sigterm] : [], logger: logger))
        let running = Task {
            defer { ports.continuation.finish() }
            try await services.run()
        }
        var iterator = ports.stream.makeAsyncIterator()
        guard let port = await iterator.next() else {
            let reason: String
            do {
                try await running.value
                reason = "the server stopped before listening"
            } catch {
                reason = "\(error)"
            }
            await state.stop()
            try? await webhookClient.shutdown()
            throw .cannotListen(host: configuration.host, port: configuration.port, reason: reason)
        }
        let emulator = TwilioEmulator(configuration: configuration, port: port, state: state, logger: logger, services: services,
                                    webhookClient: webhookClient, running: running, outage: outage)
        logger.notice("Flex emulator listening (development tool)", metadata: ["url": "\(emulator.baseURL)"])
        return emulator
    }

    static func makeRouter(configuration: Configuration, state: EmulatorState, outage: EmulatorOutage) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: TwilioAuthMiddleware(configuration: configuration))
        router.add(middleware: outage)
        let origin = "http://\(configuration.host):\(configuration.port)"
        FlexChannelRoutes(state: state, configuration: configuration, fallbackOrigin: origin).register(on: router)
        ChatRoutes(state: state, configuration: configuration, fallbackOrigin: origin).register(on: router)
        TaskRouterRoutes(state: state, configuration: configuration, fallbackOrigin: origin).register(on: router)
        ConversationRoutes(state: state, configuration: configuration, fallbackOrigin: origin).register(on: router)
        AddressRoutes(state: state, configuration: configuration, fallbackOrigin: origin).register(on: router)
        IncomingNumberRoutes(state: state, configuration: configuration).register(on: router)
        InteractionRoutes(state: state, configuration: configuration, fallbackOrigin: origin).register(on: router)
        AgentAPIRoutes(state: state, configuration: configuration).register(on: router)
        ConsoleRoutes().register(on: router)
        return router
    }

    /// Stops delivering webhooks, answers waiting long-polls, lets requests in flight finish
    /// and closes the server.
    public func stop() async {
        await state.stop()
        await services.triggerGracefulShutdown()
        _ = try? await running.value
        try? await webhookClient.shutdown()
        logger.notice("Flex emulator stopped")
    }

    /// Returns when the server has stopped (after `stop()`, or a signal with `handlingSignals`),
    /// throwing the server's error if it failed.
    public func waitUntilStopped() async throws {
        do {
            try await running.value
        } catch {
            try? await webhookClient.shutdown()
            throw error
        }
        try? await webhookClient.shutdown()
        logger.notice("Flex emulator stopped")
    }
}

/// Stops the emulator's state (webhook workers, long-polls) when the service group shuts
/// down, whether `stop()` or a signal asked.
private struct StopOnShutdown: Service {
    let state: EmulatorState

    func run() async throws {
        try? await gracefulShutdown()
        await state.stop()
    }
}

/// Why the emulator could not start.
public enum FlexEmulatorError: Error, CustomStringConvertible, Equatable {
    case invalidConfiguration(String)
    case cannotListen(host: String, port: Int, reason: String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let reason): "invalid Flex emulator configuration: \(reason)"
        case .cannotListen(let host, let port, let reason): "the Flex emulator cannot listen on \(host):\(port): \(reason)"
        }
    }
}
