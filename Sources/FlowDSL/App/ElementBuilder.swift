import OrderedCollections

/// Turns YAML nodes into typed `Element`s using the registry, collecting every problem
/// instead of stopping at the first.
struct ElementBuilder {
    let registry: ElementRegistry
    /// The flow being built, for label references and trigger actions.
    var flowID: String?
    var diagnostics: [Diagnostic] = []
    var references: [AppReference] = []

    init(registry: ElementRegistry, flowID: String? = nil) {
        self.registry = registry
        self.flowID = flowID
    }

    mutating func report(_ position: SourcePosition, _ message: String, hint: String? = nil) {
        diagnostics.append(.error(at: position, message, hint: hint))
    }

    // MARK: Elements

    /// A step or an action: a bare word (`end`), `type:`, or a shorthand mapping.
    mutating func component(_ node: YAMLNode, id: String) -> Element? {
        element(node, kind: .component, id: id)
    }

    /// A flow trigger or a dynamic trigger.
    mutating func trigger(_ node: YAMLNode, id: String, isFlowTrigger: Bool) -> Element? {
        element(node, kind: .trigger, id: id, isFlowTrigger: isFlowTrigger)
    }

    /// A top-level element with `type:` (integration, bot); `excluding` names keys that are not fields.
    mutating func typedElement(_ node: YAMLNode, id: String, spec: ElementRegistry.ResolvedSpec, excluding: Set<String>) -> Element? {
        let pairs = (node.pairs ?? []).filter { !excluding.contains($0.key.scalar?.text ?? "") }
        return build(spec: spec, pairs: pairs, at: node.position, id: id)
    }

    private mutating func element(_ node: YAMLNode, kind: ElementSpec.Kind, id: String, isFlowTrigger: Bool = false) -> Element? {
        let noun = kind == .component ? "step" : "trigger"
        switch node.kind {
        case .scalar(let scalar) where scalar.isString:
            guard let spec = registry.spec(named: scalar.text), spec.kind == kind, !spec.spec.isAbstract else {
                report(node.position, "unknown \(noun) `\(scalar.text)`",
                      hint: Spelling.hint(for: scalar.text, among: registry.names(of: kind) + registry.signatureKeys(of: kind)))
                return nil
            }
            return Element(type: spec.name, fields: [:], position: node.position, id: id)
        case .mapping(let pairs):
            if let typeNode = node["type"] {
                guard let typeName = typeNode.scalar?.text, typeNode.scalar?.isString == true else {
                    report(typeNode.position, "`type:` must be a type name, not \(typeNode.kindDescription)")
                    return nil
                }
                guard let spec = registry.spec(named: typeName), !spec.spec.isAbstract else {
                    report(typeNode.position, "unknown \(kind.rawValue) type `\(typeName)`",
                          hint: Spelling.hint(for: typeName, among: Self.sameVendor(as: typeName, registry.names(of: kind))))
                    return nil
                }
                guard spec.kind == kind else {
                    report(typeNode.position, "`\(typeName)` is \(spec.kind.article) \(spec.kind.rawValue), not \(kind.article) \(kind.rawValue)")
                    return nil
                }
                // A typed flow trigger's `action: {data: …}` runs this flow as a shorthand one's does.
                return build(spec: spec, pairs: pairs.filter { $0.key.scalar?.text != "type" }, at: node.position, id: id,
                             isFlowTrigger: isFlowTrigger)
            }
            let keys = pairs.compactMap { $0.key.scalar?.text }
            switch registry.matchShorthand(kind: kind, keys: keys, choiceValue: { node[$0]?.scalar?.text }) {
            case .matched(let spec):
                // A key no step takes, nor a misspelling of one, names a step Parley
                // does not have (`ask:` with Meya's `tiles:`): said once, by that key.
                if let foreign = pairs.first(where: { pair in
                    guard let key = pair.key.scalar?.text, spec.fields[key] == nil else { return false }
                    let fields = registry.fieldNames(of: kind)
                    return !fields.contains(key) && Spelling.suggestion(for: key, among: fields) == nil
                }), let key = foreign.key.scalar?.text {
                    let known = spec.signatureKeys.sorted().map { "`\($0):`" }.joined(separator: " and ")
                    report(foreign.key.position, "unknown \(noun) `\(key):` (here with \(known)): Parley has no \(noun) that takes `\(key)`")
                    return nil
                }
                return build(spec: spec, pairs: pairs, at: node.position, id: id, isFlowTrigger: isFlowTrigger)
            case .ambiguous(let specs):
                report(node.position, "cannot tell which \(noun) this is: it fits " + specs.map { "`\($0.name)`" }.joined(separator: " and "),
                      hint: "add `type:` to choose")
                return nil
            case .none:
                let known = registry.signatureKeys(of: kind)
                let first = pairs.first { !["when", "action", "confidence", "context", "sensitive"].contains($0.key.scalar?.text ?? "") } ?? pairs.first
                let word = first?.key.scalar?.text ?? ""
                let position = first?.key.position ?? node.position
                if let choiceHint = choiceMismatch(keys: keys, node: node, kind: kind) {
                    report(position, choiceHint)
                } else {
                    report(position, "unknown \(noun) `\(word):`", hint: Spelling.hint(for: word, among: known))
                }
                return nil
            }
        default:
            report(node.position, "expected a \(noun) (a mapping such as `\(kind == .component ? "say: Hello" : "keyword: hi")` or a word such as `\(kind == .component ? "end" : "catchall")`), found \(node.kindDescription)")
            return nil
        }
    }

    /// The type names of `typeName`'s vendor or product (its second part: `mailgun` in
    /// `meya.mailgun.component.send`, `twilio` in Meya's and Parley's Twilio types), so "did you
    /// mean" never offers another vendor's step for one Parley does not have.
    static func sameVendor(as typeName: String, _ names: [String]) -> [String] {
        func vendor(_ name: String) -> Substring? { name.split(separator: ".").dropFirst().first }
        guard let wanted = vendor(typeName) else { return names }
        return names.filter { vendor($0) == wanted }
    }

    /// When every signature key is present but a `choice` value is wrong (`expect: emial`), say so.
    private func choiceMismatch(keys: [String], node: YAMLNode, kind: ElementSpec.Kind) -> String? {
        for spec in registry.specs(of: kind) where !spec.signatureKeys.isEmpty && spec.signatureKeys.isSubset(of: Set(keys)) {
            for key in spec.signatureKeys {
                if case .choice(let words) = spec.fields[key]!.type, let value = node[key]?.scalar?.text, !words.contains(value) {
                    return "`\(key): \(value)` is not valid here; expected " + words.map { "`\($0)`" }.joined(separator: ", ")
                        + (Spelling.suggestion(for: value, among: words).map { " (did you mean `\($0)`?)" } ?? "")
                }
            }
        }
        return nil
    }

    /// "did you mean …?" for a field `spec` lacks: one of its own, else one of a sibling's that
    /// the misspelling kept from being chosen (`buttns` on an `ask`: `buttons`, of the button ask).
    private func unknownFieldHint(_ key: String, of spec: ElementRegistry.ResolvedSpec) -> String? {
        if let hint = Spelling.hint(for: key, among: spec.fieldOrder) { return hint }
        for sibling in registry.siblings(of: spec) {
            if let field = Spelling.suggestion(for: key, among: sibling.fieldOrder.filter { spec.fields[$0] == nil }) {
                return "did you mean `\(field)`? (with it, the step is a `\(sibling.name)`)"
            }
        }
        return nil
    }

    private mutating func build(spec: ElementRegistry.ResolvedSpec, pairs: [YAMLPair], at position: SourcePosition,
                                id: String, isFlowTrigger: Bool = false) -> Element? {
        var fields = OrderedDictionary<String, FieldValue>()
        let noun = spec.kind == .component ? "step" : spec.kind.rawValue
        let shortName = spec.signatureKeys.sorted().first ?? spec.name
        for pair in pairs {
            // Any scalar names a field (`yes:` is a boolean key in YAML 1.1 but still the word).
            guard let key = pair.key.scalar?.text else {
                report(pair.key.position, "field names must be text, not \(pair.key.kindDescription)")
                continue
            }
            guard let field = spec.fields[key] else {
                if spec.spec.inert != nil {
                    // An inert Meya element takes any fields, kept as written.
                    if let value = convert(pair.value, as: .any, id: "\(id).\(key)") { fields[key] = value }
                    continue
                }
                report(pair.key.position, "unknown field `\(key)` in `\(shortName)` \(noun)", hint: unknownFieldHint(key, of: spec))
                continue
            }
            let fieldID = "\(id).\(key)"
            if spec.kind == .trigger, key == "action", isFlowTrigger, let flowID {
                if let action = triggerAction(pair.value, id: fieldID, flowID: flowID) { fields[key] = .element(action) }
                continue
            }
            // `flow: x` + `jump: L`: the label belongs to the called flow.
            if spec.name == "meya.flow.component", key == "jump" {
                let target = pairs.first { $0.key.scalar?.text == "flow" }?.value.scalar.flatMap { Template.isPlain($0.text) ? $0.text : nil }
                if let value = convert(pair.value, as: field.type, id: fieldID, labelFlow: target ?? "") { fields[key] = value }
                continue
            }
            if let value = convert(pair.value, as: field.type, id: fieldID) { fields[key] = value }
        }
        for field in spec.fieldOrder.compactMap({ spec.fields[$0] }) where field.isRequired && fields[field.name] == nil {
            if !pairs.contains(where: { $0.key.scalar?.text == field.name }) {
                report(position, "`\(shortName)` \(noun) is missing `\(field.name):`")
            }
        }
        if let instead = spec.spec.inert {
            diagnostics.append(.warning(at: position, "`\(spec.name)` is Meya configuration that Parley accepts and does nothing with: \(instead)"))
        }
        checkLimits(spec: spec, fields: fields, pairs: pairs)
        let element = Element(type: spec.name, fields: fields, position: position, id: id)
        for finding in spec.spec.rules.flatMap({ $0(element) }) {
            let at = finding.field.flatMap { name in pairs.first { $0.key.scalar?.text == name }?.key.position } ?? position
            diagnostics.append(Diagnostic(finding.severity, at: at, finding.message, hint: finding.hint))
        }
        return element
    }

    /// A flow trigger's mapping action without `type:` or `flow:` runs this flow (spec §3.1).
    private mutating func triggerAction(_ node: YAMLNode, id: String, flowID: String) -> Element? {
        guard let pairs = node.pairs, node["type"] == nil, node["flow"] == nil,
              let spec = registry.spec(named: "meya.flow.component") else {
            return component(node, id: id)
        }
        let flowKey = YAMLNode(.scalar(YAMLScalar(text: "flow", style: .plain, value: .string("flow"))), at: node.position)
        let flowValue = YAMLNode(.scalar(YAMLScalar(text: flowID, style: .plain, value: .string(flowID))), at: node.position)
        let extra = pairs.filter { !["jump", "data"].contains($0.key.scalar?.text ?? "") }
        if !extra.isEmpty {
            // Not the `{jump:, data:}` shorthand: an ordinary component action.
            return component(node, id: id)
        }
        return build(spec: spec, pairs: [YAMLPair(key: flowKey, value: flowValue)] + pairs, at: node.position, id: id)
    }

    private mutating func checkLimits(spec: ElementRegistry.ResolvedSpec, fields: OrderedDictionary<String, FieldValue>, pairs: [YAMLPair]) {
        if spec.name == "meya.time.component.delay", case .value(let value)? = fields["delay"],
           let seconds = value.numberValue, let node = pairs.first(where: { $0.key.scalar?.text == "delay" })?.value {
            if seconds > 20 { report(node.position, "`delay:` is at most 20 seconds, got \(node.scalar?.text ?? "")") }
            if seconds < 0 { report(node.position, "`delay:` cannot be negative") }
        }
    }
}

extension ElementSpec.Kind {
    var article: String { self == .integration ? "an" : "a" }
}

extension TemplateValue {
    /// The number an int or double holds.
    var numberValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }
}
