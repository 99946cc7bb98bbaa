import FlowDSL
import Foundation
import OrderedCollections

/// Runs Meya's forms — a page of fields (`page:`) or one field alone (`text_input`,
/// `email_address_input`, `regex_input:`, `choices:`, `checkbox:`, `select:`) — and `info:`
/// text, as `meya/widget` and `meya/form` do: the form waits until every field's answer is
/// valid, saying why a refused one was refused, and `flow.result` is the value of a field
/// alone, or the list of a page's values in field order (info left out).
///
/// A form is answered whole (`meya.form.event.submit` with the values by field name: the chat
/// page, REST and WebSocket clients) or, on channels that show only text, one field at a time:
/// each typed message answers the next field, and the next question follows (the answers so
/// far wait in the flow scope, under `_form_answers`, until the form is done).
struct FormComponentHandler: ComponentHandler {
    static let pageType = "meya.widget.component.page"
    static let infoType = "meya.text.component.info"
    static let selectType = "meya.form.component.select"
    /// Each field element type, with the field type channels are given.
    static let fieldKinds: [String: String] = [
        "meya.text.component.input": "text", "meya.email.component.address.input": "email",
        "meya.text.component.regex_input": "regex", "meya.tile.component.choice": "choice",
        "meya.tile.component.checkbox": "checkbox", selectType: "select", infoType: FormFieldView.infoType,
    ]
    /// The steps that show a form and wait for it.
    static let formTypes: Set<String> = Set(fieldKinds.keys).subtracting([infoType]).union([pageType])
    static let progressKey = "_form_answers"

    var types: [String] { Array(Self.formTypes) + [Self.infoType] }

    /// Whether `event`, a submission, is one of the form `element` shows.
    static func answers(_ event: Event, _ element: Element) -> Bool {
        formTypes.contains(element.type) && event.data["form_id"] == .string(element.id)
    }

    /// One field, rendered: its element, what channels are shown, and its options' values.
    struct Field {
        var element: Element
        var view: FormFieldView
        var options: [(text: String, value: TemplateValue, disabled: Bool)]
    }

    func run(_ element: Element, in context: inout ComponentContext) async throws -> ComponentOutcome {
        let replies = try ButtonItem.items(of: element, field: "quick_replies", in: context)
        if element.type == Self.infoType {
            let text = try context.renderShown(element["info"])
            var kept: TemplateMap = ["info": .string(text.kept.pythonString)], shown: TemplateMap = ["info": .string(text.shown.pythonString)]
            if !replies.isEmpty { (kept["quick_replies"], shown["quick_replies"]) = (.list(replies.map(\.eventValue)), .list(replies.map(\.eventValue))) }
            context.emit(EventTypes.info, data: kept, shown: kept == shown ? nil : shown)
            return replies.contains { $0.isActionable } ? .wait : .next()
        }
        context.removeFromFlowScope(Self.progressKey)
        var data: TemplateMap = ["form_id": .string(element.id), "fields": .list(try Self.fields(of: element, in: context).map { $0.view.json })]
        switch element["submit"] {
        case .value(.none)?: break
        case .map(let submit)?:
            let text = try context.render(submit["text"])
            data["submit_text"] = .string(text == .none ? "Submit" : text.pythonString)
        default: data["submit_text"] = "Submit"
        }
        let extra = try ButtonItem.render(element["extra_buttons"], id: "\(element.id).extra_buttons", in: context)
        if !extra.isEmpty { data["buttons"] = .list(extra.map(\.eventValue)) }
        if !replies.isEmpty { data["quick_replies"] = .list(replies.map(\.eventValue)) }
        context.emit(EventTypes.formAsk, data: data)
        return .wait
    }

    func resume(_ element: Element, answer: Answer, in context: inout ComponentContext) async throws -> ComponentOutcome {
        if let index = answer.buttonIndex {
            let buttons = try ButtonItem.answers(of: element, in: context)
            guard index < buttons.count else { return .wait }
            context.removeFromFlowScope(Self.progressKey)
            return buttons[index].outcome()
        }
        let inputs = try Self.fields(of: element, in: context).filter { $0.view.type != FormFieldView.infoType }
        guard !inputs.isEmpty else { return .next() }
        if answer.event.type == EventTypes.formSubmit {
            let given: TemplateMap = if case .map(let fields)? = answer.event.data["fields"] { fields } else { [:] }
            var values: [TemplateValue] = [], errors = TemplateMap()
            for field in inputs {
                switch try Self.check(field, given[field.view.name] ?? .none, typed: false, in: context) {
                case .success(let value): values.append(value)
                case .failure(let refusal): errors[field.view.name] = .string(refusal.message)
                }
            }
            guard errors.isEmpty else { return try refuse(element, errors: errors, raw: given.values.first ?? .none, in: &context) }
            context.emit(EventTypes.formOK, data: ["form_id": .string(element.id)])
            return finish(element, values: values, in: &context)
        }
        // Typed: the answer to the next field.
        var answered: [TemplateValue] = if case .list(let list)? = context.flowScope[Self.progressKey] { list } else { [] }
        guard answered.count < inputs.count else { return finish(element, values: answered, in: &context) }
        let field = inputs[answered.count]
        let text = answer.event.text ?? ""
        switch try Self.check(field, .string(text), typed: true, in: context) {
        case .failure(let refusal):
            return try refuse(element, errors: [field.view.name: .string(refusal.message)], raw: .string(text), in: &context)
        case .success(let value):
            answered.append(value)
        }
        guard answered.count < inputs.count else { return finish(element, values: answered, in: &context) }
        context.mergeFlowScope([Self.progressKey: .list(answered)])
        let next = inputs[answered.count].view
        var question: TemplateMap = ["text": .string(next.question)]
        if !next.options.isEmpty { question["quick_replies"] = .list(next.options.map { .map(["text": .string($0)]) }) }
        context.emit(EventTypes.ask, data: question)
        return .wait
    }

    /// Says why answers were refused and waits for new ones; a `select:` whose `retries` ran
    /// out goes on instead, with the raw answer and `flow.ok` false (Meya).
    private func refuse(_ element: Element, errors: TemplateMap, raw: TemplateValue, in context: inout ComponentContext) throws -> ComponentOutcome {
        if element.type == Self.selectType, let retries = try context.render(element["retries"]).number, Double(context.attempts) >= retries {
            context.removeFromFlowScope(Self.progressKey)
            return .next(["result": raw, "ok": false])
        }
        context.emit(EventTypes.formError, data: ["form_id": .string(element.id), "fields": .map(errors)])
        return .wait
    }

    private func finish(_ element: Element, values: [TemplateValue], in context: inout ComponentContext) -> ComponentOutcome {
        context.removeFromFlowScope(Self.progressKey)
        let result: TemplateValue = element.type == Self.pageType ? .list(values) : values.first ?? .none
        return .next(element.type == Self.selectType ? ["result": result, "ok": true] : ["result": result])
    }

    /// The fields of `element`: a page's, in order (named by position), or the field it is.
    static func fields(of element: Element, in context: ComponentContext) throws -> [Field] {
        guard element.type == pageType else { return try field(element, name: "0", in: context).map { [$0] } ?? [] }
        guard case .list(let widgets)? = element["page"] else { return [] }
        return try widgets.enumerated().compactMap { index, widget in
            guard case .element(let widget) = widget else { return nil }
            return try field(widget, name: String(index), in: context)
        }
    }

    private static func field(_ element: Element, name: String, in context: ComponentContext) throws -> Field? {
        guard let kind = fieldKinds[element.type] else { return nil }
        func text(_ key: String) throws -> String? {
            let value = try context.render(element[key])
            return value == .none ? nil : value.pythonString.nilIfEmpty
        }
        var view = FormFieldView(name: name, type: kind, label: try text("label"), placeholder: try text("placeholder"), defaultValue: nil,
                                 required: try context.render(element["required"]) == .bool(true), options: [], multi: false, info: nil)
        var options: [(text: String, value: TemplateValue, disabled: Bool)] = []
        switch kind {
        case FormFieldView.infoType:
            view.info = try text("info")
        case "checkbox":
            view.label = try view.label ?? text("checkbox")
        case "select", "choice":
            if kind == "select" {
                view.label = try view.label ?? text("select")
                view.required = true
            }
            view.multi = try context.render(element["multi"]) == .bool(true)
            var defaults: [TemplateValue] = []
            guard case .list(let entries) = try context.render(element[kind == "select" ? "options" : "choices"]) else { break }
            for entry in entries {
                guard case .map(let option) = entry else {
                    options.append((entry.pythonString, .string(entry.pythonString), false))
                    continue
                }
                let text = option["text"]?.pythonString ?? ""
                options.append((text, option["value"] ?? .string(text), option["disabled"] == .bool(true)))
                if option["default"] == .bool(true) { defaults.append(.string(text)) }
            }
            view.options = options.map(\.text)
            if !defaults.isEmpty { view.defaultValue = view.multi ? .list(defaults) : defaults[0] }
        default:
            break
        }
        let given = try context.render(element["default"])
        if given != .none { view.defaultValue = given }
        return Field(element: element, view: view, options: options)
    }
}

extension FormComponentHandler {
    struct Refusal: Error { var message: String }

    /// The value `input` gives `field`, or why it is refused. `typed`: a message on a channel
    /// that shows only text (a choice by its number, several separated by commas; yes or no).
    static func check(_ field: Field, _ input: TemplateValue, typed: Bool, in context: ComponentContext) throws -> Result<TemplateValue, Refusal> {
        let view = field.view
        // Rendered only for an answer refused.
        func refused() throws -> Result<TemplateValue, Refusal> {
            let written = try context.render(field.element["error_message"])
            return .failure(Refusal(message: written == .none ? defaultMessage(view.type) : written.pythonString))
        }
        let text = switch input {
        case .none: ""
        case .string(let text): text.trimmingSpaces
        default: input.pythonString
        }
        switch view.type {
        case "checkbox":
            let checked: Bool? = switch input {
            case .bool(let flag): flag
            case .none: false
            default: ["yes", "y", "true", "1", "on", "✓"].contains(text.lowercased()) ? true
                : ["no", "n", "false", "0", "off", ""].contains(text.lowercased()) ? false : nil
            }
            guard let checked, checked || !view.required else { return try refused() }
            return .success(.bool(checked))
        case "choice", "select":
            let given: [String] = switch input {
            case .list(let entries): entries.map(\.pythonString)
            case .none: []
            default: view.multi && typed ? text.split(separator: ",").map { String($0).trimmingSpaces } : [text]
            }
            let items = given.filter { !$0.isEmpty }
            guard !items.isEmpty else {
                return view.required ? try refused() : .success(view.multi ? .list([]) : .string(""))
            }
            guard view.multi || items.count == 1 else { return try refused() }
            var values: [TemplateValue] = []
            for item in items {
                let number = typed ? Int(item).flatMap { field.options.indices.contains($0 - 1) ? $0 - 1 : nil } : nil
                if let index = number ?? field.options.firstIndex(where: { $0.text.lowercased() == item.lowercased() }),
                   !field.options[index].disabled {
                    values.append(field.options[index].value)
                } else if try context.render(field.element["custom"]) == .bool(true) {
                    values.append(.string(item))
                } else {
                    return try refused()
                }
            }
            return .success(view.multi ? .list(values) : values[0])
        default:
            guard !text.isEmpty else { return view.required ? try refused() : .success(.string("")) }
            switch view.type {
            case "email":
                return isEmailAddress(text) ? .success(.string(text)) : try refused()
            case "regex":
                guard let pattern = context.runtime.patterns[field.element.id],
                      let found = context.options.search(pattern, in: text, what: field.element.id) else { return try refused() }
                return .success(try context.render(field.element["capture_groups"]) == .bool(true) ? found.scopeValue : .string(found.text))
            default:
                return .success(.string(text))
            }
        }
    }

    /// Meya's messages for refused answers (`meya/text/component/input`, `meya/tile/component`, `meya/form/component/select.py`).
    static func defaultMessage(_ type: String) -> String {
        switch type {
        case "email": "Please enter a valid email address."
        case "regex": "Invalid input, please try again."
        case "choice": "Please select a choice"
        case "checkbox": "Please check this box"
        case "select": "Invalid value selected"
        default: "Please enter a value."
        }
    }

    /// An address with one `@`, no spaces and a dot in its domain (no DNS lookup, unlike Meya's
    /// `email_validator`: the bot answers without waiting on a resolver).
    static func isEmailAddress(_ text: String) -> Bool {
        text.range(of: #"^[^@\s]+@[^@\s]+\.[^@\s]+$"#, options: .regularExpression) != nil
    }
}
