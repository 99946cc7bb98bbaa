import BotRuntime
import BotServer
import FlowDSL
import Foundation
import Logging
import TwilioEmulator
import TwilioIntegration

/// `botcli simulate --flex`: the whole human handoff in one terminal. A local Twilio emulator
/// stands in for Twilio, the bot's webhooks are served on a loopback port for it to call, and
/// the integrations talk to the emulator with the emulator's own account (`target`: the app's
/// vault needs no Twilio values). `:agent` speaks as the agent who has the chat; the agent
/// console in a browser works alongside.
struct SimulatedFlex {
    let emulator: TwilioEmulator
    /// The emulator's account, for the integrations' `IntegrationSetup.settingsOverride`.
    let target: TwilioTarget
    /// Where the emulator reaches the bot's webhooks, for `IntegrationSetup.publicURL`.
    let botURL: String
    private let state: ServingState
    private let server: Task<Void, Error>

    /// Starts the emulator on `port` and the bot's webhook server. Make the engine's
    /// integrations with `target`, call `serve(_:)` with the engine, then `stop()` at the end.
    static func start(app: BotApp, port: Int, logger: Logger) async throws -> SimulatedFlex {
        guard let integrationID = app.integrations.values.first(where: { $0.type == FlexElements.integrationType })?.id else {
            throw SimulatedFlexError.noFlexIntegration
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
        guard let botPort = await ports.next() else { throw SimulatedFlexError.serverDidNotStart }

        var configuration = TwilioEmulator.Configuration(port: port)
        let botURL = "http://127.0.0.1:\(botPort)"
        let webhookURL = "\(botURL)/webhooks/\(integrationID)"
        configuration.chatWebhookURL = webhookURL
        configuration.taskRouterCallbackURL = webhookURL
        let emulator: TwilioEmulator
        do {
            emulator = try await TwilioEmulator.start(configuration, logger: logger)
        } catch {
            server.cancel()
            throw SimulatedFlexError.emulatorDidNotStart(port: port, reason: "\(error)")
        }
        let target = TwilioTarget(apiBaseURL: emulator.baseURL, accountSid: configuration.accountSid, authToken: configuration.authToken,
                                apiKeySid: configuration.apiKeySid, apiKeySecret: configuration.apiKeySecret,
                                flexFlowSid: configuration.flexFlowSid, chatServiceSid: configuration.chatServiceSid,
                                workspaceSid: configuration.workspaceSid, workflowSid: configuration.workflowSid)
        return SimulatedFlex(emulator: emulator, target: target, botURL: botURL, state: state, server: server)
    }

    /// Webhooks reach `engine` from now on.
    func serve(_ engine: BotEngine) {
        state.serve(engine)
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

/// Why `simulate --flex` could not set up the local Flex.
enum SimulatedFlexError: Error, CustomStringConvertible {
    case serverDidNotStart
    case noFlexIntegration
    case emulatorDidNotStart(port: Int, reason: String)

    var description: String {
        switch self {
        case .serverDidNotStart:
            "the bot's webhook server did not start"
        case .noFlexIntegration:
            "--flex needs an app with a Twilio Flex integration (type: meya.twilio.flex.integration); `botcli init` makes one"
        case .emulatorDidNotStart(let port, let reason):
            "the Flex emulator could not listen on 127.0.0.1:\(port) (\(reason)); pick another port with --flex-port"
        }
    }
}
