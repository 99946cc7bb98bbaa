import AsyncHTTPClient
import BotRuntime
import BotServer
import FlowDSL
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import SharedTestFixtures
import Testing
import TwilioIntegration

/// A bot with the Flex integration (and, when asked, the Twilio Conversations channel) served
/// by an in-process `BotServer` (public URL `https://bot.example.com`, the fixtures' signing
/// base) over a real SQLite store, talking to a `FakeTwilio` over real HTTP.
struct FlexBot: Sendable {
    let port: Int
    let engine: BotEngine
    let flex: FlexIntegration
    let fake: FakeTwilio

    /// The Twilio account fields every Twilio element of the test app has.
    static let account = """
        account_sid: (@ vault.twilio.account_sid )
        api_key_sid: (@ vault.twilio.api_key_sid )
        api_key_secret: (@ vault.twilio.api_key_secret )
        auth_token: (@ vault.twilio.auth_token )
        api_base_url: (@ config.twilio.api_base_url )
        """

    /// The Conversations channel's integration element (`integration/twilio/conversations.yaml`).
    static let channelIntegration = "type: parley.twilio.conversations.integration\n" + account

    /// The voice channel's integration element (`integration/twilio/voice.yaml`).
    static let voiceIntegration = """
        type: parley.twilio.voice.integration
        account_sid: (@ vault.twilio.account_sid )
        auth_token: (@ vault.twilio.auth_token )
        voice: Polly.Joanna
        language: en-US
        workflow_sid: (@ vault.twilio.workflow_sid )

        """

    /// Vault values of the test app. `support.code` is a secret shown to the user once.
    static let vault: [String: TemplateValue] = [
        "twilio.account_sid": .string(TwilioFixtures.accountSid),
        "twilio.api_key_sid": .string("SK0123456789abcdef0123456789abcdef"),
        "twilio.api_key_secret": .string("key-secret-must-not-leak"),
        "twilio.auth_token": .string(TwilioFixtures.authToken),
        "twilio.flex_flow_sid": .string(TwilioFixtures.flexFlowSid),
        "twilio.flex_chat_service_sid": .string(TwilioFixtures.chatServiceSid),
        "twilio.workspace_sid": .string(TwilioFixtures.workspaceSid),
        "twilio.workflow_sid": .string(TwilioFixtures.workflowSid),
        "support.code": .string("SECRET-4242"),
    ]

    /// The integration element of the test app.
    static let integration = "type: meya.twilio.flex.integration\n" + account + "\n" + """
        flex_flow_sid: (@ vault.twilio.flex_flow_sid )
        flex_chat_service_sid: (@ vault.twilio.flex_chat_service_sid )
        agent:
          name: first_last_initial
        """

    /// The integration element in Flex Conversations mode.
    static let conversationsIntegration = integration
        .replacingOccurrences(of: "flex_flow_sid: (@ vault.twilio.flex_flow_sid )", with: "workspace_sid: (@ vault.twilio.workspace_sid )")
        .replacingOccurrences(of: "flex_chat_service_sid: (@ vault.twilio.flex_chat_service_sid )",
                              with: "workflow_sid: (@ vault.twilio.workflow_sid )")

    /// The test app's flows: a handoff, a bot answer, status flows, an agent command, an end.
    static let flows: [String: String] = [
        "flow/handoff.yaml": """
            triggers:
              - keyword: agent
            steps:
              - user_set:
                  name: Ada Lovelace
              - say: Your code is (@ vault.support.code )
              - type: meya.twilio.flex.component.start_chat
                chat_friendly_name: (@ user.name ) - order 1234
                task_attributes:
                  handoff_reason: customer asked for a human
              - if: (@ flow.result.ok )
                then:
                  say: Connecting you with an agent.
                else:
                  say: Sorry, (@ flow.result.code ) (@ flow.result.message )
              - note: (@ user.name ) wants a human.
            """,
        "flow/hello.yaml": """
            triggers:
              - keyword: hello
            steps:
              - say: Hello from the bot
            """,
        "flow/bye.yaml": """
            triggers:
              - keyword: bye
                when: true
            steps:
              - type: meya.twilio.flex.component.end_chat
                text: The customer ended the chat.
              - say: You're back with the bot (ok (@ flow.result.ok )).
            """,
        "flow/agent_command.yaml": """
            triggers:
              - agent_command: ask_issue_frequency
            steps:
              - ask: How often does the issue occur?
                buttons:
                  - text: Once a week
                    result: weekly
                  - text: Every day
                    result: daily
              - say: Thanks, noted (@ flow.result ).
            """,
        "flow/status.yaml": """
            id: flow.status.accepted
            triggers:
              - event_type: meya.twilio.flex.event.reservation_accepted
            steps:
              - status: (@ flow.event.data.agent_name ) has joined the chat.
            ---
            id: flow.status.completed
            triggers:
              - event_type: meya.twilio.flex.event.reservation_completed
            steps:
              - status: The agent has left the chat.
            ---
            id: flow.status.queued
            triggers:
              - event_type: meya.twilio.flex.event.task_queue_entered
            steps:
              - status: You're in the queue (priority (@ flow.event.data.task_priority )).
            ---
            id: flow.status.canceled
            triggers:
              - event_type: meya.twilio.flex.event.task_canceled
            steps:
              - status: No agent is available right now.
            ---
            id: flow.status.inactive
            triggers:
              - event_type: meya.twilio.flex.event.channel_inactive
            steps:
              - status: The agent closed the chat.
            """,
    ]

    static var vaultYAML: String {
        vault.keys.sorted().map { "\($0): xxx" }.joined(separator: "\n") + "\n"
    }

    /// A registry with the Flex and Conversations element types.
    static var registry: ElementRegistry {
        var registry = ElementRegistry.standard
        FlexElements.register(in: &registry)
        ConversationsElements.register(in: &registry)
        VoiceElements.register(in: &registry)
        return registry
    }

    /// A fast retry policy (tests must not wait seconds between tries).
    static let retry = TwilioRetryPolicy(attempts: 3, baseDelay: .milliseconds(20), maxDelay: .milliseconds(100),
                                       requestTimeout: .seconds(5), connectTimeout: .seconds(2))

    /// Runs `body` with a fake Twilio and a bot served against it.
    /// With `conversation`, the app hands off through Flex Conversations and the fake makes
    /// that conversation; with `channel`, the app also answers customers through the Twilio
    /// Conversations channel (`channelIntegration`), registered before Flex as botcli does;
    /// with `voice`, it answers calls (`voiceIntegration`), registered after Flex.
    static func with<Value: Sendable>(files extra: [String: String] = [:], integration: String? = nil, conversation: String? = nil,
                                      channel: Bool = false, voice: Bool = false, clock: @escaping @Sendable () -> Date = { Date() },
                                      publicURL: String = TwilioFixtures.publicURL, logger: Logger = TestLogs.logger("parley.test"),
                                      _ body: @Sendable (FlexBot) async throws -> Value) async throws -> Value {
        let integration = integration ?? (conversation == nil ? Self.integration : conversationsIntegration)
        let fake = try FakeTwilio(conversationSid: conversation ?? TwilioFixtures.conversationSid)
        return try await fake.run { baseURL in
            var files = flows.merging(extra) { _, new in new }
            files["integration/twilio/flex.yaml"] = integration
            if channel { files["integration/twilio/conversations.yaml"] = channelIntegration }
            if voice { files["integration/twilio/voice.yaml"] = voiceIntegration }
            files["config.yaml"] = "twilio:\n  api_base_url: \(baseURL)\n"
            files["vault.yaml"] = vaultYAML
            files["bot/default.yaml"] = "type: meya.bot.element\nname: Test Bot\n"
            let result = AppLoader(registry: registry).load(sources: files.map { AppSource(path: $0.key, text: $0.value) })
            guard let app = result.app else { throw FixtureError("invalid test app: \(result.diagnostics.map(\.description))") }
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-flex-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let store = try SQLiteStore(path: folder.appendingPathComponent("state.sqlite").path)
            let setup = IntegrationSetup(logger: { _ in logger }, publicURL: { publicURL })
            let flex = FlexIntegration(setup: setup, retry: retry)
            let integrations: [any Integration] = (channel ? [ConversationsIntegration(setup: setup, retry: retry)] : []) + [flex]
                + (voice ? [VoiceIntegration(setup: setup)] : [])
            // One outbox try: Twilio's client retries quickly itself; a failure is filed at once.
            let engine = BotEngine(app: app, store: store, vault: VaultScope(flat: vault), integrations: integrations,
                                   options: EngineOptions(realDelays: false, clock: clock, outboxRetry: OutboxRetryPolicy(attempts: 1)),
                                   logger: logger)
            do {
                let value = try await LocalServer.run({ onListening in
                    let configuration = BotServerConfiguration(host: "127.0.0.1", port: 0, publicURL: publicURL, integrations: integrations,
                                                               clientAuthentication: .open)
                    return BotServer(configuration: configuration, state: ServingState(engine: engine), logger: logger)
                        .makeApplication(onListening: onListening)
                }) { port in
                    try await body(FlexBot(port: port, engine: engine, flex: flex, fake: fake))
                }
                for integration in integrations { await integration.shutdown() }
                return value
            } catch {
                for integration in integrations { await integration.shutdown() }
                throw error
            }
        }
    }

    // MARK: Talking to it

    /// An HTTP answer.
    struct Reply: Sendable {
        var status: Int
        var contentType: String?
        var body: String
    }

    /// Sends a request to the bot server.
    func send(_ method: HTTPMethod, _ path: String, headers: [(String, String)] = [], body: String? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(15))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return Reply(status: Int(response.status.code), contentType: response.headers.first(name: "Content-Type"),
                     body: String(buffer: bytes))
    }

    /// The user writes through the REST channel.
    @discardableResult
    func say(_ text: String, user: String = "ada") async throws -> Reply {
        let body = TemplateValue.map(["sender": .string(user), "message": .string(text)]).jsonText
        return try await send(.POST, "/webhooks/rest/webhook", headers: [("Content-Type", "application/json")], body: body)
    }

    /// The user clicks a button by id.
    @discardableResult
    func click(_ buttonID: String, user: String = "ada") async throws -> Reply {
        let body = TemplateValue.map(["sender": .string(user), "button": .string(buttonID)]).jsonText
        return try await send(.POST, "/webhooks/rest/webhook", headers: [("Content-Type", "application/json")], body: body)
    }

    /// Replays a recorded Twilio webhook (optionally altered) as it was signed.
    func replay(_ request: RecordedRequest, path: String? = nil, body: String? = nil,
                headers change: (inout [(String, String)]) -> Void = { _ in }) async throws -> Reply {
        var headers = request.replayHeaders
        change(&headers)
        return try await send(HTTPMethod(rawValue: request.method), path ?? request.path, headers: headers, body: body ?? request.body)
    }

    /// The thread's ledger.
    func ledger(_ thread: String = "ada") async throws -> [Event] {
        try await engine.events(thread: thread)
    }

    /// The thread's mode.
    func mode(_ thread: String = "ada") async throws -> String? {
        try await engine.thread(thread)?.mode
    }

    /// Starts a handoff for `ada` (the fake answers with the fixture channel, or its
    /// conversation) and waits for it.
    func startHandoff() async throws {
        let reply = try await say("agent")
        #expect(reply.status == 200, "\(reply.body)")
        // The channel is made after the turn (the outbox); Twilio's answer resumes the flow.
        try await settle()
        #expect(try await mode() == "agent")
        let chat = fake.requests.contains { $0.path == "/v1/Interactions" } ? fake.conversationSid : TwilioFixtures.channelSid
        #expect(try await engine.thread(forLink: "flex:channel:\(chat)") == "ada")
    }

    /// Waits (bounded) until `condition` holds; false when it never did.
    func eventually(timeout: Duration = .seconds(10), _ condition: @Sendable () async throws -> Bool) async rethrows -> Bool {
        let clock = ContinuousClock(), deadline = clock.now + timeout
        while clock.now < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return try await condition()
    }

    /// Waits for the thread's inbox and the relay queue to settle: every accepted event handled
    /// and every relay sent.
    func settle() async throws {
        // Twice: a relay that fails files an error event, whose turn may relay again.
        for _ in 0..<2 {
            _ = try await eventually { try await engine.store.pendingInbound().isEmpty }
            try? await Task.sleep(for: .milliseconds(30))
            await engine.drainOutbox()
        }
        _ = try await eventually { try await engine.store.pendingInbound().isEmpty }
    }
}
