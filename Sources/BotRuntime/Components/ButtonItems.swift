import FlowDSL
import OrderedCollections

/// Buttons and quick replies of an element, rendered: what the user is shown and what a click
/// does (spec §4.4).
struct ButtonItem: Sendable {
    var index: Int
    var text: String
    /// Set for buttons a click can act on (generated from the element id unless written).
    var buttonID: String?
    var url: String?
    var action: Element?
    var result: TemplateValue?
    var data: TemplateMap?

    /// A click does something in this flow (`action:`, `result:` or `data:`).
    var isActionable: Bool { action != nil || result != nil || data != nil }

    /// The button as channels receive it.
    var eventValue: TemplateValue {
        var map: TemplateMap = ["text": .string(text)]
        if let buttonID { map["button_id"] = .string(buttonID) }
        if let url { map["url"] = .string(url) }
        return .map(map)
    }

    /// The items of `field` (`buttons` or `quick_replies`) of `element`.
    static func items(of element: Element, field: String, in context: ComponentContext) throws -> [ButtonItem] {
        let cache = field == "buttons" ? context.runtime.constantButtons : context.runtime.constantQuickReplies
        if let cached = cache[ObjectIdentifier(element)] { return cached }
        return try render(element, field: field, in: context)
    }

    /// The items of `field` when nothing in them is a template, rendered once for every turn.
    static func constantItems(of element: Element, field: String) -> [ButtonItem]? {
        guard case .list(let entries)? = element[field], entries.allSatisfy(\.isConstant) else { return nil }
        return try? render(element, field: field, in: nil)
    }

    /// Renders against `context`, or as constants when it is nil. `items` passes the context on
    /// instead of capturing it in a closure: forming that closure copied the whole turn context
    /// on every call, cached buttons or not.
    private static func render(_ element: Element, field: String, in context: ComponentContext?) throws -> [ButtonItem] {
        func render(_ field: FieldValue?) throws -> TemplateValue {
            try value(of: field, in: context)
        }
        func text(_ field: FieldValue?) throws -> String {
            let value = try value(of: field, in: context)
            if case .string(let text) = value { return text }
            return value.pythonString
        }
        guard let value = element[field] else { return [] }
        var items: [ButtonItem] = []
        switch value {
        case .list(let entries):
            for (index, entry) in entries.enumerated() {
                guard case .map(let fields) = entry else { continue }
                var item = ButtonItem(index: index, text: try text(fields["text"]))
                item.url = fields["url"].map { try? text($0) } ?? nil
                item.action = fields["action"]?.element
                if let result = fields["result"] { item.result = try render(result) }
                if case .map(let data)? = try fields["data"].map({ try render($0) }) { item.data = data }
                if let explicit = fields["button_id"] {
                    item.buttonID = try text(explicit)
                } else if item.isActionable {
                    item.buttonID = "\(element.id).\(field).\(index)"
                }
                items.append(item)
            }
        default:
            // A template that renders to a list of button mappings or texts.
            guard case .list(let rendered) = try render(value) else { return [] }
            for (index, entry) in rendered.enumerated() {
                switch entry {
                case .map(let fields):
                    var item = ButtonItem(index: index, text: fields["text"]?.pythonString ?? "")
                    item.result = fields["result"]
                    if case .map(let data)? = fields["data"] { item.data = data }
                    if case .string(let id)? = fields["button_id"] { item.buttonID = id } else if item.isActionable {
                        item.buttonID = "\(element.id).\(field).\(index)"
                    }
                    if case .string(let url)? = fields["url"] { item.url = url }
                    items.append(item)
                default:
                    items.append(ButtonItem(index: index, text: entry.pythonString))
                }
            }
        }
        return items
    }

    private static func value(of field: FieldValue?, in context: ComponentContext?) throws -> TemplateValue {
        if let context { return try context.render(field) }
        return try field?.render(TemplateContext()) ?? .none
    }

    /// What choosing this button does.
    func outcome() -> ComponentOutcome {
        if let action { return .action(action, data: ["result": result ?? .string(text)]) }
        if let data { return .next(data.merging(["result": result ?? .string(text)]) { old, _ in old }) }
        return .next(["result": result ?? .string(text)])
    }
}
