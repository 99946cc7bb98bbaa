import BotRuntime
import FlowDSL
import Foundation
import Hummingbird
import SharedTestFixtures
import Synchronization
import Testing
import TwilioIntegration

/// The handoff summary in Flex Conversations: what the agent reads first, in the task
/// attributes (`conversationSummary`, `handoffReason`) and as the conversation's first message;
/// extractive by default, the app's summarizer's when it answers in time, extractive again when
/// it hangs or fails.
@Suite("Flex handoff summary")
struct FlexSummaryTests {
    /// A start_chat with a reason, after the user said two things.
    static let flows = [
        "flow/handoff.yaml": """
            triggers:
              - keyword: agent
            steps:
              - user_set:
                  name: Ada Lovelace
              - user_set:
                  issue: billing
              - say: Your code is (@ vault.support.code )
              - type: meya.twilio.flex.component.start_chat
                chat_friendly_name: Ada - billing
                reason: charged twice
              - say: (@ flow.result.ok )
            """,
    ]

    /// The app's integration in Flex Conversations mode with these extra lines.
    static func integration(_ extra: String) -> String {
        FlexBot.conversationsIntegration + "\n" + extra
    }

    /// What the interaction request and the first message carried.
    struct Sent {
        var attributes: TemplateMap
        var firstMessage: String?
    }

    static func handOver(_ bot: FlexBot) async throws -> Sent {
        try await bot.say("I was charged twice for order 1234")
        try await bot.startHandoff()
        let create = try #require(bot.fake.requests.first { $0.path == "/v1/Interactions" })
        let routing = try TemplateValue(jsonText: try #require(create.form["Routing"]))
        guard case .map(let top) = routing, case .map(let properties)? = top["properties"],
              case .map(let attributes)? = properties["attributes"] else { throw FixtureError("no routing attributes") }
        return Sent(attributes: attributes, firstMessage: bot.fake.messages.first?.form["Body"])
    }

    @Test("without a summarizer: the reason, the named user fields and the user's last messages, in the task and first in the conversation")
    func extractive() async throws {
        try await FlexBot.with(files: Self.flows, conversation: TwilioFixtures.conversationSid) { bot in
            let sent = try await Self.handOver(bot)
            let summary = "Reason: charged twice\nname: Ada Lovelace\nissue: billing\nLast messages from the user:\n"
                + "> I was charged twice for order 1234\n> agent"
            #expect(sent.attributes["conversationSummary"] == .string(summary))
            #expect(sent.attributes["handoffReason"] == .string("charged twice"))
            #expect(sent.attributes["customerName"] == .string("Ada Lovelace"))
            #expect(sent.attributes["parley_thread_id"] == .string("ada"))
            #expect(sent.firstMessage == summary)
            // Then the transcript, the user's lines as the user.
            let authors = bot.fake.messages.map { [$0.form["Author"] ?? "", $0.form["Body"] ?? ""] }
            #expect(authors.contains(["ada", "I was charged twice for order 1234"]))
        }
    }

    /// Runs a summarizer answering with `handler`, and the bot pointed at it; `body` can read
    /// the request bodies it got.
    static func withSummarizer(_ handler: @escaping @Sendable (Request) async -> Response,
                               _ body: @Sendable (FlexBot, _ received: @Sendable () -> [String]) async throws -> Void) async throws {
        let received = Mutex<[String]>([])
        let router = Router()
        router.post("/summarize") { request, _ in
            let text = String(buffer: (try? await request.body.collect(upTo: 1 << 20)) ?? ByteBuffer())
            received.withLock { $0.append(text) }
            return await handler(request)
        }
        try await LocalServer.run(router) { port in
            let integration = Self.integration("summarizer_url: http://127.0.0.1:\(port)/summarize\nsummarizer_timeout: 0.5\n")
            try await FlexBot.with(files: Self.flows, integration: integration, conversation: TwilioFixtures.conversationSid) { bot in
                try await body(bot) { received.withLock { $0 } }
            }
        }
    }

    @Test("a summarizer that answers in time writes the summary; it is sent the transcript with vault placeholders, never secrets")
    func summarizer() async throws {
        try await Self.withSummarizer({ _ in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"summary": "Ada was billed twice for order 1234."}"#)))
        }) { bot, received in
            let sent = try await Self.handOver(bot)
            #expect(sent.attributes["conversationSummary"] == .string("Ada was billed twice for order 1234."))
            #expect(sent.firstMessage == "Ada was billed twice for order 1234.")
            let request = try #require(received().first)
            let json = try TemplateValue(jsonText: request)
            guard case .map(let fields) = json else { Issue.record("not a JSON object: \(request)"); return }
            #expect(fields["thread_id"] == .string("ada"))
            #expect(fields["reason"] == .string("charged twice"))
            // Keys are sorted in what Parley sends.
            #expect(fields["user"] == .map(["issue": .string("billing"), "name": .string("Ada Lovelace")]))
            #expect(fields["extractive_summary"] != nil)
            guard case .list(let transcript)? = fields["transcript"] else { Issue.record("no transcript"); return }
            #expect(transcript.contains(.map(["sender": .string("user"), "text": .string("I was charged twice for order 1234")])))
            #expect(transcript.contains(.map(["sender": .string("bot"), "text": .string("Your code is [vault.support.code]")])))
            #expect(request.hasPrefix(#"{"extractive_summary":"#), "\(request)")
            #expect(!request.contains("SECRET-4242"), "a vault value reached the summarizer")
        }
    }

    @Test("a summarizer that hangs or answers 500 still hands off, with the extractive summary", arguments: ["hang", "500", "no summary"])
    func summarizerFails(_ failure: String) async throws {
        try await Self.withSummarizer({ _ in
            switch failure {
            case "hang":
                try? await Task.sleep(for: .seconds(3))
                return Response(status: .ok)
            case "500":
                return Response(status: .internalServerError)
            default:
                return Response(status: .ok, headers: [.contentType: "application/json"],
                                body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"text": "wrong key"}"#)))
            }
        }) { bot, received in
            let sent = try await Self.handOver(bot)
            #expect(received().count == 1)
            let summary = try #require(sent.attributes["conversationSummary"])
            #expect(summary == .string("Reason: charged twice\nname: Ada Lovelace\nissue: billing\nLast messages from the user:\n"
                                       + "> I was charged twice for order 1234\n> agent"))
            #expect(try await bot.mode() == "agent")
        }
    }
}
