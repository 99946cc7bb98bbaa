import FlowDSL
import OrderedCollections

/// Runs the components of one or more element types. The runtime has handlers for the
/// built-in steps; integrations add theirs (Flex's `start_chat`) through `BotEngine`'s
/// `components:` parameter, after registering the element types with FlowDSL.
public protocol ComponentHandler: Sendable {
    /// Element type names this handler runs.
    var types: [String] { get }
    /// Runs `element` and says what the flow does next.
    func run(_ element: Element, in context: inout ComponentContext) async throws -> ComponentOutcome
    /// Called when `element` waited and `answer` matched it; the default treats the answer's
    /// text as `result`.
    func resume(_ element: Element, answer: Answer, in context: inout ComponentContext) async throws -> ComponentOutcome
}

extension ComponentHandler {
    public func resume(_ element: Element, answer: Answer, in context: inout ComponentContext) async throws -> ComponentOutcome {
        .next(["result": answer.event.text.map(TemplateValue.string) ?? .none])
    }
}

/// What a component tells the flow to do next.
public enum ComponentOutcome: Sendable {
    /// Go to the next step, merging this data into the flow scope (`result`, `ok` …).
    case next(TemplateMap = [:])
    /// Stop here until the user answers (the element's dynamic triggers are active).
    case wait
    /// Continue at a label of this flow, merging data.
    case jump(String, data: TemplateMap = [:])
    /// Call a flow (at a label), with its starting scope; `transfer` replaces this flow.
    case call(flow: String, label: String?, data: TemplateMap, transfer: Bool)
    /// End this flow, returning data to the caller.
    case end(TemplateMap = [:])
    /// Run another element in this step's place (an `if`'s `then:`, a button's `action:`).
    case action(Element, data: TemplateMap = [:])
}

/// The event that answered a waiting step, and which button it chose (if any).
public struct Answer: Sendable {
    public var event: Event
    /// The index of the chosen button among the element's buttons.
    public var buttonIndex: Int?
}
