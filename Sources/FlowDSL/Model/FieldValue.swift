import OrderedCollections

/// A field's value as loaded: plain data, a parsed template, nested lists and mappings, or a
/// nested element (an action such as `then:`). Templates are parsed once here and rendered
/// each time the element runs.
public indirect enum FieldValue: Sendable {
    case value(TemplateValue)
    case template(Template)
    case list([FieldValue])
    case map(OrderedDictionary<String, FieldValue>)
    case element(Element)

    /// The value with every template rendered against `context`; nested elements render as `none`.
    public func render(_ context: TemplateContext) throws(TemplateRenderError) -> TemplateValue {
        switch self {
        case .value(let value): return value
        case .template(let template): return try template.render(context)
        case .list(let items):
            var result: [TemplateValue] = []
            result.reserveCapacity(items.count)
            for item in items { result.append(try item.render(context)) }
            return .list(result)
        case .map(let entries):
            var result = TemplateMap(minimumCapacity: entries.count)
            for (key, value) in entries { result[key] = try value.render(context) }
            return .map(result)
        case .element: return .none
        }
    }

    /// The text of a string field that holds no template (`flow: flow.x`), else nil.
    public var constantText: String? {
        guard case .template(let template) = self, template.isConstant else { return nil }
        return template.source
    }

    /// Whether rendering gives the same value every time: no template anywhere inside.
    public var isConstant: Bool {
        switch self {
        case .value, .element: true
        case .template(let template): template.isConstant
        case .list(let items): items.allSatisfy(\.isConstant)
        case .map(let entries): entries.values.allSatisfy(\.isConstant)
        }
    }

    public var element: Element? {
        if case .element(let element) = self { return element }
        return nil
    }

    public var list: [FieldValue]? {
        if case .list(let items) = self { return items }
        return nil
    }

    public var map: OrderedDictionary<String, FieldValue>? {
        if case .map(let entries) = self { return entries }
        return nil
    }
}
