import BotRuntime
import FlowDSL
import OrderedCollections

/// Meya's console-neutral agent steps (`meya/csp/component/session`) on Parley's agent desk,
/// Twilio Flex: `meya.csp.component.session.agent.request` says its `say:`, then hands the
/// thread to an agent as `start_chat` does — its `note` the handoff's reason for the agent, its
/// `data` the task's attributes — and `meya.csp.component.session.end` closes the chat as
/// `end_chat` does. A Meya app moving to Flex from another console (Salesforce, Freshchat,
/// Zendesk Chat …) keeps these steps and changes only the integration they name.
///
/// Unlike Meya's, whose request goes on at once, the step waits for Twilio's answer as
/// `start_chat` does; `flow.result` is the same.
struct CspAgentComponents: ComponentHandler {
    let start: StartChatComponent
    let end: EndChatComponent

    var types: [String] { [FlexElements.cspAgentRequestType, FlexElements.cspSessionEndType] }

    func run(_ element: Element, in context: inout ComponentContext) async throws -> ComponentOutcome {
        guard element.type == FlexElements.cspAgentRequestType else { return try await end.run(Self.endChat(element), in: &context) }
        let say = try context.renderShown(element["say"])
        if say.kept != .none {
            let kept: TemplateMap = ["text": .string(say.kept.pythonString)], shown: TemplateMap = ["text": .string(say.shown.pythonString)]
            context.emit(EventTypes.say, data: kept, shown: kept == shown ? nil : shown)
        }
        return try await start.run(Self.startChat(element), in: &context)
    }

    func resume(_ element: Element, answer: Answer, in context: inout ComponentContext) async throws -> ComponentOutcome {
        element.type == FlexElements.cspAgentRequestType
            ? try await start.resume(Self.startChat(element), answer: answer, in: &context)
            : try await end.resume(Self.endChat(element), answer: answer, in: &context)
    }

    /// The `start_chat` step a request is: same id (Twilio's answer comes back to it), its
    /// integration, `note` as the reason, `data` as the task's attributes.
    static func startChat(_ request: Element) -> Element {
        var fields = OrderedDictionary<String, FieldValue>()
        for (field, from) in [("integration", "integration"), ("reason", "note"), ("task_attributes", "data")] {
            if let value = request[from] { fields[field] = value }
        }
        return Element(type: FlexElements.startChatType, fields: fields, position: request.position, id: request.id)
    }

    /// The `end_chat` step a session end is.
    static func endChat(_ end: Element) -> Element {
        Element(type: FlexElements.endChatType, fields: end.fields.filter { $0.key == "integration" }, position: end.position, id: end.id)
    }
}
