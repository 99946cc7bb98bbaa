import SharedTestFixtures
import FlowDSL
import Foundation
import Hummingbird
import Synchronization
import TwilioWire

/// A small stand-in for Twilio's REST API (Flex `/v1/Channels` and `/v1/Interactions`,
/// Conversations, Chat v2 messages and channel updates, TaskRouter task updates) that records
/// every request it gets.
final class FakeTwilio: Sendable {
    /// One request as received.
    struct Received: Sendable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: String

        var form: TwilioForm { (try? TwilioForm(encoded: body)) ?? TwilioForm() }
        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    /// A canned answer: status and JSON body.
    struct Answer: Sendable {
        var status: Int
        var body: String
    }

    private let received = Mutex<[Received]>([])
    /// Answers for `/v1/Channels` (default: the fixture's 201).
    let channelAnswer: Mutex<Answer>
    /// Statuses the next message posts get before they succeed (e.g. [503] for one retry).
    let messageFailures = Mutex<[Int]>([])
    /// How many of the next message posts take effect with their answer lost (a 500 instead of
    /// the 201: Twilio made the message, the bot did not hear so).
    let lostAnswers = Mutex(0)
    /// The messages posts made, oldest first, as `GET …/Messages` lists them.
    private let made = Mutex<[TemplateMap]>([])
    /// While true, updates of a channel (closing it) are not answered: they wait.
    let holdChannelUpdates = Mutex(false)
    /// While true, `POST /v1/Interactions` (the last call of opening a conversation) waits.
    let holdInteractions = Mutex(false)

    /// The conversation `POST /v1/Conversations` makes (Flex Conversations).
    let conversationSid: String

    init(conversationSid: String = TwilioFixtures.conversationSid) throws {
        channelAnswer = Mutex(Answer(status: 201, body: try TwilioFixtures.text("flex-channels-create.response.json")))
        self.conversationSid = conversationSid
    }

    var requests: [Received] { received.withLock { $0 } }

    /// Message bodies posted into the channel, in order.
    var messages: [Received] { requests.filter { $0.method == "POST" && $0.path.hasSuffix("/Messages") } }

    /// Runs `body` with the fake listening; its base URL is `http://127.0.0.1:PORT`.
    func run<Value: Sendable>(_ body: @Sendable (String) async throws -> Value) async throws -> Value {
        let router = Router()
        router.on("**", method: .post) { request, context in await self.answer(request, context: context) }
        router.on("**", method: .get) { request, context in await self.answer(request, context: context) }
        return try await LocalServer.run(router) { port in try await body("http://127.0.0.1:\(port)") }
    }

    private func answer(_ request: Request, context: BasicRequestContext) async -> Response {
        let buffer = (try? await request.body.collect(upTo: 1 << 20)) ?? ByteBuffer()
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
        let entry = Received(method: request.method.rawValue, path: request.uri.path, headers: headers, body: String(buffer: buffer))
        received.withLock { $0.append(entry) }
        let path = entry.path
        let reply: Answer
        if path == "/v1/Channels" {
            reply = channelAnswer.withLock { $0 }
        } else if path == "/v1/Interactions" {
            while holdInteractions.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(5)) }
            reply = Answer(status: 200, body: try! TwilioFixtures.text("flex-interactions-create.response.json"))
        } else if path == "/v1/Conversations" {
            reply = Answer(status: 201, body: TemplateValue.map(["sid": .string(conversationSid), "account_sid": .string(TwilioFixtures.accountSid),
                                                                 "state": "active"]).jsonText)
        } else if path.hasPrefix("/v1/Conversations/"), !path.hasSuffix("/Messages") {
            reply = Answer(status: path.hasSuffix("/Participants") || path.hasSuffix("/Webhooks") ? 201 : 200,
                           body: TemplateValue.map(["sid": .string(conversationSid)]).jsonText)
        } else if path.hasSuffix("/Messages"), entry.method == "GET" {
            // Newest first, as the bot asks (`Order=desc`).
            reply = Answer(status: 200, body: TemplateValue.map(["messages": .list(made.withLock { $0 }.reversed().map(TemplateValue.map))]).jsonText)
        } else if path.hasSuffix("/Messages") {
            let error500 = #"{"code": 20500, "message": "Internal Server Error", "more_info": "https://www.twilio.com/docs/errors/20500", "status": 500}"#
            if let failure = messageFailures.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
                reply = Answer(status: failure, body: error500.replacingOccurrences(of: "500}", with: "\(failure)}"))
            } else {
                let form = entry.form
                let message: TemplateMap = ["sid": .string(TwilioSID.random("IM")), "from": .string(form["From"] ?? form["Author"] ?? "system"),
                                            "body": .string(form["Body"] ?? ""), "attributes": .string(form["Attributes"] ?? "{}")]
                made.withLock { $0.append(message) }
                let lost = lostAnswers.withLock { count in
                    defer { count = max(0, count - 1) }
                    return count > 0
                }
                reply = lost ? Answer(status: 500, body: error500) : Answer(status: 201, body: TemplateValue.map(message).jsonText)
            }
        } else if path.contains("/Channels/") && entry.method == "GET" {
            let attributes = #"{"task_sid":"\#(TwilioFixtures.taskSid)","from":"Ada Lovelace","channel_type":"custom","status":"ACTIVE","long_lived":false}"#
            reply = Answer(status: 200, body: TemplateValue.map(["sid": .string(TwilioFixtures.channelSid),
                                                                 "attributes": .string(attributes)]).jsonText)
        } else if path.contains("/Channels/") || path.contains("/Tasks/") {
            while path.contains("/Channels/"), holdChannelUpdates.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(5)) }
            reply = Answer(status: 200, body: #"{"sid": "ok"}"#)
        } else {
            reply = Answer(status: 404, body: try! TwilioFixtures.text("error-20404.response.json"))
        }
        return Response(status: .init(code: reply.status), headers: [.contentType: "application/json"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: reply.body)))
    }
}
