import BotRuntime
import BotServer
import FlowDSL
import Foundation
import SharedTestFixtures
import Synchronization
import Testing
import TwilioEmulator
import TwilioIntegration

/// The whole handoff over real HTTP between an in-process `BotServer` running the
/// `flex-handoff` fixture app with the Flex integration and an in-process `TwilioEmulator`: the
/// emulator's signed webhooks drive the bot, the bot's REST calls drive the emulator, and the
/// agent acts through the emulator's agent API.
@Suite("Flex handoff end to end with the Flex emulator")
struct FlexHandoffEndToEndTests {
    static let appFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/apps/flex-handoff")

    /// The bot (ready) and the emulator, wired to each other.
    struct Handoff: Sendable {
        let bot: FlexBot
        let emulator: TwilioEmulator
        var agent: AgentClient { emulator.agent }

        func lines() async throws -> [String] { try await bot.ledger().flatMap(\.plainLines) }

        /// Waits (bounded) until the user has been shown `line`.
        func expectShown(_ line: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let shown = try await bot.eventually { try await lines().contains(line) }
            let seen = try await lines()
            #expect(shown, "never shown: \(line); shown: \(seen)", sourceLocation: sourceLocation)
        }
    }

    /// Runs the handoff; with `conversations`, the app's integration names the emulator's
    /// workspace and workflow instead of its Flex Flow (Flex Conversations).
    static func with(conversations: Bool = false, _ body: @Sendable (Handoff) async throws -> Void) async throws {
        let state = ServingState()
        let botURL = Mutex<String?>(nil)
        let flex = FlexIntegration(setup: IntegrationSetup(logger: TestLogs.logger, publicURL: { botURL.withLock { $0 } }),
                                   retry: FlexBot.retry)
        do {
            try await LocalServer.run({ onListening in
                // No public URL: signatures are checked against the address the emulator called.
                BotServer(configuration: BotServerConfiguration(host: "127.0.0.1", port: 0, integrations: [flex], clientAuthentication: .open), state: state,
                          logger: TestLogs.logger("parley.test")).makeApplication(onListening: onListening)
            }) { port in
                botURL.withLock { $0 = "http://127.0.0.1:\(port)" }
                var configuration = TwilioEmulator.Configuration(port: 0)
                configuration.chatWebhookURL = "http://127.0.0.1:\(port)/twilio/chat/events"
                configuration.taskRouterCallbackURL = "http://127.0.0.1:\(port)/twilio/taskrouter/events"
                let emulator = try await TwilioEmulator.start(configuration, logger: TestLogs.logger("parley.flex-emulator"))
                do {
                    let engine = try Self.engine(emulator: emulator, flex: flex, conversations: conversations)
                    state.serve(engine)
                    try await body(Handoff(bot: FlexBot(port: port, engine: engine, flex: flex, fake: try FakeTwilio()), emulator: emulator))
                    await engine.drainOutbox()
                    await emulator.stop()
                } catch {
                    await emulator.stop()
                    throw error
                }
            }
            await flex.shutdown()
        } catch {
            await flex.shutdown()
            throw error
        }
    }

    /// The fixture app with its API base URL pointed at the emulator, on a fresh SQLite store.
    static func engine(emulator: TwilioEmulator, flex: FlexIntegration, conversations: Bool) throws -> BotEngine {
        let files = FileManager.default.enumerator(at: appFolder, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "yaml" } ?? []
        var sources = try files.map { url in
            AppSource(path: String(url.path.dropFirst(appFolder.path.count + 1)), text: try String(contentsOf: url, encoding: .utf8))
        }
        sources.removeAll { $0.path == "config.yaml" }
        if conversations, let index = sources.firstIndex(where: { $0.path == "integration/twilio/flex.yaml" }) {
            sources[index].text = sources[index].text
                .replacingOccurrences(of: "flex_flow_sid: (@ vault.twilio_flex.flex_flow_sid )", with: "workspace_sid: (@ vault.twilio_flex.workspace_sid )")
                .replacingOccurrences(of: "flex_chat_service_sid: (@ vault.twilio_flex.flex_chat_service_sid )",
                                      with: "workflow_sid: (@ vault.twilio_flex.workflow_sid )")
        }
        sources.append(AppSource(path: "config.yaml", text: "support:\n  language: en\ntwilio:\n  api_base_url: \(emulator.baseURL)\n"))
        let result = AppLoader(registry: FlexBot.registry).load(sources: sources)
        guard let app = result.app else { throw FixtureError("flex-handoff: \(result.diagnostics.map(\.description))") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-flex-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: folder.appendingPathComponent("state.sqlite").path)
        let defaults = TwilioEmulator.Defaults.self
        let vault = VaultScope(flat: [
            "twilio.account_sid": .string(defaults.accountSid), "twilio.auth_token": .string(defaults.authToken),
            "twilio.api_key_sid": .string(defaults.apiKeySid), "twilio.api_key_secret": .string(defaults.apiKeySecret),
            "twilio_flex.flex_flow_sid": .string(defaults.flexFlowSid),
            "twilio_flex.flex_chat_service_sid": .string(defaults.chatServiceSid),
            "twilio_flex.workspace_sid": .string(defaults.workspaceSid), "twilio_flex.workflow_sid": .string(defaults.workflowSid),
        ])
        return BotEngine(app: app, store: store, vault: vault, integrations: [flex], options: EngineOptions(realDelays: false),
                         logger: TestLogs.logger("parley.test"))
    }

    /// Pre-chat through the REST channel up to start_chat; returns the task the emulator made.
    static func preChat(_ handoff: Handoff) async throws -> AgentTask {
        let bot = handoff.bot
        let open = try await bot.send(.POST, "/webhooks/rest/webhook", headers: [("Content-Type", "application/json")],
                                      body: #"{"sender": "ada", "event": "page_open", "url": "https://example.com/help"}"#)
        #expect(open.status == 200)
        #expect(try await handoff.lines().last == "bot: Before we connect you, what's your name?")
        try await bot.say("Ada Lovelace")
        try await bot.say("ada@example.com")
        #expect(try await handoff.lines().suffix(3) == ["bot: Hi Ada Lovelace, what can we help you with?", "button: Hardware", "button: Software"])
        try await bot.say("Software")
        // The channel is made after the turn (the outbox); Twilio's answer puts the thread in agent mode.
        #expect(try await bot.eventually { try await bot.mode() == "agent" })
        try await handoff.expectShown("status: You're in the queue, an agent will be with you shortly.")
        let task = try await handoff.agent.waitForTask { $0.status == "reserved" }
        #expect(task.friendlyName == "Ada Lovelace - software")
        #expect(task.customer?.identity == "ada")
        return task
    }

    @Test("pre-chat, queue, acceptance, transcript, messages both ways, an agent command with buttons, completion, the bot again")
    func completed() async throws {
        try await Self.with { handoff in
            let bot = handoff.bot, agent = handoff.agent
            let task = try await Self.preChat(handoff)
            _ = try await agent.accept(task.sid)
            try await handoff.expectShown("status: Alice E. has joined the chat.")
            // The agent reads the transcript of the pre-chat, then the note.
            let transcript = try await agent.waitForMessages(channel: task.channelSid) { messages in
                messages.contains { $0.role == "bot" && $0.body.contains("\nuser: Ada Lovelace") }
            }
            let text = try #require(transcript.first { $0.body.contains("\nuser: Ada Lovelace") }?.body)
            #expect(text.contains("bot: Before we connect you, what's your name?\nuser: Ada Lovelace"))
            #expect(text.contains("bot: Hi Ada Lovelace, what can we help you with?\n--> [Hardware]\n--> [Software]\nuser: Software"))
            #expect(transcript.contains { $0.body == "📝 Ada Lovelace needs help with software." })

            // Both ways.
            try await bot.say("The app crashes when I save.")
            _ = try await agent.waitForMessages(channel: task.channelSid) { messages in
                messages.contains { $0.role == "customer" && $0.body == "The app crashes when I save." }
            }
            _ = try await agent.say("Sorry to hear that! Which version do you use?", channel: task.channelSid)
            try await handoff.expectShown("agent(Alice E.): Sorry to hear that! Which version do you use?")
            #expect(try await bot.mode() == "agent")

            // An agent command asks the user with buttons; the answer reaches the agent.
            _ = try await agent.say("/ask_issue_frequency", channel: task.channelSid)
            try await handoff.expectShown("button: Several times a week")
            #expect(try await !handoff.lines().contains { $0.contains("/ask_issue_frequency") })
            _ = try await agent.waitForMessages(channel: task.channelSid) { messages in
                messages.contains { $0.body.hasPrefix("bot: How often does the issue occur?\n--> [Once a week]") }
            }
            let question = try #require(try await bot.ledger().last { $0.type == EventTypes.buttons })
            let choice = try #require(question.choices.first { $0.text == "Once a week" }?.buttonID)
            try await bot.click(choice)
            _ = try await agent.waitForMessages(channel: task.channelSid) { messages in
                messages.contains { $0.role == "customer" && $0.body == "Once a week" }
            }
            #expect(try await bot.mode() == "agent")

            // The agent completes: the bot is back.
            _ = try await agent.complete(task.sid, reason: "resolved")
            try await handoff.expectShown("status: Alice E. has left the chat. You're back with the bot.")
            #expect(try await bot.eventually { try await bot.mode() == "bot" })
            try await bot.say("hello")
            #expect(try await handoff.lines().last == "bot: Hello! I'm the support bot.")
            // Every webhook the emulator sent was answered 2xx.
            let deliveries = try await agent.deliveries(wait: .zero).value
            #expect(!deliveries.isEmpty)
            #expect(deliveries.allSatisfy { $0.status != .failed }, "\(deliveries.map { "\($0.status)" })")
        }
    }

    @Test("a task canceled before any agent accepts gives the thread back to the bot")
    func canceled() async throws {
        try await Self.with { handoff in
            let bot = handoff.bot
            let task = try await Self.preChat(handoff)
            try await bot.say("hello")
            #expect(try await handoff.lines().last != "bot: Hello! I'm the support bot.")
            _ = try await handoff.agent.cancel(task.sid, reason: "no agents")
            try await handoff.expectShown("status: No agent is available right now. You're back with the bot.")
            #expect(try await bot.eventually { try await bot.mode() == "bot" })
            try await bot.say("hello")
            #expect(try await handoff.lines().last == "bot: Hello! I'm the support bot.")
        }
    }
}
