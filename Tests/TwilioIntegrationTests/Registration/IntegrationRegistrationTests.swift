import SharedTestFixtures
import AsyncHTTPClient
import BotRuntime
import BotServer
import FlowDSL
import Foundation
import ParleyApp
import Testing
import TwilioIntegration

/// The integration seam with two integrations: Twilio's Flex and a test-only one
/// (`RecorderIntegration`), added by its own file and the registration list alone.
@Suite("Integration registration")
struct IntegrationRegistrationTests {
    static let files: [String: String] = [
        "bot/default.yaml": "type: meya.bot.element\nname: Test Bot\n",
        "integration/recorder.yaml": "type: test.recorder.integration\n",
        "integration/twilio/flex.yaml": FlexBot.integration,
        "vault.yaml": FlexBot.vaultYAML,
        "config.yaml": "twilio:\n  api_base_url: http://127.0.0.1:9\n",
        "flow/note.yaml": """
            triggers:
              - keyword: note
            steps:
              - type: test.recorder.component.note
                text: hello
              - say: (@ flow.result )
            """,
        "flow/agent.yaml": """
            triggers:
              - keyword: agent
            steps:
              - type: meya.twilio.flex.component.start_chat
                chat_friendly_name: Ana
            """,
    ]

    static func app(_ types: [any Integration.Type]) -> AppLoadResult {
        AppLoader(registry: ParleyIntegrations.registry(types)).load(sources: files.map { AppSource(path: $0.key, text: $0.value) })
    }

    /// An engine opened as `botcli serve` opens one, with `types` in that order.
    static func withEngine<Value: Sendable>(_ types: [any Integration.Type],
                                            _ body: @Sendable (BotEngine, AppIntegrations) async throws -> Value) async throws -> Value {
        let app = try #require(app(types).app)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-registration-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let integrations = AppIntegrations(types, setup: IntegrationSetup(logger: TestLogs.logger))
        let served = ServedApp(app: app, root: folder, environment: [:], logger: TestLogs.logger)
        let engine = try await served.openEngine(integrations: integrations, logger: TestLogs.logger("parley.test"),
                                                 options: EngineOptions(realDelays: false))
        do {
            let value = try await body(engine, integrations)
            await integrations.shutdown()
            return value
        } catch {
            await integrations.shutdown()
            throw error
        }
    }

    @Test("the registration list decides which element types an app may use")
    func registrationList() throws {
        let standard = Self.app(ParleyIntegrations.standard)
        #expect(standard.app == nil)
        #expect(standard.diagnostics.contains { $0.message.contains("test.recorder.integration") }, "\(standard.diagnostics)")
        let both = Self.app(ParleyIntegrations.standard + [RecorderIntegration.self])
        #expect(both.app != nil, "\(both.diagnostics)")
    }

    @Test("the engine keeps the registration order; its components run and its problems are reported with Flex's")
    func engineOrder() async throws {
        try await Self.withEngine([RecorderIntegration.self, FlexIntegration.self]) { engine, integrations in
            #expect(engine.integrations.map(\.elementType) == [RecorderIntegration.integrationType, FlexElements.integrationType])
            #expect(integrations.all.map(\.elementType) == engine.integrations.map(\.elementType))
            let noted = try await engine.handle(Event(type: EventTypes.say, threadID: "t-note", userID: "u1", data: ["text": "note"]))
            #expect(noted.plainLines == ["bot: noted: hello"])
            #expect(engine.configurationProblems.first == "the recorder `integration.recorder` is for tests only", "\(engine.configurationProblems)")
        }
        try await Self.withEngine([FlexIntegration.self, RecorderIntegration.self]) { engine, _ in
            #expect(engine.integrations.map(\.elementType) == [FlexElements.integrationType, RecorderIntegration.integrationType])
        }
    }

    @Test("prepare runs in registration order: after Flex, the recorder sees Flex's verdict on a late Flex event; before it, nothing")
    func prepareOrder() async throws {
        let late = Event(type: FlexElements.Event.taskCanceled, threadID: "t-late", sender: .system, userID: "flex",
                         data: ["task_sid": "WT00000000000000000000000000000001"])
        let afterFlex = try await Self.withEngine([FlexIntegration.self, RecorderIntegration.self]) { engine, _ in
            _ = try await engine.handle(late)
            return try await engine.thread("t-late")?.scope["recorder_saw"]
        }
        #expect(afterFlex == .string("the handoff this event belongs to is over"))
        let beforeFlex = try await Self.withEngine([RecorderIntegration.self, FlexIntegration.self]) { engine, _ in
            _ = try await engine.handle(late)
            return try await engine.thread("t-late")?.scope["recorder_saw"]
        }
        #expect(beforeFlex == .string("nothing"))
    }

    @Test("webhooks: /webhooks/{id}/… reaches the element's integration; a shared vendor path goes to the first integration that claims the delivery")
    func webhookRouting() async throws {
        for order in [[RecorderIntegration.self, FlexIntegration.self], [FlexIntegration.self, RecorderIntegration.self]] as [[any Integration.Type]] {
            try await Self.withEngine(order) { engine, integrations in
                try await LocalServer.run({ onListening in
                    BotServer(configuration: BotServerConfiguration(host: "127.0.0.1", port: 0, integrations: integrations.all,
                                                                    clientAuthentication: .open),
                              state: ServingState(engine: engine), logger: TestLogs.logger("parley.test")).makeApplication(onListening: onListening)
                }) { port in
                    let deep = try await Self.post(port, "/webhooks/integration.recorder/deep/path")
                    #expect(deep.status == 200)
                    #expect(deep.body == #"{"integration":"integration.recorder","path":"/webhooks/integration.recorder/deep/path"}"#)
                    // Flex refuses an unsigned delivery, on its own id's sub-paths too.
                    #expect(try await Self.post(port, "/webhooks/integration.twilio.flex/events").status == 403)
                    #expect(try await Self.post(port, "/twilio/chat/events").status == 403)
                    let claimed = try await Self.post(port, "/twilio/chat/events", headers: ["X-Recorder": "yes"])
                    if order.first == RecorderIntegration.self {
                        #expect(claimed.status == 200)
                        #expect(claimed.body.contains(#""integration":"integration.recorder""#))
                    } else {
                        #expect(claimed.status == 403, "Flex, first in the list, claims every delivery on its path")
                    }
                    #expect(try await Self.post(port, "/webhooks/integration.nobody").status == 404)
                }
            }
        }
    }

    static func post(_ port: Int, _ path: String, headers: [String: String] = [:]) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(Array("EventType=onMessageSent".utf8))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(buffer: body))
    }
}
