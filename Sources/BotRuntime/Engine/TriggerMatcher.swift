import FlowDSL
import OrderedCollections

/// Decides what an event starts or continues (spec §3).
///
/// Candidates are the waiting step's dynamic triggers (its answer, its buttons, its own
/// `triggers:`) and every flow trigger. The best has the highest confidence; at equal
/// confidence a specific trigger beats a catch-all (so a keyword beats an `ask` waiting for
/// any text, but a button of the waiting step beats a keyword), then a dynamic trigger beats a
/// flow trigger, then the earlier flow trigger in app order (files by path, triggers as written)
/// wins.
struct TriggerMatcher {
    /// What the event does.
    enum Selection {
        /// Answers the waiting step.
        case answer(Answer)
        /// Fires one of the waiting step's own `triggers:`.
        case stepTrigger(Element, data: TemplateMap)
        /// Starts a flow.
        case flow(CompiledTrigger, data: TemplateMap)
    }

    private struct Candidate {
        var selection: Selection
        var confidence: Double
        var isCatchAll: Bool
        var isDynamic: Bool
        var order: Int

        func beats(_ other: Candidate) -> Bool {
            if confidence != other.confidence { return confidence > other.confidence }
            if isCatchAll != other.isCatchAll { return !isCatchAll }
            if isDynamic != other.isDynamic { return isDynamic }
            return order < other.order
        }
    }

    let runtime: RuntimeApp
    let event: Event
    /// What went wrong while choosing (a `when:` that did not render): the engine logs each and
    /// the turn's result carries them (`botcli test` prints them).
    private(set) var warnings: [String] = []

    init(runtime: RuntimeApp, event: Event) {
        self.runtime = runtime
        self.event = event
    }

    /// The best candidate for the event; `context` is the turn's (borrowed, not copied).
    mutating func select(waiting: Element?, context: ComponentContext) throws -> Selection? {
        var best: Candidate?
        func consider(_ candidate: Candidate) {
            if best == nil || candidate.beats(best!) { best = candidate }
        }
        if let waiting { try dynamicCandidates(of: waiting, context: context).forEach(consider) }
        let text = EventText(event)
        try runtime.staticTriggers.forEachCandidate(for: event, text: text) { trigger in
            guard let data = trigger.match(event, text: text, options: context.options), allowed(trigger.element, default: trigger.defaultRule, context: context) else { return }
            let confidence = try confidence(of: trigger.element, context: context) ?? trigger.baseConfidence
            consider(Candidate(selection: .flow(trigger, data: data), confidence: confidence,
                               isCatchAll: trigger.isCatchAll, isDynamic: false, order: trigger.order))
        }
        return best?.selection
    }

    private mutating func dynamicCandidates(of element: Element, context: ComponentContext) throws -> [Candidate] {
        var candidates: [Candidate] = []
        let buttons = try ButtonItem.answers(of: element, in: context)
        let standard = isStandard(context)
        if event.type == EventTypes.click, case .string(let id)? = event.data["button_id"],
           let button = buttons.first(where: { $0.buttonID == id && $0.isActionable }) {
            candidates.append(answer(buttonIndex: button.index, catchAll: false))
        }
        if event.type == EventTypes.say, let text = event.text {
            let typed = text.trimmingSpaces.lowercased()
            // A quick reply with only text makes no trigger (Meya): its text goes to the flow triggers.
            if let button = buttons.first(where: { $0.text.lowercased() == typed && (!$0.isQuickReply || $0.isActionable) }),
               standard || button.isActionable && event.sender == .user {
                candidates.append(answer(buttonIndex: button.index, catchAll: false))
            } else if standard, Self.waitsForText(element), !Self.requiresButton(element) {
                candidates.append(answer(buttonIndex: nil, catchAll: true))
            }
        }
        // The reply to outbound work the step waits for (`DeliveryOutcome` replies name it).
        if event.sender == .system, case .string(let id)? = event.data[Event.answersStepKey], id == element.id {
            candidates.append(answer(buttonIndex: nil, catchAll: false))
        }
        if event.type == EventTypes.formSubmit, event.sender == .user,
           element.type.hasSuffix(".form") || FormComponentHandler.answers(event, element) {
            candidates.append(answer(buttonIndex: nil, catchAll: false))
        }
        if event.type == EventTypes.media, event.sender == .user,
           ["meya.image.component.ask", "meya.file.component.ask"].contains(element.type) {
            candidates.append(answer(buttonIndex: nil, catchAll: false))
        }
        for case .element(let trigger) in element["triggers"]?.list ?? [] {
            guard let compiled = CompiledTrigger(trigger, flowID: nil, order: 0),
                  allowed(trigger, default: compiled.defaultRule, context: context), let data = compiled.match(event, text: EventText(event), options: context.options) else { continue }
            candidates.append(Candidate(selection: .stepTrigger(trigger, data: data), confidence: try confidence(of: trigger, context: context) ?? compiled.baseConfidence,
                                        isCatchAll: compiled.isCatchAll, isDynamic: true, order: 0))
        }
        return candidates
    }

    private func answer(buttonIndex: Int?, catchAll: Bool) -> Candidate {
        Candidate(selection: .answer(Answer(event: event, buttonIndex: buttonIndex)), confidence: 1.0,
                  isCatchAll: catchAll, isDynamic: true, order: 0)
    }

    /// Steps that take any text as their answer.
    static func waitsForText(_ element: Element) -> Bool {
        TextComponentHandler.askTypes.contains(element.type) && !["meya.image.component.ask", "meya.file.component.ask"].contains(element.type)
            || element.type == "meya.button.component.ask" || FormComponentHandler.formTypes.contains(element.type)
    }

    /// A button ask with `required: true` takes only its buttons, not typed text.
    static func requiresButton(_ element: Element) -> Bool {
        guard element.type == "meya.button.component.ask", case .value(.bool(true))? = element["required"] else { return false }
        return true
    }

    /// The standard rule: a user's event, not sensitive, thread in bot mode.
    private func isStandard(_ context: ComponentContext) -> Bool {
        !event.isSensitive && event.sender == .user && context.thread.mode == "bot"
    }

    private mutating func allowed(_ trigger: Element, default rule: CompiledTrigger.DefaultRule, context: ComponentContext) -> Bool {
        if let when = trigger["when"] {
            do {
                return try context.render(when).isTruthy
            } catch {
                warnings.append("the `when:` of the trigger at \(trigger.position) did not render, so the trigger did not fire: \(error)")
                return false
            }
        }
        switch rule {
        case .standard: return isStandard(context)
        case .userInBotMode: return event.sender == .user && context.thread.mode == "bot"
        case .agent: return event.sender == .agent
        case .always: return true
        }
    }

    private func confidence(of trigger: Element, context: ComponentContext) throws -> Double? {
        guard let field = trigger["confidence"] else { return nil }
        switch try context.render(field) {
        case .int(let number): return Double(number)
        case .double(let number): return number
        default: return nil
        }
    }
}
