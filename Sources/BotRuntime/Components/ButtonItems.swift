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
    /// A quick reply: typing its text chooses it only when a click would act (Meya).
    var isQuickReply = false

    /// A click does something in this flow (`action:`, `result:` or `data:`).
    var isActionable: Bool { action != nil || result != nil || data != nil }

    /// The button as users are offered it.
    var choice: Choice { Choice(text: text, buttonID: buttonID, url: url) }

    /// The button as channels receive it.
    var eventValue: TemplateValue { choice.json }

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
        try render(element[field], id: "\(element.id).\(field)", in: context)
    }

    /// The buttons written in `value` (a list of buttons, or a template that renders to one);
    /// a button a click can act on and that names no `button_id` gets `ID.INDEX`.
    static func render(_ value: FieldValue?, id: String, in context: ComponentContext?) throws -> [ButtonItem] {
        guard let value else { return [] }
        var items: [ButtonItem] = []
        switch value {
        case .list(let entries):
            for (index, entry) in entries.enumerated() {
                guard case .map(let fields) = entry else { continue }
                items.append(try item(fields, text: fields["text"], index: index, id: "\(id).\(index)", in: context))
            }
        default:
            // A template that renders to a list of button mappings or texts.
            guard case .list(let rendered) = try Self.value(of: value, in: context) else { return [] }
            items = Self.items(rendered: rendered, id: id)
        }
        return items
    }

    /// The buttons of a rendered list: mappings of button fields, or texts.
    static func items(rendered entries: [TemplateValue], id: String) -> [ButtonItem] {
        entries.enumerated().map { index, entry in
            guard case .map(let fields) = entry else { return ButtonItem(index: index, text: entry.pythonString) }
            return item(rendered: fields, text: fields["text"]?.pythonString ?? "", index: index, id: "\(id).\(index)")
        }
    }

    /// One button from its written fields, with `text` (a tile's title) as its text.
    static func item(_ fields: OrderedDictionary<String, FieldValue>, text title: FieldValue?, index: Int, id: String,
                     in context: ComponentContext?) throws -> ButtonItem {
        func text(of field: FieldValue?) throws -> String {
            let value = try Self.value(of: field, in: context)
            if case .string(let text) = value { return text }
            return value.pythonString
        }
        var item = ButtonItem(index: index, text: try text(of: title))
        item.url = fields["url"].map { try? text(of: $0) } ?? nil
        item.action = fields["action"]?.element
        if let result = fields["result"] { item.result = try value(of: result, in: context) }
        if case .map(let data)? = try fields["data"].map({ try value(of: $0, in: context) }) { item.data = data }
        if let explicit = fields["button_id"] {
            item.buttonID = try text(of: explicit)
        } else if item.isActionable {
            item.buttonID = id
        }
        return item
    }

    /// One button from rendered values (a template's list), with `text` as its text.
    static func item(rendered fields: TemplateMap, text: String, index: Int, id: String) -> ButtonItem {
        var item = ButtonItem(index: index, text: text)
        item.result = fields["result"]
        if case .map(let data)? = fields["data"] { item.data = data }
        if case .string(let explicit)? = fields["button_id"] { item.buttonID = explicit } else if item.isActionable { item.buttonID = id }
        if case .string(let url)? = fields["url"] { item.url = url }
        return item
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
