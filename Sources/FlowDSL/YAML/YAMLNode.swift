/// A YAML node with the position it was written at: the tree every later stage reads.
///
/// It is our own small, `Sendable` copy of what the YAML parser produced, so that nothing above
/// this folder depends on the parser's types.
public struct YAMLNode: Sendable {
    /// What the node holds.
    public enum Kind: Sendable {
        case scalar(YAMLScalar)
        case mapping([YAMLPair])
        case sequence([YAMLNode])
    }

    public var kind: Kind
    public var position: SourcePosition

    public init(_ kind: Kind, at position: SourcePosition) {
        self.kind = kind
        self.position = position
    }

    public var scalar: YAMLScalar? {
        if case .scalar(let scalar) = kind { return scalar }
        return nil
    }

    public var pairs: [YAMLPair]? {
        if case .mapping(let pairs) = kind { return pairs }
        return nil
    }

    public var items: [YAMLNode]? {
        if case .sequence(let items) = kind { return items }
        return nil
    }

    /// The value of a mapping key written as plain text, if this is a mapping that has it.
    public subscript(key: String) -> YAMLNode? {
        pairs?.first { $0.key.scalar?.text == key }?.value
    }

    /// A word for error messages: "a mapping", "a list", "the number 3" …
    public var kindDescription: String {
        switch kind {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar(let scalar): scalar.kindDescription
        }
    }

    /// The data this node stands for, without templates evaluated (`config.yaml`, `data:` fields).
    public var value: TemplateValue {
        switch kind {
        case .scalar(let scalar): return scalar.value
        case .sequence(let items): return .list(items.map(\.value))
        case .mapping(let pairs):
            var map = TemplateMap()
            for pair in pairs { map[pair.key.scalar?.text ?? pair.key.value.pythonString] = pair.value.value }
            return .map(map)
        }
    }
}

/// One `key: value` entry of a YAML mapping, both with positions.
public struct YAMLPair: Sendable {
    public var key: YAMLNode
    public var value: YAMLNode
}

/// A scalar as written (`text`) and as YAML 1.1 resolves it (`value`: bool, int, float, null or string).
public struct YAMLScalar: Sendable {
    /// How the scalar was written; quoted and block scalars are always strings.
    public enum Style: Sendable { case plain, singleQuoted, doubleQuoted, literal, folded }

    public var text: String
    public var style: Style
    public var value: TemplateValue

    public init(text: String, style: Style, value: TemplateValue) {
        self.text = text
        self.style = style
        self.value = value
    }

    public var isString: Bool {
        if case .string = value { return true }
        return false
    }

    var kindDescription: String {
        switch value {
        case .none: "null"
        case .bool: "the boolean `\(text)`"
        case .int, .double: "the number `\(text)`"
        default: "the text `\(text)`"
        }
    }
}
