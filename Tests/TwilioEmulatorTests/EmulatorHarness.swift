import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import SharedTestFixtures
import Testing
import TwilioEmulator
import TwilioWire

/// Runs a test against a real emulator on 127.0.0.1 (free port) whose webhooks go to a
/// `WebhookReceiver`, with fast retries; both are stopped afterwards.
struct EmulatorHarness: Sendable {
    let emulator: TwilioEmulator
    let receiver: WebhookReceiver

    var agent: AgentClient { emulator.agent }
    var configuration: TwilioEmulator.Configuration { emulator.configuration }

    static func with<Value: Sendable>(receiverStatuses: [Int] = [], configure: (inout TwilioEmulator.Configuration) -> Void = { _ in },
                                      _ body: @Sendable (EmulatorHarness) async throws -> Value) async throws -> Value {
        let receiver = try await WebhookReceiver.start(statuses: receiverStatuses)
        var configuration = TwilioEmulator.Configuration(port: 0)
        configuration.chatWebhookURL = receiver.chatURL
        configuration.taskRouterCallbackURL = receiver.taskRouterURL
        configuration.retry = TwilioEmulator.RetryPolicy(maxAttempts: 3, initialDelay: .milliseconds(20), timeout: .seconds(5))
        configure(&configuration)
        let emulator = try await TwilioEmulator.start(configuration, logger: TestLogs.logger("parley.flex-emulator"))
        do {
            let value = try await body(EmulatorHarness(emulator: emulator, receiver: receiver))
            await emulator.stop()
            await receiver.stop()
            return value
        } catch {
            await emulator.stop()
            await receiver.stop()
            throw error
        }
    }

    // MARK: REST

    /// An HTTP answer, read.
    struct Reply: Sendable {
        var status: Int
        var headers: [String: String]
        var body: String

        var json: EmulatorJSON {
            get throws { try EmulatorJSON(parsing: body) }
        }
    }

    /// The credentials a REST call presents.
    enum Auth: Sendable {
        case account, none
        case basic(TwilioBasicAuth)
    }

    /// A REST call with a form body, as the integration makes it.
    func rest(_ method: String, _ path: String, form: TwilioForm? = nil, auth: Auth = .account,
              headers: [String: String] = [:]) async throws -> Reply {
        var request = HTTPClientRequest(url: emulator.baseURL + path)
        request.method = .init(rawValue: method)
        switch auth {
        case .account:
            let credentials = TwilioBasicAuth(username: configuration.accountSid, password: configuration.authToken)
            request.headers.add(name: "Authorization", value: credentials.authorizationHeader)
        case .basic(let credentials):
            request.headers.add(name: "Authorization", value: credentials.authorizationHeader)
        case .none:
            break
        }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let form {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: form.encoded))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        var answerHeaders: [String: String] = [:]
        for header in response.headers { answerHeaders[header.name.lowercased()] = header.value }
        let body = try await response.body.collect(upTo: 1 << 22)
        return Reply(status: Int(response.status.code), headers: answerHeaders, body: String(buffer: body))
    }

    /// `POST /v1/Channels` with the fixture's parameters (or these), answering the channel JSON.
    func createChannel(_ form: TwilioForm? = nil) async throws -> EmulatorJSON {
        let reply = try await rest("POST", "/v1/Channels", form: form ?? Self.channelForm())
        #expect(reply.status == 201, "\(reply.body)")
        return try reply.json
    }

    static func channelForm(identity: String = "bot-user-7f3a", uniqueName: String? = nil) -> TwilioForm {
        var form: TwilioForm = [
            "FlexFlowSid": TwilioEmulator.Defaults.flexFlowSid,
            "Identity": identity,
            "ChatUserFriendlyName": "Ada Lovelace",
            "ChatFriendlyName": "Ada Lovelace - order 1234",
            "PreEngagementData": #"{"friendlyName":"Ada Lovelace","question":"Where is my order?"}"#,
            "TaskAttributes": #"{"bot_session_id":"sess-0001","handoff_reason":"customer asked for a human"}"#,
            "LongLived": "false",
        ]
        if let uniqueName { form.append("ChatUniqueName", uniqueName) }
        return form
    }

    /// Posts a message into a channel as the bot (or `from`).
    func botMessage(_ body: String, channel: String, from: String = "bot", webhookEnabled: String? = nil) async throws -> Reply {
        var headers: [String: String] = [:]
        if let webhookEnabled { headers["X-Twilio-Webhook-Enabled"] = webhookEnabled }
        return try await rest("POST", "/v2/Services/\(configuration.chatServiceSid)/Channels/\(channel)/Messages",
                              form: ["From": from, "Body": body], headers: headers)
    }

    /// Waits until every delivery queued so far has finished, then answers them.
    func settledDeliveries(atLeast count: Int) async throws -> [WebhookDelivery] {
        try await agent.waitForDeliveries(count: count) { _ in true }
    }
}

/// The Twilio fixtures (`Tests/Fixtures`), as the emulator tests read them.
enum Fixtures {
    static func json(_ relativePath: String) throws -> EmulatorJSON {
        try EmulatorJSON(parsing: try FixtureFiles.text(relativePath))
    }

    /// The body of a `.http` fixture.
    static func body(_ file: String) throws -> String {
        try FixtureFiles.twilioRequest(file).body
    }

    /// The ordered field names of each fixture webhook, by `EventType`.
    static func fieldNames() throws -> [String: [String]] {
        var names: [String: [String]] = [:]
        for file in ["taskrouter-task-queue-entered.http", "taskrouter-reservation-created.http", "taskrouter-reservation-accepted.http",
                     "taskrouter-reservation-completed.http", "taskrouter-task-completed.http", "taskrouter-task-canceled.http",
                     "chat-onMessageSent.http", "chat-onMediaMessageSent.http", "chat-onChannelUpdated.http"] {
            let form = try TwilioForm(encoded: try body(file))
            names[form["EventType"] ?? file] = form.fields.map(\.name)
        }
        return names
    }
}

/// The JSON type of a value, for shape comparisons.
func jsonKind(_ value: EmulatorJSON) -> String {
    switch value {
    case .null: "null"
    case .bool: "bool"
    case .number: "number"
    case .string: "string"
    case .array: "array"
    case .object: "object"
    }
}

/// Whether `value` has the keys of `fixture` with the same JSON types (null matching anything
/// nullable in the fixture only when both are null or the fixture's is null).
func sameShape(_ value: EmulatorJSON, _ fixture: EmulatorJSON) -> Bool {
    guard let members = value.members, let expected = fixture.members else { return false }
    guard Set(members.map(\.key)) == Set(expected.map(\.key)) else { return false }
    for member in expected {
        guard let actual = value[member.key] else { return false }
        if jsonKind(member.value) != "null", jsonKind(actual) != jsonKind(member.value) { return false }
    }
    return true
}
