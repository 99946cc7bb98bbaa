import FlowDSL
import OrderedCollections

/// A loaded app prepared for running: every element indexed by id (so a waiting step can be
/// found again after a restart), every flow trigger compiled, every constant regex compiled.
final class RuntimeApp: Sendable {
    let app: BotApp
    let elements: [String: Element]
    /// Every flow trigger, compiled, arranged by what events can match it.
    let staticTriggers: TriggerIndex
    /// Compiled patterns of `ask` + `regex:` steps and `match:` keys, by element id and key.
    let patterns: [String: PythonRegex]
    /// The `bot` template scope (`bot.name`).
    let botScope: TemplateValue
    /// The scopes every turn starts from (config, bot, vault placeholders), by vault scope.
    func baseContext(vault: VaultScope) -> TemplateContext {
        var context = TemplateContext(["config": app.config, "bot": botScope, "vault": vault.redacted,
                                       "flow": .map([:]), "thread": .map([:]), "user": .map([:])])
        // What is kept may seal a sensitive value, never open one.
        context.sensitive = vault.sensitive?.sealingOnly
        return context
    }

    /// Buttons and quick replies with no template in them, rendered once, by element.
    let constantButtons: [ObjectIdentifier: [ButtonItem]]
    let constantQuickReplies: [ObjectIdentifier: [ButtonItem]]
    /// Whether any template of the app reads `event`/`event_user` (else turns skip building them).
    let readsEventScope: Bool

    init(_ app: BotApp) {
        self.app = app
        var elements: [String: Element] = [:]
        var triggers: [CompiledTrigger] = []
        var patterns: [String: PythonRegex] = [:]
        var buttons: [ObjectIdentifier: [ButtonItem]] = [:], quickReplies: [ObjectIdentifier: [ButtonItem]] = [:]
        var readsEvent = false
        func index(_ element: Element) {
            elements[element.id] = element
            if let items = ButtonItem.constantItems(of: element, field: "buttons") { buttons[ObjectIdentifier(element)] = items }
            if let items = ButtonItem.constantItems(of: element, field: "quick_replies") { quickReplies[ObjectIdentifier(element)] = items }
            if !readsEvent, element.fields.values.contains(where: { $0.reads(scopes: ["event", "event_user"]) }) { readsEvent = true }
            let patternField = element.type == "meya.text.component.regex_input" ? "regex_input" : "regex"
            if ["meya.text.component.ask_regex", "meya.text.component.regex_input"].contains(element.type),
               case .value(.string(let text))? = element[patternField] {
                let ignoreCase = element["ignorecase"].flatMap { if case .value(.bool(let flag)) = $0 { flag } else { nil } } ?? true
                patterns[element.id] = try? PythonRegex(text, ignoreCase: ignoreCase)
            }
            if element.type == "meya.flow.component.match", let map = element["match"]?.map {
                for key in map.keys { patterns["\(element.id)#\(key)"] = try? PythonRegex(key) }
            }
            for value in element.fields.values { walk(value) }
        }
        func walk(_ value: FieldValue) {
            switch value {
            case .element(let element): index(element)
            case .list(let items): items.forEach(walk)
            case .map(let entries): entries.values.forEach(walk)
            case .value, .template: break
            }
        }
        for flow in app.flows.values {
            for trigger in flow.triggers {
                index(trigger)
                if let compiled = CompiledTrigger(trigger, flowID: flow.id, order: triggers.count) { triggers.append(compiled) }
            }
            for case .component(let element) in flow.steps { index(element) }
        }
        self.elements = elements
        self.staticTriggers = TriggerIndex(triggers)
        self.patterns = patterns
        constantButtons = buttons
        constantQuickReplies = quickReplies
        readsEventScope = readsEvent
        botScope = app.bot.map { bot in .map(["name": (try? bot["name"]?.render(TemplateContext())) ?? .none]) } ?? .map([:])
    }

    func flow(_ id: String) -> Flow? { app.flows[id] }
}
