import Foundation
import Yams

/// Reads one YAML file into positioned documents, turning parser failures into diagnostics.
public enum YAMLReader {
    /// Every document of `text`; `file` names it in positions. A syntax error ends reading: the
    /// documents before it are returned together with the error.
    public static func documents(in text: String, file: String) -> (documents: [YAMLNode], diagnostics: [Diagnostic]) {
        var documents: [YAMLNode] = []
        if let diagnostic = unsupportedCharacter(in: text, file: file) { return ([], [diagnostic]) }
        do {
            // The basic resolver leaves tags alone: scalars are resolved below, where most need
            // no regular expression (Yams' default rules run several on every scalar and key).
            let parser = try Parser(yaml: text, resolver: .basic)
            while let node = try parser.nextRoot() {
                documents.append(convert(node, file: file))
            }
            return (documents, [])
        } catch {
            return (documents, [diagnostic(for: error, file: file)])
        }
    }

    /// libyaml rejects some characters with a byte offset rather than a line; find them ourselves.
    private static func unsupportedCharacter(in text: String, file: String) -> Diagnostic? {
        // Bytes first (fast); lines and columns only for the rare file that has one.
        guard let offset = text.utf8.firstIndex(where: { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) else { return nil }
        let before = text.utf8[..<offset]
        let line = before.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        let lineStart = before.lastIndex(of: 0x0A).map { text.utf8.index(after: $0) } ?? text.utf8.startIndex
        let column = text[lineStart..<offset].count + 1
        let value = text.utf8[offset]
        return .error(at: SourcePosition(file: file, line: line, column: column),
                      "control character U+\(String(format: "%04X", value)) is not allowed in YAML")
    }

    static func convert(_ node: Node, file: String) -> YAMLNode {
        let position = SourcePosition(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
        switch node {
        case .scalar(let scalar):
            return YAMLNode(.scalar(convert(scalar, node: node)), at: position)
        case .mapping(let mapping):
            let pairs = mapping.map { YAMLPair(key: convert($0.key, file: file), value: convert($0.value, file: file)) }
            return YAMLNode(.mapping(pairs), at: position)
        case .sequence(let sequence):
            return YAMLNode(.sequence(sequence.map { convert($0, file: file) }), at: position)
        case .alias(let alias):
            return YAMLNode(.scalar(YAMLScalar(text: "*\(alias.anchor)", style: .plain, value: .string("*\(alias.anchor)"))), at: position)
        }
    }

    private static func convert(_ scalar: Node.Scalar, node: Node) -> YAMLScalar {
        let style: YAMLScalar.Style = switch scalar.style {
        case .singleQuoted: .singleQuoted
        case .doubleQuoted: .doubleQuoted
        case .literal: .literal
        case .folded: .folded
        default: .plain
        }
        let value = style == .plain && scalar.tag.description == Tag.Name.implicit.rawValue
            ? resolvePlain(scalar.string, node: node)
            : explicitlyTagged(scalar, node: node)
        return YAMLScalar(text: scalar.string, style: style, value: value)
    }

    /// YAML 1.1 resolution of a plain scalar, as Meya's PyYAML does: null, booleans
    /// (yes/no/on/off too), ints and floats; anything else is text.
    static func resolvePlain(_ text: String, node: Node) -> TemplateValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .none
        case "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON": return .bool(true)
        case "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF": return .bool(false)
        default: break
        }
        guard let first = text.utf8.first, (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9"))
            || first == UInt8(ascii: "+") || first == UInt8(ascii: "-") || first == UInt8(ascii: ".") else {
            return .string(text)
        }
        // Numbers-looking text: Yams' own rules decide (hex, octal, sexagesimal, .inf …).
        let typed = Node.scalar(Node.Scalar(text, Tag(.implicit, .default, .default)))
        switch typed.tag.description {
        case Tag.Name.int.rawValue: return typed.int.map(TemplateValue.int) ?? .string(text)
        case Tag.Name.float.rawValue: return typed.float.map(TemplateValue.double) ?? .string(text)
        case Tag.Name.null.rawValue: return .none
        case Tag.Name.bool.rawValue: return typed.bool.map(TemplateValue.bool) ?? .string(text)
        default: return .string(text)
        }
    }

    /// A quoted or block scalar is text, unless an explicit tag (`!!int 3`) says otherwise.
    private static func explicitlyTagged(_ scalar: Node.Scalar, node: Node) -> TemplateValue {
        let typed = Node.scalar(Node.Scalar(scalar.string, Tag(Tag.Name(rawValue: scalar.tag.description), .default, .default)))
        switch scalar.tag.description {
        case Tag.Name.int.rawValue: return typed.int.map(TemplateValue.int) ?? .string(scalar.string)
        case Tag.Name.float.rawValue: return typed.float.map(TemplateValue.double) ?? .string(scalar.string)
        case Tag.Name.bool.rawValue: return typed.bool.map(TemplateValue.bool) ?? .string(scalar.string)
        case Tag.Name.null.rawValue: return .none
        default: return .string(scalar.string)
        }
    }

    private static func diagnostic(for error: Error, file: String) -> Diagnostic {
        func at(_ mark: Mark) -> SourcePosition { SourcePosition(file: file, line: mark.line, column: mark.column) }
        let start = SourcePosition(file: file, line: 1, column: 1)
        guard let yamlError = error as? YamlError else {
            return .error(at: start, "cannot read YAML: \(error)")
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) (\($0.text) at \($0.mark.line):\($0.mark.column))" } ?? problem
            return .error(at: at(mark), "YAML syntax error: \(detail)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "`\($0)`" }.joined(separator: ", ")
            return .error(at: at(context.mark), "duplicate key \(keys) in mapping")
        case .reader(let problem, _, _, _):
            return .error(at: start, "cannot read YAML: \(problem)")
        default:
            return .error(at: start, "cannot read YAML: \(yamlError)")
        }
    }
}
