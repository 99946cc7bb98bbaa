import AsyncHTTPClient
import Foundation
import Testing
import TwilioEmulator
import TwilioWire

@Suite("Flex emulator agent API")
struct AgentAPITests {
    @Test("tasks show friendly name, attributes, status, channel, customer and the offered worker")
    func tasks() async throws {
        try await EmulatorHarness.with { harness in
            let channel = try await harness.createChannel()
            let tasks = try await harness.agent.tasks().value
            #expect(tasks.count == 1)
            let task = try #require(tasks.first)
            #expect(task.sid == channel["task_sid"]?.stringValue)
            #expect(task.channelSid == channel["sid"]?.stringValue)
            #expect(task.friendlyName == "Ada Lovelace - order 1234")
            #expect(task.status == "reserved")
            #expect(task.attributes["handoff_reason"] == "customer asked for a human")
            #expect(task.customer?.identity == "bot-user-7f3a")
            #expect(task.customer?.friendlyName == "Ada Lovelace")
            #expect(task.reservation?.status == "pending")
            #expect(task.worker?.displayName == "Alice Example")
            #expect(task.taskVersion == 2)
            #expect(try await harness.agent.task(task.sid) == task)
        }
    }

    @Test("actions out of turn are refused with 409 and say why; unknown tasks are 404")
    func conflicts() async throws {
        try await EmulatorHarness.with { harness in
            let channel = try await harness.createChannel()
            let taskSid = try #require(channel["task_sid"]?.stringValue), channelSid = try #require(channel["sid"]?.stringValue)
            do {
                try await harness.agent.say("too early", channel: channelSid)
                Issue.record("a message before accepting was allowed")
            } catch let error as AgentClientError {
                guard case .refused(409, let message) = error else { Issue.record("\(error)"); return }
                #expect(message.contains("accept it first"))
            }
            await #expect(throws: AgentClientError.refused(status: 409, message: "task \(taskSid) is reserved; only an assigned task can be completed")) {
                try await harness.agent.complete(taskSid)
            }
            try await harness.agent.accept(taskSid)
            await #expect(throws: AgentClientError.self) { try await harness.agent.accept(taskSid) }
            await #expect(throws: AgentClientError.self) { try await harness.agent.cancel(taskSid) }
            do {
                _ = try await harness.agent.task("WT" + String(repeating: "0", count: 32))
                Issue.record("an unknown task was found")
            } catch let error as AgentClientError {
                guard case .refused(404, _) = error else { Issue.record("\(error)"); return }
            }
            await #expect(throws: AgentClientError.self) { try await harness.agent.say("", channel: channelSid) }
        }
    }

    @Test("the transcript has the bot's, the customer's and the agent's messages with their roles")
    func transcript() async throws {
        try await EmulatorHarness.with { harness in
            let channel = try await harness.createChannel()
            let taskSid = try #require(channel["task_sid"]?.stringValue), channelSid = try #require(channel["sid"]?.stringValue)
            _ = try await harness.botMessage("Connecting you with a human agent now.", channel: channelSid)
            _ = try await harness.botMessage("Where is my order?", channel: channelSid, from: "bot-user-7f3a")
            try await harness.agent.accept(taskSid)
            let sent = try await harness.agent.say("Looking into it.", channel: channelSid, attributes: ["agent": true])
            #expect(sent.role == "agent")
            #expect(sent.index == 2)
            let snapshot = try await harness.agent.messages(channel: channelSid)
            #expect(snapshot.value.messages.map(\.role) == ["bot", "customer", "agent"])
            #expect(snapshot.value.messages.map(\.from) == ["bot", "bot-user-7f3a", "alice_40example_2Ecom"])
            #expect(snapshot.value.messages.last?.attributes == ["agent": true])
            #expect(snapshot.value.channel.status == "ACTIVE")
            #expect(snapshot.value.channel.taskSid == taskSid)
        }
    }

    @Test("long-poll: a request with after=VERSION answers when something changes, not before")
    func longPoll() async throws {
        try await EmulatorHarness.with { harness in
            let start = try await harness.agent.tasks()
            #expect(start.value.isEmpty)
            // Without a change the wait ends empty-handed at its limit.
            let idle = try await harness.agent.tasks(after: start.version, wait: .milliseconds(50))
            #expect(idle.version == start.version)
            async let changed = harness.agent.tasks(after: start.version, wait: .seconds(20))
            _ = try await harness.createChannel()
            let answer = try await changed
            #expect(answer.version > start.version)
            #expect(answer.value.count == 1)
            // waitForTask follows changes until its condition holds.
            async let accepted = harness.agent.waitForTask { $0.status == "assigned" }
            try await harness.agent.accept(answer.value[0].sid)
            #expect(try await accepted.sid == answer.value[0].sid)
        }
    }

    @Test("GET /emulator/api/events lists deliveries with status, attempts, token and fields; info names SIDs but no secrets")
    func eventsAndInfo() async throws {
        try await EmulatorHarness.with { harness in
            _ = try await harness.createChannel()
            let deliveries = try await harness.settledDeliveries(atLeast: 2)
            let first = try #require(deliveries.first)
            #expect(first.id == 1)
            #expect(first.target == .taskrouter)
            #expect(first.url == harness.receiver.taskRouterURL)
            #expect(first.attempts.first?.statusCode == 200)
            #expect(first[field: "EventType"] == "task-queue.entered")
            let info = try await harness.rest("GET", "/emulator/api/info", auth: .none)
            #expect(info.status == 200)
            #expect(try info.json["workspace_sid"]?.stringValue == TwilioEmulator.Defaults.workspaceSid)
            #expect(try info.json["chat_webhook_url"]?.stringValue == harness.receiver.chatURL)
            #expect(!info.body.contains(TwilioEmulator.Defaults.authToken))
            #expect(!info.body.contains(TwilioEmulator.Defaults.apiKeySecret))
        }
    }

    @Test("several workers: each new task is offered to the agent with the fewest open tasks")
    func workers() async throws {
        try await EmulatorHarness.with(configure: {
            $0.workers = [.alice, TwilioEmulator.Worker(email: "bob@example.com", fullName: "Bob Example")]
        }) { harness in
            #expect(TwilioEmulator.Worker(email: "bob@example.com", fullName: "Bob").name == "bob_40example_2Ecom")
            _ = try await harness.createChannel(EmulatorHarness.channelForm(identity: "a"))
            _ = try await harness.createChannel(EmulatorHarness.channelForm(identity: "b"))
            let tasks = try await harness.agent.tasks().value
            #expect(tasks.map { $0.worker?.name } == ["alice_40example_2Ecom", "bob_40example_2Ecom"])
            #expect(tasks[1].worker?.attributes["contact_uri"] == "client:bob@example.com")
        }
    }

    @Test("start fails clearly on a port in use and on a bad webhook URL")
    func startFailures() async throws {
        try await EmulatorHarness.with { harness in
            var configuration = TwilioEmulator.Configuration(port: harness.emulator.port)
            configuration.host = "127.0.0.1"
            await #expect(throws: FlexEmulatorError.self) { _ = try await TwilioEmulator.start(configuration) }
        }
        var configuration = TwilioEmulator.Configuration(port: 0)
        configuration.chatWebhookURL = "not a url"
        await #expect(throws: FlexEmulatorError.self) { _ = try await TwilioEmulator.start(configuration) }
    }
}
