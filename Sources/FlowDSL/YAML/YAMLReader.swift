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
            let parser = try Parser(yaml: text)
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
        var line = 1, column = 1
        for character in text {
            if character == "\n" {
                line += 1
                column = 1
                continue
            }
            if let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1,
               scalar.value < 0x20, scalar != "\t", scalar != "\r" {
                return .error(at: SourcePosition(file: file, line: line, column: column),
                              "control character U+\(String(format: "%04X", scalar.value)) is not allowed in YAML")
            }
            column += 1
        }
        return nil
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
        let value: TemplateValue
        switch node.tag.description {
        case Tag.Name.null.rawValue: value = .none
        case Tag.Name.bool.rawValue: value = node.bool.map(TemplateValue.bool) ?? .string(scalar.string)
        case Tag.Name.int.rawValue: value = node.int.map(TemplateValue.int) ?? .string(scalar.string)
        case Tag.Name.float.rawValue: value = node.float.map(TemplateValue.double) ?? .string(scalar.string)
        default: value = .string(scalar.string)
        }
        return YAMLScalar(text: scalar.string, style: style, value: value)
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
