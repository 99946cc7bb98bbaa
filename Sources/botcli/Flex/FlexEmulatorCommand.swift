import ArgumentParser
import Foundation
import Logging
import ParleyApp
import TwilioEmulator

/// `botcli flex emulator`: serve the Flex emulator until Ctrl-C.
struct FlexEmulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emulator",
        abstract: "Run a local Twilio Flex emulator with an agent console (a development tool).",
        discussion: """
            Serves, on one origin, the Twilio REST calls a bot's Flex integration makes — Flex \
            POST /v1/Channels, Chat v2 messages and channel updates, TaskRouter task updates — and \
            sends back the webhooks Flex sends, signed with the auth token: TaskRouter events \
            (task-queue.entered, reservation.created/accepted/completed, task.completed, \
            task.canceled) and Chat events (onMessageSent, onChannelUpdated). Point the \
            integration's api_base_url at the printed URL, put the printed SIDs and credentials \
            in the app's vault, and open the agent console in a browser to accept chats, talk \
            (/commands included), complete or cancel. Everything is in memory; nothing reaches \
            Twilio. REST calls need HTTP Basic auth (account SID and auth token, or the API key).

            Webhooks go to --webhook-url (both products) or --chat-webhook-url and \
            --taskrouter-callback-url; the integration can also set them through the REST API \
            (Chat service PostWebhookUrl, workspace EventCallbackUrl). Failed deliveries are \
            retried with backoff, keeping their I-Twilio-Idempotency-Token.

            Agent JSON API (no auth; lists answer {"version": N, …}; add \
            ?after=N&wait=S to wait up to S ≤ 30 seconds for a change after version N):
              GET  /emulator/api/info: SIDs, webhook URLs, agents
              GET  /emulator/api/tasks: sid, status, friendly_name, attributes, worker…
              GET  /emulator/api/tasks/WT…: one task
              POST /emulator/api/tasks/WT…/accept: reservation.accepted follows
              POST /emulator/api/tasks/WT…/complete {"reason"?}: onChannelUpdated
                   (status INACTIVE), reservation.completed, task.completed
              POST /emulator/api/tasks/WT…/cancel {"reason"?}: task.canceled
              GET  /emulator/api/channels/CH…/messages: the transcript
              POST /emulator/api/channels/CH…/messages {"body"}: onMessageSent
              GET  /emulator/api/events: webhook deliveries and their outcome
              POST /emulator/api/phone/messages {"from", "to", "body"}: a customer
                   texts a configured number (Address Configuration → conversation →
                   onMessageAdded)
              GET  /emulator/api/phone/messages?customer=+1…: what a phone sent and got
              POST /emulator/api/clock {"advance_seconds"}: move the clock on (a WhatsApp
                   reply 24 h after the customer's last message fails with 63016)

            Phones: --sms-number and --whatsapp-number make Address Configurations whose \
            conversations call --conversations-webhook-url (the Conversations integration), \
            which also becomes the service's pre-event webhook (onMessageAdd); REST \
            /v1/Configuration/Addresses makes more.

            Calls: a call to --voice-number asks --voice-url (the voice integration) for TwiML \
            and plays it: <Say> is heard, <Gather> listens, <Enqueue> puts the caller on hold \
            for an agent (a voice task in the console), <Connect><VirtualAgent> reaches a \
            --virtual-agent script. REST /2010-04-01/Accounts/AC…/IncomingPhoneNumbers.json \
            adds numbers.
              POST /emulator/api/calls {"from", "to"}: a caller calls a number
              GET  /emulator/api/calls/CA…: what was said on the call, what it waits for
              POST /emulator/api/calls/CA…/speech {"text"} | /digits {"digits"} |
                   /silence | /hangup: what the caller does

            Try it:
              botcli flex emulator \\
                --webhook-url http://127.0.0.1:5005/webhooks/integration.twilio.flex
              curl http://127.0.0.1:5055/v1/Channels \\
                -u AC57fd0608be32bc7b399f485192bb8be8:5ca1ab1e0ddba11d0e5c0ffee0ba5eba \\
                -d FlexFlowSid=FO37c42c8ba36d0b96bd670468b7ad0531 -d Identity=ana \\
                -d ChatUserFriendlyName=Ana -d ChatFriendlyName='Ana - help'
            """
    )

    @Option(help: ArgumentHelp("The address to listen on; keep 127.0.0.1 unless other machines must reach it.", valueName: "address"))
    var host: String = "127.0.0.1"

    @Option(help: ArgumentHelp("The TCP port; 0 picks a free one.", valueName: "port"))
    var port: Int = 5055

    @Option(name: .customLong("webhook-url"),
            help: ArgumentHelp("Where the bot receives Flex webhooks (both Chat and TaskRouter events).", valueName: "url"))
    var webhookURL: String?

    @Option(name: .customLong("chat-webhook-url"), help: ArgumentHelp("The Chat service's post-event webhook URL.", valueName: "url"))
    var chatWebhookURL: String?

    @Option(name: .customLong("taskrouter-callback-url"),
            help: ArgumentHelp("The TaskRouter workspace's event callback URL.", valueName: "url"))
    var taskRouterCallbackURL: String?

    @Option(name: .customLong("agent"), parsing: .singleValue,
            help: ArgumentHelp("An agent as EMAIL or 'EMAIL=Full Name'; repeat for several (default: alice@example.com=Alice Example).",
                               valueName: "agent"))
    var agents: [String] = []

    @Option(name: .customLong("account-sid"), help: ArgumentHelp("The account SID clients authenticate with.", valueName: "AC…"))
    var accountSid: String = TwilioEmulator.Defaults.accountSid

    @Option(name: .customLong("auth-token-file"),
            help: ArgumentHelp("A file holding the auth token (default: the emulator's fixed development token).", valueName: "file"))
    var authTokenFile: String?

    @Option(name: .customLong("channel-type"), help: ArgumentHelp("channel_type of created chats: web, sms, custom, …", valueName: "type"))
    var channelType: String = "web"

    @Option(name: .customLong("sms-number"), help: ArgumentHelp("A business number customers text (+E.164), routed into Conversations.",
                                                                valueName: "number"))
    var smsNumber: String?

    @Option(name: .customLong("whatsapp-number"), help: ArgumentHelp("A WhatsApp sender (+E.164), routed into Conversations.",
                                                                     valueName: "number"))
    var whatsappNumber: String?

    @Option(name: .customLong("conversations-webhook-url"),
            help: ArgumentHelp("Where the numbers' conversations send their events, and the pre-event webhook "
                               + "(default: http://127.0.0.1:5005/twilio/conversations/events).", valueName: "url"))
    var conversationsWebhookURL = "http://127.0.0.1:5005/twilio/conversations/events"

    @Option(name: .customLong("voice-number"), help: ArgumentHelp("A number callers call (+E.164); its calls ask --voice-url for TwiML.",
                                                                  valueName: "number"))
    var voiceNumber: String?

    @Option(name: .customLong("voice-url"),
            help: ArgumentHelp("The voice number's \"A call comes in\" webhook (default: http://127.0.0.1:5005/twilio/voice/incoming).",
                               valueName: "url"))
    var voiceURL = "http://127.0.0.1:5005/twilio/voice/incoming"

    @Option(name: .customLong("voice-status-url"),
            help: ArgumentHelp("Where a call's end is posted (default: http://127.0.0.1:5005/twilio/voice/status).", valueName: "url"))
    var voiceStatusURL = "http://127.0.0.1:5005/twilio/voice/status"

    @Option(name: .customLong("virtual-agent"), parsing: .singleValue,
            help: ArgumentHelp("A scripted Dialogflow CX agent (YAML: connector_name, welcome, turns, fallback; see docs/voice.md) that "
                               + "<Connect><VirtualAgent> reaches; repeat for several.", valueName: "file"))
    var virtualAgentFiles: [String] = []

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, not \(port)") }
        for (name, url) in [("--webhook-url", webhookURL), ("--chat-webhook-url", chatWebhookURL),
                            ("--taskrouter-callback-url", taskRouterCallbackURL), ("--conversations-webhook-url", conversationsWebhookURL),
                            ("--voice-url", voiceURL), ("--voice-status-url", voiceStatusURL)] {
            guard let url else { continue }
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
                throw ValidationError("\(name) must be an http:// or https:// URL, not `\(url)`")
            }
        }
        for agent in agents where !agent.split(separator: "=", maxSplits: 1)[0].contains("@") {
            throw ValidationError("--agent takes EMAIL or 'EMAIL=Full Name', not `\(agent)`")
        }
        for (name, number) in [("--sms-number", smsNumber), ("--whatsapp-number", whatsappNumber), ("--voice-number", voiceNumber)] {
            guard let number else { continue }
            guard number.hasPrefix("+"), number.count > 2, number.dropFirst().allSatisfy(\.isNumber) else {
                throw ValidationError("\(name) takes a number in E.164 form such as +15555550199, not `\(number)`")
            }
        }
        guard TwilioSIDShape.isSID(accountSid, prefix: "AC") else { throw ValidationError("--account-sid must be AC followed by 32 hex digits") }
    }

    func run() async throws {
        ParleyLogging.useDefaultLevel(.notice)
        var configuration = TwilioEmulator.Configuration()
        configuration.host = host
        configuration.port = port
        configuration.accountSid = accountSid
        if let authTokenFile {
            do {
                configuration.authToken = try String(contentsOfFile: authTokenFile, encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                Terminal.error("error: cannot read --auth-token-file \(authTokenFile): \(error.localizedDescription)")
                throw ExitCode(1)
            }
        }
        configuration.chatWebhookURL = chatWebhookURL ?? webhookURL
        configuration.taskRouterCallbackURL = taskRouterCallbackURL ?? webhookURL
        configuration.channelType = channelType
        for (type, number) in [("sms", smsNumber), ("whatsapp", whatsappNumber)] {
            guard let number else { continue }
            configuration.addresses.append(TwilioEmulator.Address(type: type, address: number, webhookURL: conversationsWebhookURL))
        }
        if !configuration.addresses.isEmpty { configuration.conversationsPreWebhookURL = conversationsWebhookURL }
        if let voiceNumber {
            configuration.voiceNumbers = [TwilioEmulator.VoiceNumber(number: voiceNumber, voiceURL: voiceURL, statusCallbackURL: voiceStatusURL)]
        }
        do {
            configuration.virtualAgents = try virtualAgentFiles.map(VirtualAgentScript.init(contentsOfFile:))
        } catch {
            Terminal.error("error: \(error)")
            throw ExitCode(1)
        }
        if !agents.isEmpty {
            configuration.workers = agents.map { agent in
                let parts = agent.split(separator: "=", maxSplits: 1).map(String.init)
                let email = parts[0]
                return TwilioEmulator.Worker(email: email, fullName: parts.count > 1 ? parts[1] : String(email.split(separator: "@")[0]))
            }
        }
        let emulator: TwilioEmulator
        do {
            emulator = try await TwilioEmulator.start(configuration, logger: ParleyLogging.logger("parley.flex-emulator"), handlingSignals: true)
        } catch {
            Terminal.error("error: \(error)")
            throw ExitCode(1)
        }
        // Written at once (not through print's buffer) so a script reading a pipe sees it now.
        FileHandle.standardOutput.write(Data((Self.banner(emulator, showsToken: authTokenFile == nil) + "\n").utf8))
        try await emulator.waitUntilStopped()
    }

    /// What to open and what to put in the vault. The auth token is printed only when it is the
    /// emulator's fixed development token, never one read from a file.
    static func banner(_ emulator: TwilioEmulator, showsToken: Bool) -> String {
        let c = emulator.configuration
        var lines = [
            "Parley Flex emulator — a DEVELOPMENT tool, not Twilio; everything stays in memory.",
            "",
            "  Agent console   \(emulator.consoleURL)",
            "  API base URL    \(emulator.baseURL)   (the integration's api_base_url)",
            "  Chat webhooks   \(c.chatWebhookURL ?? "none yet (--webhook-url, or the Chat service's PostWebhookUrl)")",
            "  TaskRouter      \(c.taskRouterCallbackURL ?? "none yet (--webhook-url, or the workspace's EventCallbackUrl)")",
            "  Agents          \(c.workers.map { "\($0.displayName) (\($0.name))" }.joined(separator: ", "))",
            "  Phone numbers   \(c.addresses.isEmpty ? "none (--sms-number, --whatsapp-number)" : c.addresses.map(\.address).joined(separator: ", "))"
                + (c.addresses.isEmpty ? "" : " → \(c.addresses[0].webhookURL)"),
            "  Voice           \(c.voiceNumbers.first.map { "\($0.number) → \($0.voiceURL)" } ?? "none (--voice-number)")"
                + (c.virtualAgents.isEmpty ? "" : "; virtual agents: \(c.virtualAgents.map(\.connectorName).joined(separator: ", "))"),
            "",
            // Unindented, so the block pastes into vault.secret.yaml as it is.
            "vault.secret.yaml for an app using it (key names as `botcli init` writes them):",
            "",
            "twilio.account_sid: \(c.accountSid)",
            "twilio.api_key_sid: \(c.apiKeySid)",
            "twilio.api_key_secret: \(c.apiKeySecret)",
        ]
        if showsToken { lines.append("twilio.auth_token: \(c.authToken)") }
        lines += [
            "# Flex Conversations (the template's mode):",
            "twilio_flex.workspace_sid: \(c.workspaceSid)",
            "twilio_flex.workflow_sid: \(c.workflowSid)",
            "# Programmable Chat (mode: programmable_chat):",
            "twilio_flex.flex_flow_sid: \(c.flexFlowSid)",
            "twilio_flex.flex_chat_service_sid: \(c.chatServiceSid)",
            "",
            "Ctrl-C stops it.",
        ]
        if !["127.0.0.1", "localhost", "::1"].contains(c.host) {
            lines.insert("warning: listening on \(c.host); the agent API has no authentication.", at: 1)
        }
        return lines.joined(separator: "\n")
    }
}

/// SID shape checks for option validation.
private enum TwilioSIDShape {
    static func isSID(_ text: String, prefix: String) -> Bool {
        text.hasPrefix(prefix) && text.count == prefix.count + 32 && text.dropFirst(prefix.count).allSatisfy(\.isHexDigit)
    }
}
