import BotRuntime
import FlowDSL

/// A test-only integration beside Twilio's, written as any new integration would be: this file
/// and a place in the registration list, nothing else.
///
/// - Its element types: `test.recorder.integration` and the component `test.recorder.component.note`.
/// - `prepare` records what the integrations before it decided about the event
///   (`ComponentContext.ignoredBecause`) in the thread scope, `recorder_saw`: with Flex
///   registered first, a Flex event that is late is already judged when it runs.
/// - Webhooks: `/webhooks/{id}/…`, and Twilio's shared `/twilio/chat/events` for deliveries
///   that carry `X-Recorder: yes` (claimed by what the request carries).
final class RecorderIntegration: Integration, ComponentHandler {
    static let integrationType = "test.recorder.integration"
    static let noteType = "test.recorder.component.note"

    let elementType = RecorderIntegration.integrationType
    let vendorWebhooks = [VendorWebhook("/twilio/chat/events") { $0.header("X-Recorder") == "yes" }]
    var components: [any ComponentHandler] { [self] }
    var types: [String] { [Self.noteType] }

    init(setup: IntegrationSetup) {}

    static func register(in registry: inout ElementRegistry) {
        registry.register(ElementSpec(integrationType, kind: .integration))
        registry.register(ElementSpec(noteType, kind: .component, parent: "meya.component.element",
                                      fields: [FieldSpec("text", .string, required: true)]))
    }

    func configurationProblems(in engine: BotEngine) -> [String] {
        engine.app.integrations.values.filter { $0.type == elementType }.map { "the recorder `\($0.id)` is for tests only" }
    }

    func prepare(_ event: Event, in context: inout ComponentContext) throws {
        context.setThread("recorder_saw", .string(context.ignoredBecause ?? "nothing"))
    }

    func run(_ element: Element, in context: inout ComponentContext) async throws -> ComponentOutcome {
        .next(["result": .string("noted: " + (try context.renderText(element["text"])))])
    }

    func handleWebhook(_ request: WebhookRequest, integrationID: String, engine: BotEngine) async -> WebhookResponse {
        WebhookResponse(status: 200, json: TemplateValue.map(["integration": .string(integrationID), "path": .string(request.path)]).jsonText)
    }
}
