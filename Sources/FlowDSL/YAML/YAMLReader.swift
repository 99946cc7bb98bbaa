import Foundation
import Yams

/// Reads one YAML file into positioned documents, turning parser failures into diagnostics.
public enum YAMLReader {
    /// Every document of `text`; `file` names it in positions. A syntax error ends reading: the
    /// documents before it are returned together with the error.
    public static func documents(in text: String, file: String) -> (documents: [YAMLNode], diagnostics: [Diagnostic]) {
        var documents: [YAMLNode] = []
        if let diagnostic = unsupportedCharacter(in: text, file: file) ?? aliasAsKey(in: text, file: file) { return ([], [diagnostic]) }
        do {
            // The basic resolver leaves tags alone: scalars are resolved below, where most need
            // no regular expression (Yams' default rules run several on every scalar and key).
            let parser = try Parser(yaml: text, resolver: .basic)
            while let node = try parser.nextRoot() {
                var aliases = AliasBudget()
                documents.append(try convert(node, file: file, aliases: &aliases))
            }
            return (documents, [])
        } catch let exceeded as AliasBudget.Exceeded {
            return (documents, [.error(at: exceeded.position, exceeded.message,
                                       hint: "YAML aliases may repeat at most \(AliasBudget.maxAliasNodes) nodes in one document; "
                                           + "write the repeated part out, or move it into a flow of its own")])
        } catch {
            return (documents, [diagnostic(for: error, file: file)])
        }
    }

    /// What aliases may add to one document. libyaml shares an anchored node with every alias
    /// to it, so ten lines of aliases to aliases (a "billion laughs") stand for millions of
    /// nodes that would be built here, one by one: each node reached through an alias counts,
    /// and a document stops at `maxAliasNodes`, measured before any of them is built.
    struct AliasBudget {
        /// Nodes that aliases may repeat in one document: far beyond what an app writes
        /// (a shared list of buttons used in ten places is hundreds), far below what costs time.
        static let maxAliasNodes = 100_000
        /// The anchors whose first use (their definition) was converted.
        var defined: Set<ObjectIdentifier> = []
        var used = 0

        struct Exceeded: Error {
            var position: SourcePosition
            var message: String
        }

        /// Counts an alias use of `node` (its size, nodes included) at `position`.
        mutating func use(_ node: Node, anchor: String, at position: SourcePosition) throws(Exceeded) {
            used += Self.size(of: node, limit: Self.maxAliasNodes - used + 1)
            guard used <= Self.maxAliasNodes else {
                throw Exceeded(position: position, message: "YAML aliases expand to more than \(Self.maxAliasNodes) nodes "
                                   + "(`*\(anchor)` here repeats what `&\(anchor)` holds)")
            }
        }

        /// How many nodes `node` is, counting shared ones each time, up to `limit`.
        static func size(of node: Node, limit: Int) -> Int {
            var count = 1
            switch node {
            case .scalar, .alias: break
            case .sequence(let sequence):
                for item in sequence where count < limit { count += size(of: item, limit: limit - count) }
            case .mapping(let mapping):
                for pair in mapping where count < limit {
                    count += size(of: pair.key, limit: limit - count)
                    if count < limit { count += size(of: pair.value, limit: limit - count) }
                }
            }
            return count
        }
    }

    /// An alias used as a mapping key (`*a: x`, `[*a]: x`, `? *a`), refused before parsing:
    /// the YAML library compares keys by value to find duplicates, so an alias bomb as a key
    /// would cost its whole expansion there, before `AliasBudget` could count it. Flows never
    /// need one. A line-by-line look at the text, outside comments, quotes and block scalars;
    /// only for text with both anchors and aliases.
    static func aliasAsKey(in text: String, file: String) -> Diagnostic? {
        guard text.utf8.contains(UInt8(ascii: "&")), text.utf8.contains(UInt8(ascii: "*")) else { return nil }
        var blockIndent: Int?  // inside a block scalar: the indentation of the line that opened it
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = Array(rawLine)
            let indent = line.prefix { $0 == " " }.count
            if let parent = blockIndent {
                if line.allSatisfy({ $0 == " " || $0 == "\r" }) || indent > parent { continue }
                blockIndent = nil
            }
            // The line without quoted text and comments; what is left decides.
            var plain: [Character] = []
            var quote: Character?
            for character in line {
                if let open = quote {
                    if character == open { quote = nil }
                    plain.append(" ")
                } else if character == "'" || character == "\"" {
                    quote = character
                    plain.append(" ")
                } else if character == "#", plain.last.map({ $0 == " " }) ?? true {
                    break
                } else {
                    plain.append(character)
                }
            }
            let content = String(plain).trimmingCharacters(in: .whitespaces)
            if content.hasSuffix("|") || content.hasSuffix(">") || content.range(of: #"[|>][+-]?[0-9]?$"#, options: .regularExpression) != nil {
                blockIndent = indent
            }
            var body = Substring(content)
            while body.hasPrefix("- ") { body = body.dropFirst(2).drop { $0 == " " } }
            let explicitKey = body.hasPrefix("? ") || body == "?"
            // An alias before the line's first `: ` (or a final `:`) stands in a key.
            let keyPart = body.range(of: ": ").map { body[..<$0.lowerBound] } ?? (body.hasSuffix(":") ? body.dropLast() : nil)
            for part in [explicitKey ? body : nil, keyPart].compactMap({ $0 }) {
                guard let star = part.firstIndex(where: { $0 == "*" }),
                      star == part.startIndex || " [{,?".contains(part[part.index(before: star)]) else { continue }
                let column = rawLine.distance(from: rawLine.startIndex, to: rawLine.firstIndex(of: "*") ?? rawLine.startIndex) + 1
                return .error(at: SourcePosition(file: file, line: number + 1, column: column),
                              "an alias cannot be (part of) a mapping key", hint: "use aliases for values only")
            }
        }
        return nil
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

    /// `node` as a positioned node; `usedAt` is where the node is referred to from (a mapping
    /// key, a sequence), which is where an alias stands. Inside an alias's copy (`expanding`)
    /// nothing is counted again: the alias counted all of it.
    static func convert(_ node: Node, file: String, aliases: inout AliasBudget, usedAt: SourcePosition? = nil,
                        expanding: Bool = false) throws(AliasBudget.Exceeded) -> YAMLNode {
        let position = SourcePosition(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
        var expanding = expanding
        if !expanding, let anchor = node.anchor, !aliases.defined.insert(ObjectIdentifier(anchor)).inserted {
            try aliases.use(node, anchor: anchor.rawValue, at: usedAt ?? position)
            expanding = true
        }
        switch node {
        case .scalar(let scalar):
            return YAMLNode(.scalar(convert(scalar, node: node)), at: position)
        case .mapping(let mapping):
            var pairs: [YAMLPair] = []
            pairs.reserveCapacity(mapping.count)
            for pair in mapping {
                let key = try convert(pair.key, file: file, aliases: &aliases, usedAt: position, expanding: expanding)
                pairs.append(YAMLPair(key: key, value: try convert(pair.value, file: file, aliases: &aliases, usedAt: key.position,
                                                                   expanding: expanding)))
            }
            return YAMLNode(.mapping(pairs), at: position)
        case .sequence(let sequence):
            var items: [YAMLNode] = []
            items.reserveCapacity(sequence.count)
            for item in sequence { items.append(try convert(item, file: file, aliases: &aliases, usedAt: position, expanding: expanding)) }
            return YAMLNode(.sequence(items), at: position)
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
