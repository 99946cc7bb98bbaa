import BotRuntime
import BotServer
import FlowDSL
import Foundation
import Logging
import TwilioEmulator
import TwilioIntegration

/// `botcli simulate --flex`, `--sms` and `--voice`: Twilio in one terminal. A local Twilio
/// emulator stands in for Twilio, the bot's webhooks are served on a loopback port for it to
/// call, and the integrations talk to the emulator with the emulator's own account (`target`:
/// the app's vault needs no Twilio values). `:agent` speaks as the agent who has the chat; the
/// agent console in a browser works alongside. With a `phone`, the person at the terminal is an
/// SMS customer: their lines are texts to the emulator's number, which its Address
/// Configuration routes into a conversation with the bot, and what reaches their phone is what
/// they see. With `.voice`, they are a caller (`SimulatedCall`) on the emulator's number, whose
/// calls ask the app's voice integration, with the given virtual agents.
struct SimulatedTwilio {
    let emulator: TwilioEmulator
    /// The emulator's account, for the integrations' `IntegrationSetup.settingsOverride`.
    let target: TwilioTarget
    /// Where the emulator reaches the bot's webhooks, for `IntegrationSetup.publicURL`.
    let botURL: String
    /// The customer's and the business's numbers, with `--sms` or `--voice`.
    let phone: (customer: String, business: String)?
    /// What the person at the terminal is.
    enum Mode {
        /// A visitor of the chat page, whose chat can be handed to the emulator's Flex.
        case flex
        /// A customer texting the business number.
        case sms
        /// A caller on the business number, with these scripted Dialogflow CX agents.
        case voice([VirtualAgentScript])
    }
    private let state: ServingState
    private let server: Task<Void, Error>

    /// The numbers of the simulated text conversation or call (the 555-01xx range is fictional).
    static let customerNumber = "+15555550100", businessNumber = "+15555550199"

    /// Starts the emulator on `port` and the bot's webhook server. With `.sms` the business
    /// number's Address Configuration calls the app's Conversations integration and the
    /// service's pre-event webhook is the bot's; with `.voice` the business number's calls ask
    /// the app's voice integration. Make the engine's integrations with `target`, call
    /// `serve(_:)` with the engine, then `stop()` at the end.
    static func start(app: BotApp, port: Int, mode: Mode, logger: Logger) async throws -> SimulatedTwilio {
        func id(_ type: String) -> String? { app.integrations.values.filter { $0.type == type }.map(\.id).min() }
        let flexID = id(FlexElements.integrationType), conversationsID = id(ConversationsElements.integrationType)
        let voiceID = id(VoiceElements.integrationType)
        switch mode {
        case .flex: if flexID == nil { throw SimulatedTwilioError.noFlexIntegration }
        case .sms: if conversationsID == nil { throw SimulatedTwilioError.noConversationsIntegration }
        case .voice: if voiceID == nil { throw SimulatedTwilioError.noVoiceIntegration }
        }
        let state = ServingState()
        // The bot's side first: the emulator needs its webhook URL.
        let (listening, announce) = AsyncStream.makeStream(of: Int.self)
        let webhookServer = BotServer(configuration: BotServerConfiguration(host: "127.0.0.1", port: 0), state: state, logger: logger)
        let application = webhookServer.makeApplication { port in announce.yield(port) }
        let server = Task {
            defer { announce.finish() }  // a server that cannot start ends the wait below
            try await application.runService()
        }
        var ports = listening.makeAsyncIterator()
        guard let botPort = await ports.next() else { throw SimulatedTwilioError.serverDidNotStart }

        var configuration = TwilioEmulator.Configuration(port: port)
        let botURL = "http://127.0.0.1:\(botPort)"
        if let flexID {
            configuration.chatWebhookURL = "\(botURL)/webhooks/\(flexID)"
            configuration.taskRouterCallbackURL = configuration.chatWebhookURL
        }
        switch mode {
        case .flex: break
        case .sms:
            let url = "\(botURL)/webhooks/\(conversationsID ?? "")"
            configuration.addresses = [TwilioEmulator.Address(type: "sms", address: businessNumber, webhookURL: url)]
            configuration.conversationsPreWebhookURL = url
        case .voice(let scripts):
            let url = "\(botURL)/webhooks/\(voiceID ?? "")"
            configuration.voiceNumbers = [TwilioEmulator.VoiceNumber(number: businessNumber, voiceURL: url, statusCallbackURL: url + "/status")]
            configuration.virtualAgents = scripts
        }
        let emulator: TwilioEmulator
        do {
            emulator = try await TwilioEmulator.start(configuration, logger: logger)
        } catch {
            server.cancel()
            throw SimulatedTwilioError.emulatorDidNotStart(port: port, reason: "\(error)")
        }
        let target = TwilioTarget(apiBaseURL: emulator.baseURL, accountSid: configuration.accountSid, authToken: configuration.authToken,
                                apiKeySid: configuration.apiKeySid, apiKeySecret: configuration.apiKeySecret,
                                flexFlowSid: configuration.flexFlowSid, chatServiceSid: configuration.chatServiceSid,
                                workspaceSid: configuration.workspaceSid, workflowSid: configuration.workflowSid)
        let phone: (String, String)? = if case .flex = mode { nil } else { (customerNumber, businessNumber) }
        return SimulatedTwilio(emulator: emulator, target: target, botURL: botURL, phone: phone, state: state, server: server)
    }

    /// Webhooks reach `engine` from now on.
    func serve(_ engine: BotEngine) {
        state.serve(engine)
    }

    /// The customer texts the business number; the conversation it went to (its thread is
    /// `twilio-conversation-<sid>`), or why it could not be sent.
    func text(_ body: String) async -> Result<String, SimulatedTwilioError> {
        guard let phone else { return .failure(.noPhone) }
        do {
            return .success(try await emulator.agent.text(body, from: phone.customer, to: phone.business).conversationSid)
        } catch {
            return .failure(.refused("\(error)"))
        }
    }

    /// Prints what reaches the customer's phone as it comes (`sms: …`, one line per line of a
    /// text), until cancelled.
    func watchPhone(_ transcript: LiveTranscript) -> Task<Void, Never>? {
        guard let phone else { return nil }
        let agent = emulator.agent
        return Task {
            var seen = 0, version: Int?
            while !Task.isCancelled {
                guard let snapshot = try? await agent.phone(phone.customer, after: version, wait: .seconds(10)) else {
                    try? await Task.sleep(for: .milliseconds(200))
                    continue
                }
                version = snapshot.version
                let fresh = snapshot.value.dropFirst(seen).filter { $0.direction == "outbound" }
                seen = snapshot.value.count
                transcript.showLines(fresh.flatMap(Self.lines))
            }
        }
    }

    /// A text as the simulator prints it: its lines as `sms: …`; a template by its SID and
    /// variables; one that did not arrive with its error.
    static func lines(_ message: PhoneMessage) -> [String] {
        var lines = message.body.split(separator: "\n", omittingEmptySubsequences: false).map { "sms: \($0)" }
        if let content = message.contentSid { lines = ["sms: [template \(content) \(message.contentVariables ?? "{}")]"] }
        if message.status != "delivered" {
            lines = lines.map { $0 + " (\(message.status)\(message.errorCode.map { ", error \($0)" } ?? ""))" }
        }
        return lines
    }

    /// The agent who has the thread's chat says `text` (a `/command` too), accepting the
    /// waiting task first. Nil when done, else why it could not be.
    func agentSays(_ text: String, thread: ThreadRecord?) async -> String? {
        guard case .map(let flex)? = thread?.scope["flex"], case .string(let channel)? = flex["channel_sid"] else {
            return "no agent has this chat: hand it over first (say `agent`, or click \"Talk to an agent\")"
        }
        do {
            let tasks = try await emulator.agent.tasks(wait: .zero).value
            guard let task = tasks.last(where: { $0.channelSid == channel }) else {
                return "the emulator has no task for channel \(channel)"
            }
            if ["pending", "reserved"].contains(task.status) {
                try await emulator.agent.accept(task.sid)
            } else if task.status != "assigned" {
                return "the agent's task is \(task.status); hand the chat over again to talk to an agent"
            }
            try await emulator.agent.say(text, channel: channel)
            return nil
        } catch {
            return "the Flex emulator refused: \(error)"
        }
    }

    /// Stops the emulator and the webhook server (the integration is shut down by its owner).
    func stop() async {
        await emulator.stop()
        server.cancel()
        _ = try? await server.value
    }
}

/// Why `simulate --flex` / `--sms` could not set up the local Twilio, or send a text.
enum SimulatedTwilioError: Error, CustomStringConvertible {
    case serverDidNotStart
    case noFlexIntegration
    case noConversationsIntegration
    case noVoiceIntegration
    case noPhone
    case refused(String)
    case emulatorDidNotStart(port: Int, reason: String)

    var description: String {
        switch self {
        case .serverDidNotStart:
            "the bot's webhook server did not start"
        case .noFlexIntegration:
            "--flex needs an app with a Twilio Flex integration (type: meya.twilio.flex.integration); `botcli init` makes one"
        case .noConversationsIntegration:
            "--sms needs an app with a Twilio Conversations integration (type: parley.twilio.conversations.integration); "
                + "`botcli init` makes one, docs/conversations.md explains it"
        case .noVoiceIntegration:
            "--voice needs an app with a Twilio Voice integration; add integration/twilio/voice.yaml "
                + "(`type: parley.twilio.voice.integration`, see docs/voice.md)"
        case .noPhone:
            "this simulation has no phone (use --sms)"
        case .refused(let reason):
            "the emulator refused the text: \(reason)"
        case .emulatorDidNotStart(let port, let reason):
            "the Twilio emulator could not listen on 127.0.0.1:\(port) (\(reason)); pick another port with --flex-port"
        }
    }
}
