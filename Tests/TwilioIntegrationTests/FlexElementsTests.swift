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
        // Meya's guide names only a Flex Flow: valid, and told that Programmable Chat ended.
        #expect(result.diagnostics.map(\.severity) == [.warning], "\(result.diagnostics)")
        #expect(result.diagnostics.first?.description.contains("Programmable Chat for Flex reached its end of life on 2026-06-01") == true)
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

    /// What `check` says of an integration element with `fields` (after the account lines).
    private static func check(integration fields: String) -> [String] {
        var registry = ElementRegistry.standard
        FlexElements.register(in: &registry)
        let text = "type: meya.twilio.flex.integration\naccount_sid: AC1\nauth_token: t\n" + fields
        return AppLoader(registry: registry).load(sources: [AppSource(path: "integration/flex.yaml", text: text)]).diagnostics.map(\.description)
    }

    @Test("the integration's mode: inferred from its fields, each mode's fields required, Programmable Chat's end told once")
    func modes() {
        #expect(Self.check(integration: "workspace_sid: WS1\nworkflow_sid: WW1\n") == [])
        #expect(Self.check(integration: "mode: programmable_chat\nflex_flow_sid: FO1\nflex_chat_service_sid: IS1\n") == [])
        #expect(Self.check(integration: "workspace_sid: WS1\n") == [
            "integration/flex.yaml:1:1: error: the Flex integration (Flex Conversations) is missing `workflow_sid:`",
        ])
        #expect(Self.check(integration: "mode: conversations\nflex_flow_sid: FO1\n") == [
            "integration/flex.yaml:1:1: error: the Flex integration (Flex Conversations) is missing `workflow_sid:`",
            "integration/flex.yaml:1:1: error: the Flex integration (Flex Conversations) is missing `workspace_sid:`",
        ])
        #expect(Self.check(integration: "mode: chat\nworkspace_sid: WS1\n") == [
            "integration/flex.yaml:4:1: error: the Flex integration does not say which Flex it talks to: "
                + "`chat` is not a mode; use `conversations` or `programmable_chat`",
        ])
        #expect(Self.check(integration: "") == [
            "integration/flex.yaml:1:1: error: the Flex integration does not say which Flex it talks to: give `workspace_sid` and "
                + "`workflow_sid` (Flex Conversations), or `flex_flow_sid` and `flex_chat_service_sid` (Programmable Chat, which ended on 2026-06-01)",
        ])
        #expect(Self.check(integration: "flex_flow_sid: FO1\n") == [
            "integration/flex.yaml:1:1: error: the Flex integration (Programmable Chat) is missing `flex_chat_service_sid:`",
            "integration/flex.yaml:4:1: warning: Programmable Chat for Flex reached its end of life on 2026-06-01; move to Flex "
                + "Conversations: add `workspace_sid:` (WS…) and `workflow_sid:` (WW…) and remove `flex_flow_sid:` / "
                + "`flex_chat_service_sid:` (or keep it with `mode: programmable_chat`)",
        ])
    }
}
