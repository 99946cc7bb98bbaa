import Yams

extension VaultValue {
    /// The value of a YAML node, with tags resolved as YAML 1.1 does (so `'+1800…'` quoted stays
    /// text and `42` is a number). Timestamps stay text. `key` and `file` locate errors.
    init(yaml node: Node, key: String, file: String) throws(VaultError) {
        switch node {
        case .scalar(let scalar):
            self = try Self.scalar(scalar, node: node, key: key, file: file)
        case .sequence(let sequence):
            var items: [VaultValue] = []
            for item in sequence { items.append(try VaultValue(yaml: item, key: key, file: file)) }
            self = .list(items)
        case .mapping(let mapping):
            var map: [String: VaultValue] = [:]
            for (name, value) in mapping {
                guard case .scalar(let scalar) = name else {
                    throw .unsupportedValue(file: file, line: name.mark?.line ?? 1, column: name.mark?.column ?? 1,
                                            key: key, reason: "a mapping key inside the value must be plain text")
                }
                map[scalar.string] = try VaultValue(yaml: value, key: key, file: file)
            }
            self = .map(map)
        case .alias:
            throw .unsupportedValue(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1,
                                    key: key, reason: "unresolved alias")
        }
    }

    private static func scalar(_ scalar: Node.Scalar, node: Node, key: String, file: String) throws(VaultError) -> VaultValue {
        switch Tag.Name(rawValue: node.tag.description) {
        case .null:
            return .null
        case .bool:
            if let bool = node.bool { return .bool(bool) }
        case .int:
            if let int = node.int { return .int(int) }
            if let double = node.float, double.isFinite { return .double(double) }
        case .float:
            if let double = node.float {
                guard double.isFinite else {
                    throw .unsupportedValue(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1,
                                            key: key, reason: "numbers must be finite; quote the value to store it as text")
                }
                return .double(double)
            }
        default:
            break
        }
        return .string(scalar.string)
    }
}
