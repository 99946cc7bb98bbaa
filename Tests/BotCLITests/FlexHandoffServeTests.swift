import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import SharedTestFixtures
import Testing
import TwilioEmulator
import TwilioWire

/// The acceptance run of the Flex handoff: the real `botcli serve` binary on the template app
/// (its Twilio values uploaded to the vault) and the Flex emulator, over HTTP on 127.0.0.1, in
/// Flex Conversations (the template's mode) and in Programmable Chat (the same app with the
/// Flex Flow fields instead). The user talks through the REST channel; what webhooks bring
/// later is read from the thread's ledger through the admin API; the agent acts through the
/// emulator's agent API.
@Suite("Flex handoff: botcli serve with the Flex emulator")
struct FlexHandoffServeTests {
    static let token = "flex-handoff-admin-token-0123456789"
    static let user = "ana"

    /// Which Flex the template app talks to.
    enum Mode: Sendable {
        case conversations, programmableChat
    }

    /// A served template app pointed at a running emulator.
    struct Handoff {
        let emulator: TwilioEmulator
        let client: TestClient
        var agent: AgentClient { emulator.agent }

        /// One REST turn; the texts, statuses and button titles it answered.
        func say(_ body: String) async throws -> [String] {
            let reply = try await client.post("/webhooks/rest/webhook", body: ByteBuffer(string: body))
            try #require(reply.status == .ok, "\(reply.status): \(reply.body.map { String(buffer: $0) } ?? "")")
            let items = try #require(try JSONSerialization.jsonObject(with: Data(buffer: reply.body ?? ByteBuffer())) as? [[String: Any]])
            return items.flatMap { item -> [String] in
                var lines: [String] = []
                if let text = item["text"] as? String { lines.append("bot: \(text)") }
                if let status = item["status"] as? String { lines.append("status: \(status)") }
                for case let button as [String: Any] in item["buttons"] as? [Any] ?? [] { lines.append("button: \(button["title"] ?? "")") }
                return lines
            }
        }

        /// The ledger shows `status`, the thread is back in bot mode, and the bot answers `help`.
        func expectBackWithBot(after status: String) async throws {
            try await waitForLedger(status)
            #expect(try await thread()["mode"] as? String == "bot")
            #expect(try await message("help").contains("bot: What would you like to do?"))
        }

        func message(_ text: String) async throws -> [String] {
            try await say(#"{"sender": "\#(FlexHandoffServeTests.user)", "message": "\#(text)"}"#)
        }

        /// The thread as the admin API shows it.
        func thread() async throws -> [String: Any] {
            let reply = try await client.get("/admin/threads/\(FlexHandoffServeTests.user)", headers: [.authorization: "Bearer \(FlexHandoffServeTests.token)"])
            try #require(reply.status == .ok)
            return try #require(try JSONSerialization.jsonObject(with: Data(buffer: reply.body ?? ByteBuffer())) as? [String: Any])
        }

        /// Waits (bounded) until the thread's ledger shows `line` (`status: …`, `agent(NAME): …`, `bot: …`).
        func waitForLedger(_ line: String, timeout: Duration = .seconds(15)) async throws {
            let deadline = ContinuousClock.now + timeout
            var seen: [String] = []
            while ContinuousClock.now < deadline {
                seen = try await ledgerLines()
                if seen.contains(line) { return }
                try await Task.sleep(for: .milliseconds(50))
            }
            Issue.record("the ledger never showed `\(line)`; it has \(seen)")
        }

        func ledgerLines() async throws -> [String] {
            let events = try await thread()["events"] as? [[String: Any]] ?? []
            // What the user is shown, as `botcli simulate` prints it (agent commands are not).
            return events.compactMap { event in
                let data = event["data"] as? [String: Any] ?? [:]
                guard let text = data["text"] as? String else { return nil }
                switch (event["sender"] as? String, event["type"] as? String) {
                case ("agent", "meya.text.event.say"): return "agent(\(data["agent_name"] as? String ?? "Agent")): \(text)"
                case ("bot", "meya.text.event.status"): return "status: \(text)"
                case ("bot", "meya.text.event.say"), ("bot", "meya.text.event.ask"), ("bot", "meya.button.event.ask"): return "bot: \(text)"
                default: return nil
                }
            }
        }

        /// The agent's view of the channel: every message body.
        func channelBodies(_ channel: String) async throws -> [String] {
            try await agent.messages(channel: channel, wait: .zero).value.messages.map(\.body)
        }
    }

    /// Template app + vault values for the emulator + `botcli serve` + emulator; runs `body`.
    /// On PostgreSQL when `onPostgres` (a new database on the test cluster, the vault uploaded
    /// there), else on the app's SQLite file.
    static func withHandoff(_ mode: Mode = .conversations, onPostgres: Bool = false,
                            _ body: @escaping @Sendable (Handoff) async throws -> Void) async throws {
        let (app, emulator) = try await Self.templateWithEmulator(mode)
        defer { try? FileManager.default.removeItem(at: app) }
        var store: [String] = []
        if onPostgres {
            store = ["--store", try await TestPostgres.database() + "?sslmode=disable"]
            let upload = try await BotCLIRunner.run(["vault", "upload", "--app", app.path, "--file",
                                                     app.appendingPathComponent("vault.secret.yaml").path] + store)
            if upload.status != 0 { await emulator.stop() }
            try #require(upload.status == 0, "\(upload.stderr)")
        }
        try await serve(app, with: emulator, arguments: store) { port, _ in
            try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
                try await body(Handoff(emulator: emulator, client: client))
            }
        }
    }

    /// Serves `app` with `botcli serve`, its Flex webhooks pointed at `emulator`; runs `body`
    /// with the bot's port (and its process), checks that the server's log names no secret, and
    /// stops the emulator.
    static func serve(_ app: URL, with emulator: TwilioEmulator, arguments: [String] = [],
                      _ body: (Int, BotCLIProcess) async throws -> Void) async throws {
        do {
            let (serve, port) = try await BotCLIRunner.serve(app: app, arguments: arguments, environment: ["PARLEY_ADMIN_TOKEN": token])
            defer { serve.send(SIGTERM) }
            try await pointWebhooks(of: emulator, at: port)
            try await body(port, serve)
            let secrets = [emulator.configuration.apiKeySecret, emulator.configuration.authToken]
            #expect(!secrets.contains { serve.output.contains($0) }, "the server's log names no secret")
        } catch {
            await emulator.stop()
            throw error
        }
        await emulator.stop()
    }

    /// A copy of the template app whose Flex integration and vault name a new emulator (its
    /// webhooks set by `pointWebhooks` once the bot listens). The caller stops the emulator and
    /// removes the app.
    static func templateWithEmulator(_ mode: Mode = .conversations, configure: (inout TwilioEmulator.Configuration) -> Void = { _ in })
        async throws -> (app: URL, emulator: TwilioEmulator) {
        let app = try SimulateCommandTests.copyOfTemplateApp()
        var configuration = TwilioEmulator.Configuration(port: 0)
        configure(&configuration)
        do {
            let emulator = try await TwilioEmulator.start(configuration, logger: TestLogs.logger("parley.flex-emulator"))
            do {
                try await pointTemplate(app, at: emulator.baseURL, configuration: configuration, mode: mode)
            } catch {
                await emulator.stop()
                throw error
            }
            return (app, emulator)
        } catch {
            try? FileManager.default.removeItem(at: app)
            throw error
        }
    }

    /// Points the emulator's webhooks (the Chat service's `PostWebhookUrl`, the workspace's
    /// `EventCallbackUrl`) at the bot listening on `port`, over Twilio's REST API as an account
    /// owner does: the bot takes a free port of its own (`--port 0`), so no other test's server
    /// can take it first. (A conversation's own webhook is the bot's to add: it knows its address.)
    static func pointWebhooks(of emulator: TwilioEmulator, at port: Int) async throws {
        let configuration = emulator.configuration
        let url = "http://127.0.0.1:\(port)/webhooks/integration.twilio.flex"
        for (path, field) in [("/v2/Services/\(configuration.chatServiceSid)", "PostWebhookUrl"),
                              ("/v1/Workspaces/\(configuration.workspaceSid)", "EventCallbackUrl")] {
            try await rest(emulator, path, [field: url])
        }
    }

    /// A POST to the emulator's REST API as the account owner; throws unless it is 2xx.
    @discardableResult
    static func rest(_ emulator: TwilioEmulator, _ path: String, _ form: TwilioForm) async throws -> String {
        let configuration = emulator.configuration
        var request = HTTPClientRequest(url: emulator.baseURL + path)
        request.method = .POST
        request.headers.add(name: "Authorization", value: TwilioBasicAuth(username: configuration.accountSid,
                                                                         password: configuration.authToken).authorizationHeader)
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: form.encoded))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = String(buffer: try await response.body.collect(upTo: 1 << 20))
        try #require((200..<300).contains(Int(response.status.code)), "\(path): \(response.status) \(body)")
        return body
    }

    /// Points the template app's Flex integration at `baseURL` (the template names the
    /// emulator's default port) and uploads the emulator's account to its vault; in
    /// Programmable Chat mode the integration names the Flex Flow instead of the workspace.
    private static func pointTemplate(_ app: URL, at baseURL: String, configuration: TwilioEmulator.Configuration, mode: Mode) async throws {
        let conversations = app.appendingPathComponent("integration/twilio/conversations.yaml")
        try Data(try String(contentsOf: conversations, encoding: .utf8).replacingOccurrences(of: "http://127.0.0.1:5055", with: baseURL).utf8)
            .write(to: conversations)
        let integration = app.appendingPathComponent("integration/twilio/flex.yaml")
        var yaml = try String(contentsOf: integration, encoding: .utf8).replacingOccurrences(of: "http://127.0.0.1:5055", with: baseURL)
        let sids: String
        switch mode {
        case .conversations:
            sids = "twilio_flex.workspace_sid: \(configuration.workspaceSid)\ntwilio_flex.workflow_sid: \(configuration.workflowSid)"
        case .programmableChat:
            for (from, to) in [("workspace_sid: (@ vault.twilio_flex.workspace_sid )", "flex_flow_sid: (@ vault.twilio_flex.flex_flow_sid )"),
                               ("workflow_sid: (@ vault.twilio_flex.workflow_sid )",
                                "flex_chat_service_sid: (@ vault.twilio_flex.flex_chat_service_sid )")] {
                try #require(yaml.contains(from))
                yaml = yaml.replacingOccurrences(of: from, with: to)
            }
            sids = "twilio_flex.flex_flow_sid: \(configuration.flexFlowSid)\ntwilio_flex.flex_chat_service_sid: \(configuration.chatServiceSid)"
            let names = app.appendingPathComponent("vault.yaml")
            let vault = try String(contentsOf: names, encoding: .utf8)
                .replacingOccurrences(of: "twilio_flex.workspace_sid: xxx", with: "twilio_flex.flex_flow_sid: xxx")
                .replacingOccurrences(of: "twilio_flex.workflow_sid: xxx", with: "twilio_flex.flex_chat_service_sid: xxx")
            try Data(vault.utf8).write(to: names)
        }
        try Data(yaml.utf8).write(to: integration)
        let secrets = app.appendingPathComponent("vault.secret.yaml")
        try Data("""
            support_phone: "+1 555 0100"
            twilio.account_sid: \(configuration.accountSid)
            twilio.api_key_sid: \(configuration.apiKeySid)
            twilio.api_key_secret: \(configuration.apiKeySecret)
            twilio.auth_token: \(configuration.authToken)
            \(sids)
            """.utf8).write(to: secrets)
        for command in [["vault", "keygen"], ["vault", "upload", "--file", secrets.path]] {
            let output = try await BotCLIRunner.run(command + ["--app", app.path])
            try #require(output.status == 0, "\(command): \(output.stderr)")
        }
    }

    /// Pre-chat up to the handoff question, then "Talk to an agent"; the task it made.
    static func handOver(_ handoff: Handoff) async throws -> AgentTask {
        _ = try await handoff.say(#"{"sender": "\#(user)", "event": "page_open", "url": "https://example.com"}"#)
        _ = try await handoff.message("Ana")
        _ = try await handoff.message("Software")
        // The channel is made after the turn (the outbox): the status follows Twilio's answer.
        #expect(try await handoff.message("Talk to an agent") == [])
        try await handoff.waitForLedger("status: Connecting you with an agent…")
        try await handoff.waitForLedger("status: You're in the queue. An agent will be with you shortly.")
        let task = try await handoff.agent.waitForTask { $0.status == "reserved" }
        #expect(task.friendlyName == "Ana - software")
        #expect(task.attributes["language"] == .string("en"))
        return task
    }

    @Test("Flex Conversations: a task with the summary, accepted, summary and transcript in the conversation, both ways, a command, the agent ends the chat, the bot again (on SQLite, and on PostgreSQL)",
          arguments: [false, true])
    func conversationsEndedByAgent(onPostgres: Bool) async throws {
        try await Self.withHandoff(.conversations, onPostgres: onPostgres) { handoff in
            let task = try await Self.handOver(handoff)
            #expect(task.attributes["customerName"] == .string("Ana"))
            #expect(task.attributes["handoffReason"] == .string("the user asked for a person"))
            let summary = try #require(task.attributes["conversationSummary"]?.stringValue)
            #expect(summary.contains("Reason: the user asked for a person") && summary.contains("name: Ana") && summary.contains("issue: software"),
                    "\(summary)")
            #expect(try await handoff.message("help") == [])

            try await handoff.agent.accept(task.sid)
            try await handoff.waitForLedger("status: Alice E. joined the chat.")
            // The summary first, then the conversation so far, each line by its author.
            let opening = try await handoff.agent.messages(channel: task.channelSid, wait: .zero).value.messages
            #expect(opening.first?.body == summary && opening.first?.role == "bot")
            #expect(opening.contains { $0.role == "customer" && $0.body == "Ana" })
            #expect(opening.contains { $0.role == "bot" && $0.body.hasPrefix("What can I help you with?") })
            // "help" sent while waiting reaches the agent too.
            _ = try await handoff.agent.waitForMessages(channel: task.channelSid) { $0.contains { $0.role == "customer" && $0.body == "help" } }

            try await Self.chatBothWays(handoff, task: task)
            try await handoff.agent.endChat(task.sid)
            try await handoff.expectBackWithBot(after: "status: Alice E. left the chat.")
            // The bot made the conversation, so the bot closes it: nothing is left open.
            try await Self.waitForConversation(task.channelSid, state: "closed", handoff)
            #expect(try await handoff.agent.task(task.sid).status == "wrapping")
        }
    }

    @Test("Flex Conversations: an agent command runs end_chat; the interaction channel and the conversation close")
    func conversationsEndedByFlow() async throws {
        try await Self.withHandoff(.conversations) { handoff in
            let task = try await Self.handOver(handoff)
            try await handoff.agent.accept(task.sid)
            try await handoff.waitForLedger("status: Alice E. joined the chat.")
            try await handoff.agent.say("/bot", channel: task.channelSid)
            try await handoff.waitForLedger("status: Alice E. handed you back to the bot.")
            try await handoff.waitForLedger("bot: You're back with the bot. Type `help` to see what I can do.")
            #expect(try await handoff.thread()["mode"] as? String == "bot")
            _ = try await handoff.agent.waitForMessages(channel: task.channelSid) { $0.contains { $0.body == "Handed back to the bot." } }
            try await Self.waitForConversation(task.channelSid, state: "closed", handoff)
            _ = try await handoff.agent.waitForTask { $0.sid == task.sid && $0.status == "wrapping" }
            // The agent's wrap-up and completion change nothing for the user.
            try await handoff.agent.complete(task.sid)
            #expect(try await handoff.message("help").contains("bot: What would you like to do?"))
            #expect(!(try await handoff.ledgerLines()).contains("status: Alice E. left the chat."))
        }
    }

    @Test("Flex Conversations: a canceled task tells the user, gives the thread back, and the bot closes its conversation")
    func conversationsCanceled() async throws {
        try await Self.withHandoff(.conversations) { handoff in
            let task = try await Self.handOver(handoff)
            try await handoff.agent.cancel(task.sid, reason: "no agent available")
            try await handoff.waitForLedger("status: No agent is available right now.")
            #expect(try await handoff.thread()["mode"] as? String == "bot")
            try await Self.waitForConversation(task.channelSid, state: "closed", handoff)
            // A second handoff of the thread opens a new conversation.
            #expect(try await handoff.message("agent") == [])
            let second = try await handoff.agent.waitForTask { $0.status == "reserved" && $0.sid != task.sid }
            #expect(second.channelSid != task.channelSid)
        }
    }

    /// Waits (bounded) until the emulator shows the conversation in `state`.
    static func waitForConversation(_ sid: String, state: String, _ handoff: Handoff) async throws {
        let deadline = ContinuousClock.now + .seconds(15)
        var seen: String?
        while ContinuousClock.now < deadline {
            seen = try await handoff.agent.messages(channel: sid, wait: .zero).value.channel.status
            if seen == state { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("conversation \(sid) is \(seen ?? "nil"), not \(state)")
    }

    /// Messages both ways, and `/ask_issue_frequency`: the user is asked with buttons, the
    /// answer reaches the agent, the command is never shown to the user.
    static func chatBothWays(_ handoff: Handoff, task: AgentTask) async throws {
        #expect(try await handoff.message("my screen stays blank") == [])
        _ = try await handoff.agent.waitForMessages(channel: task.channelSid) { $0.contains { $0.body == "my screen stays blank" } }
        try await handoff.agent.say("Hi Ana, I'm Alice. Let's fix that.", channel: task.channelSid)
        try await handoff.waitForLedger("agent(Alice E.): Hi Ana, I'm Alice. Let's fix that.")

        try await handoff.agent.say("/ask_issue_frequency", channel: task.channelSid)
        try await handoff.waitForLedger("bot: How often does the issue occur?")
        #expect(!(try await handoff.ledgerLines()).contains { $0.contains("/ask_issue_frequency") }, "the command is not shown to the user")
        #expect(try await handoff.message("Every day") == [])
        _ = try await handoff.agent.waitForMessages(channel: task.channelSid) { $0.contains { $0.body.contains("Every day") } }
        #expect(try await handoff.thread()["mode"] as? String == "agent")
    }

    @Test("Programmable Chat: pre-chat, queue, accepted, transcript, both ways, an agent command with buttons, completed, the bot again")
    func completed() async throws {
        try await Self.withHandoff(.programmableChat) { handoff in
            let task = try await Self.handOver(handoff)
            // While waiting, the bot's ordinary triggers stay silent.
            #expect(try await handoff.message("help") == [])

            try await handoff.agent.accept(task.sid)
            try await handoff.waitForLedger("status: Alice E. joined the chat.")
            // The agent sees the transcript of what came before.
            let transcript = try await handoff.agent.waitForMessages(channel: task.channelSid) { messages in
                messages.contains { $0.body.contains("user: Ana") && $0.body.contains("bot: What can I help you with?") }
            }
            #expect(!transcript.isEmpty)
            try await Self.chatBothWays(handoff, task: task)

            try await handoff.agent.complete(task.sid)
            try await handoff.expectBackWithBot(after: "status: Alice E. left the chat.")
        }
    }

    @Test("Programmable Chat: a canceled task tells the user and gives the thread back to the bot")
    func canceled() async throws {
        try await Self.withHandoff(.programmableChat) { handoff in
            let task = try await Self.handOver(handoff)
            try await handoff.agent.cancel(task.sid, reason: "no agent available")
            try await handoff.expectBackWithBot(after: "status: No agent is available right now.")
        }
    }
}
