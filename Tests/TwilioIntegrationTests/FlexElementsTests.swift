import FlowDSL
import Foundation
import Testing
import TwilioIntegration

@Suite("Flex element registration")
struct FlexElementsTests {
    static let guideApp = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/apps/flex-guide")

    @Test("without the Flex module, the guide app's only errors are the unknown Flex types")
    func unknownBeforeRegistration() {
        let result = AppLoader(registry: .standard).load(Self.guideApp)
        #expect(result.app == nil)
        let messages = result.diagnostics.map(\.description)
        #expect(messages == [
            "flow/twilio/flex/start_chat.yaml:2:11: error: unknown component type `meya.twilio.flex.component.start_chat`",
            "flow/twilio/flex/status.yaml:3:17: error: unknown event type `meya.twilio.flex.event.reservation_accepted`",
            "flow/twilio/flex/status.yaml:11:17: error: unknown event type `meya.twilio.flex.event.reservation_completed`",
            "flow/twilio/flex/status.yaml:17:17: error: unknown event type `meya.twilio.flex.event.task_queue_entered`",
            "flow/twilio/flex/status.yaml:27:17: error: unknown event type `meya.twilio.flex.event.task_canceled`",
            "integration/twilio/flex.yaml:1:7: error: unknown element type `meya.twilio.flex.integration`",
        ])
    }

    @Test("with the Flex module registered, the guide app is valid")
    func validAfterRegistration() throws {
        var registry = ElementRegistry.standard
        FlexElements.register(in: &registry)
        let result = AppLoader(registry: registry).load(Self.guideApp)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let app = try #require(result.app)
        #expect(app.integrations.keys.elements == ["integration.twilio.flex"])
        let startChat = try #require(app.flows["flow.twilio.flex.start_chat"])
        guard case .component(let step) = startChat.steps[0] else { Issue.record("expected a component"); return }
        #expect(step.type == FlexElements.startChatType)
        #expect(step["integration"]?.constantText == "integration.twilio.flex")
        #expect(app.flows.keys.contains("flow.twilio.flex.task_canceled"))
    }

    @Test("start_chat without chat_friendly_name is reported")
    func missingFriendlyName() {
        var registry = ElementRegistry.standard
        FlexElements.register(in: &registry)
        let result = AppLoader(registry: registry).load(sources: [
            AppSource(path: "flow/a.yaml", text: "steps:\n  - type: meya.twilio.flex.component.start_chat\n    send_transcript: true\n"),
        ])
        #expect(result.diagnostics.map(\.description) == [
            "flow/a.yaml:2:5: error: `meya.twilio.flex.component.start_chat` step is missing `chat_friendly_name:`",
        ])
    }
}
