import Foundation
import OrderedCollections

extension Template {
    /// Whether `text` has no template syntax at all, so it can be checked as a plain name.
    static func isPlain(_ text: String) -> Bool {
        !text.contains("(@") && !text.contains("(%") && !text.contains("{#")
    }
}

extension ElementBuilder {
    /// Converts a field's node to a `FieldValue` of `type`, reporting what does not fit.
    /// `labelFlow` overrides the flow a `label` refers to ("" when it cannot be known).
    mutating func convert(_ node: YAMLNode, as type: FieldType, id: String, labelFlow: String? = nil) -> FieldValue? {
        // A template may stand for any data-valued field; it is rendered when the element runs.
        if let scalar = node.scalar, scalar.isString, !Template.isPlain(scalar.text), type.acceptsTemplate {
            return template(scalar, at: node.position)
        }
        switch type {
        case .string:
            guard let scalar = node.scalar, scalar.value != .none else { return mismatch(node, type) }
            return template(scalar, at: node.position)
        case .bool:
            guard case .bool? = node.scalar?.value else { return mismatch(node, type) }
            return .value(node.scalar!.value)
        case .integer:
            guard case .int? = node.scalar?.value else { return mismatch(node, type) }
            return .value(node.scalar!.value)
        case .number:
            guard let value = node.scalar?.value, value.numberValue != nil else { return mismatch(node, type) }
            return .value(value)
        case .duration:
            guard let scalar = node.scalar, scalar.value != .none else { return mismatch(node, type) }
            guard DurationText.seconds(scalar.value) != nil else {
                report(node.position, "`\(scalar.text)` is not a duration; expected \(type.expectation), more than zero")
                return nil
            }
            return .value(scalar.value)
        case .expression:
            guard let scalar = node.scalar else { return mismatch(node, type) }
            return scalar.isString ? template(scalar, at: node.position) : .value(scalar.value)
        case .any:
            return anyValue(node)
        case .null:
            guard node.scalar?.value == TemplateValue.none else { return mismatch(node, type) }
            return .value(.none)
        case .choice(let words):
            guard let text = node.scalar?.text, node.scalar!.isString else { return mismatch(node, type) }
            guard words.contains(text) else {
                report(node.position, "`\(text)` is not valid here; expected \(type.expectation)", hint: Spelling.hint(for: text, among: words))
                return nil
            }
            return .value(.string(text))
        case .list(let itemType):
            guard let items = node.items else { return mismatch(node, type) }
            return .list(items.enumerated().compactMap { convert($1, as: itemType, id: "\(id).\($0)") })
        case .map(let valueType):
            guard let pairs = node.pairs else { return mismatch(node, type) }
            var entries = OrderedDictionary<String, FieldValue>()
            for pair in pairs {
                guard let key = keyText(pair.key) else { continue }
                if let value = convert(pair.value, as: valueType, id: "\(id).\(key)") { entries[key] = value }
            }
            return .map(entries)
        case .object(let fields):
            return object(node, fields: fields, id: id)
        case .component:
            return component(node, id: id).map(FieldValue.element)
        case .componentMap:
            guard let pairs = node.pairs else { return mismatch(node, type) }
            var entries = OrderedDictionary<String, FieldValue>()
            let isMatch = id.hasSuffix(".match")
            for pair in pairs {
                guard let key = keyText(pair.key) else { continue }
                if isMatch { checkRegex(key, at: pair.key.position, verbose: true) }
                if let action = component(pair.value, id: "\(id).\(key)") { entries[key] = .element(action) }
            }
            return .map(entries)
        case .componentList:
            guard let items = node.items else { return mismatch(node, type) }
            return .list(items.enumerated().compactMap { index, item in component(item, id: "\(id).\(index)").map(FieldValue.element) })
        case .conditionList:
            return conditions(node, id: id)
        case .triggers:
            guard let items = node.items else { return mismatch(node, type) }
            return .list(items.enumerated().compactMap { index, item in
                trigger(item, id: "\(id).\(index)", isFlowTrigger: false).map(FieldValue.element)
            })
        case .buttons:
            return buttons(node, id: id)
        case .flowReference, .integrationReference, .label, .appFile:
            guard let scalar = node.scalar, scalar.isString || scalar.value != .none else { return mismatch(node, type) }
            // Meya strips every reference, so `jump: " done "` names the label `done`.
            let name = scalar.text.trimmingCharacters(in: .whitespacesAndNewlines)
            switch type {
            case .flowReference: references.append(AppReference(target: .flow(name), position: node.position))
            case .integrationReference: references.append(AppReference(target: .integration(name), position: node.position))
            case .appFile: references.append(AppReference(target: .appFile(name), position: node.position))
            default:
                if let flow = labelFlow ?? flowID, !flow.isEmpty {
                    references.append(AppReference(target: .label(name, inFlow: flow), position: node.position))
                }
            }
            return template(scalar, at: node.position)
        case .eventType:
            guard let name = node.scalar?.text, node.scalar!.isString else { return mismatch(node, type) }
            if registry.event(named: name) == nil {
                report(node.position, "unknown event type `\(name)`", hint: Spelling.hint(for: name, among: registry.eventNames))
            }
            return .value(.string(name))
        case .regex:
            guard let scalar = node.scalar, scalar.isString || scalar.value != .none else { return mismatch(node, type) }
            checkRegex(scalar.text, at: node.position, verbose: true)
            if Template.isPlain(scalar.text), let risk = PythonRegex.backtrackingRisk(in: scalar.text) {
                let quote = scalar.style == .plain ? 0 : 1
                diagnostics.append(.warning(at: node.position.advanced(columns: risk.offset + quote),
                                            "this pattern can take exponential time on some messages: \(risk.reason)",
                                            hint: "match each character one way, e.g. `(a+)+` → `a+`, `(a|ab)*` → `(ab?)*`; "
                                                + "a match that runs out of time counts as no match"))
            }
            if let column = PythonRegex.ignoredSpaceOffset(in: scalar.text) {
                let quote = scalar.style == .plain ? 0 : 1
                diagnostics.append(.warning(at: node.position.advanced(columns: column + quote),
                                            "this space is ignored: regular expressions here are VERBOSE, so `\(scalar.text)` does not match a space",
                                            hint: "write `\\s` or `\\ ` to match one"))
            }
            return .value(.string(scalar.text))
        case .oneOf(let types):
            guard let chosen = types.first(where: { $0.fits(node) }) else { return mismatch(node, type) }
            return convert(node, as: chosen, id: id, labelFlow: labelFlow)
        }
    }

    private mutating func mismatch(_ node: YAMLNode, _ type: FieldType) -> FieldValue? {
        report(node.position, "expected \(type.expectation), found \(node.kindDescription)")
        return nil
    }

    private mutating func keyText(_ node: YAMLNode) -> String? {
        guard let scalar = node.scalar else {
            report(node.position, "mapping keys must be text, not \(node.kindDescription)")
            return nil
        }
        return scalar.text
    }

    /// Parses a string as a template, reporting syntax errors where they are in the file.
    mutating func template(_ scalar: YAMLScalar, at position: SourcePosition) -> FieldValue? {
        do {
            let template = try Template(scalar.text)
            for reference in template.references where reference.path.first == "vault" && reference.path.count > 1 {
                let at = Self.position(line: reference.line, column: reference.column, in: scalar, at: position)
                references.append(AppReference(target: .vaultKey(reference.path.dropFirst().joined(separator: ".")), position: at))
            }
            return .template(template)
        } catch {
            report(Self.position(line: error.line, column: error.column, in: scalar, at: position), "template error: \(error.message)")
            return nil
        }
    }

    /// Where a template error sits in the YAML file: exact for one-line plain and quoted scalars.
    /// Where a line and column of a template (1-based, within its text) sit in the YAML file:
    /// exact for one-line plain and quoted scalars, the right line for block scalars.
    static func position(line: Int, column: Int, in scalar: YAMLScalar, at position: SourcePosition) -> SourcePosition {
        switch scalar.style {
        case .plain, .singleQuoted, .doubleQuoted:
            guard line == 1 else { return position.advanced(lines: line - 1, columns: column - 1) }
            let quote = scalar.style == .plain ? 0 : 1
            return position.advanced(columns: column - 1 + quote)
        case .literal, .folded:
            return SourcePosition(file: position.file, line: position.line + line, column: column)
        }
    }

    private mutating func checkRegex(_ pattern: String, at position: SourcePosition, verbose: Bool) {
        guard Template.isPlain(pattern) else { return }
        do {
            _ = try PythonRegex(pattern, verbose: verbose)
        } catch {
            self.report(position, error.message)
        }
    }

    private mutating func anyValue(_ node: YAMLNode) -> FieldValue? {
        switch node.kind {
        case .scalar(let scalar):
            return scalar.isString ? template(scalar, at: node.position) : .value(scalar.value)
        case .sequence(let items):
            return .list(items.compactMap { anyValue($0) })
        case .mapping(let pairs):
            var entries = OrderedDictionary<String, FieldValue>()
            for pair in pairs {
                guard let key = keyText(pair.key) else { continue }
                if let value = anyValue(pair.value) { entries[key] = value }
            }
            return .map(entries)
        }
    }

    private mutating func object(_ node: YAMLNode, fields: [FieldSpec], id: String) -> FieldValue? {
        guard let pairs = node.pairs else { return mismatch(node, .object(fields)) }
        var entries = OrderedDictionary<String, FieldValue>()
        for pair in pairs {
            guard let key = keyText(pair.key) else { continue }
            guard let field = fields.first(where: { $0.name == key }) else {
                report(pair.key.position, "unknown field `\(key)`", hint: Spelling.hint(for: key, among: fields.map(\.name)))
                continue
            }
            if let value = convert(pair.value, as: field.type, id: "\(id).\(key)") { entries[key] = value }
        }
        for field in fields where field.isRequired && entries[field.name] == nil && !pairs.contains(where: { $0.key.scalar?.text == field.name }) {
            report(node.position, "missing `\(field.name):`")
        }
        return .map(entries)
    }

    /// `cond:` entries: one-key mappings from a condition to an action.
    private mutating func conditions(_ node: YAMLNode, id: String) -> FieldValue? {
        guard let items = node.items else { return mismatch(node, .conditionList) }
        var result: [FieldValue] = []
        for (index, item) in items.enumerated() {
            guard let pairs = item.pairs, pairs.count == 1, let keyScalar = pairs[0].key.scalar else {
                report(item.position, "each `cond:` entry is a one-key mapping `condition: action`")
                continue
            }
            guard let condition = keyScalar.isString ? template(keyScalar, at: pairs[0].key.position) : .value(keyScalar.value),
                  let action = component(pairs[0].value, id: "\(id).\(index)") else { continue }
            result.append(.map(["when": condition, "action": .element(action)]))
        }
        return .list(result)
    }

    /// Button and quick-reply items: text alone, or a mapping of button fields (spec §4.4).
    private mutating func buttons(_ node: YAMLNode, id: String) -> FieldValue? {
        guard let items = node.items else { return mismatch(node, .buttons) }
        var result: [FieldValue] = []
        for (index, item) in items.enumerated() {
            switch item.kind {
            case .scalar(let scalar):
                guard scalar.value != .none else {
                    report(item.position, "a button needs text")
                    continue
                }
                if let text = template(scalar, at: item.position) { result.append(.map(["text": text])) }
            case .mapping:
                if let value = object(item, fields: Self.buttonFields, id: "\(id).\(index)") { result.append(value) }
            case .sequence:
                report(item.position, "expected a button (text, or a mapping with `text:`), found a list")
            }
        }
        return .list(result)
    }

    static let buttonFields: [FieldSpec] = [
        FieldSpec("text", .string), FieldSpec("result", .any), FieldSpec("data", .map(.any)),
        FieldSpec("action", .component), FieldSpec("url", .string), FieldSpec("button_id", .string),
        FieldSpec("javascript", .string), FieldSpec("context", .any), FieldSpec("icon", .any),
        FieldSpec("menu", .buttons), FieldSpec("divider", .bool), FieldSpec("disabled", .bool),
        FieldSpec("default", .bool), FieldSpec("magic", .bool), FieldSpec("value", .any), FieldSpec("type", .string),
    ]
}

extension FieldType {
    /// Whether a template string may stand in for a value of this type.
    var acceptsTemplate: Bool {
        switch self {
        case .component, .componentMap, .componentList, .conditionList, .triggers, .eventType, .null, .regex: false
        case .oneOf(let types): types.contains { $0.acceptsTemplate }
        default: true
        }
    }

    /// Whether `node` has the shape of this type, for choosing among `oneOf` alternatives.
    func fits(_ node: YAMLNode) -> Bool {
        switch (self, node.kind) {
        case (.null, .scalar(let scalar)): scalar.value == .none
        case (.bool, .scalar(let scalar)): if case .bool = scalar.value { true } else { false }
        case (.choice(let words), .scalar(let scalar)): scalar.isString && words.contains(scalar.text)
        case (.string, .scalar(let scalar)), (.flowReference, .scalar(let scalar)), (.label, .scalar(let scalar)), (.appFile, .scalar(let scalar)):
            scalar.value != .none
        case (.map, .mapping), (.object, .mapping), (.componentMap, .mapping): true
        case (.list, .sequence), (.buttons, .sequence), (.triggers, .sequence), (.componentList, .sequence): true
        case (.any, _), (.expression, .scalar): true
        default: false
        }
    }
}
