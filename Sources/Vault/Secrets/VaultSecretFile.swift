import Foundation
import Yams

/// A parsed `vault.secret.yaml`: flat dotted keys at the top level, each with any YAML value.
///
/// It exists to turn the file a developer keeps out of git into checked values before anything
/// is sealed or stored, so that every mistake (bad YAML, an empty value, a key written twice)
/// is reported with `file:line:col` and the key's name, and the vault is not touched. Errors
/// never quote the file's text: the YAML library's own messages (which show the offending
/// line, possibly a secret) are not passed on.
public struct VaultSecretFile: Sendable {
    /// One key of the file, with where it was written.
    public struct Entry: Sendable, Hashable {
        public var key: String
        public var value: VaultValue
        /// 1-based line and column of the key.
        public var line: Int
        public var column: Int

        public init(key: String, value: VaultValue, line: Int, column: Int) {
            self.key = key
            self.value = value
            self.line = line
            self.column = column
        }
    }

    /// The file's name as given, used in messages.
    public let file: String
    /// The keys in the order they were written.
    public let entries: [Entry]

    /// Every key with its value.
    public var values: [String: VaultValue] {
        Dictionary(entries.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// Reads and parses the file at `url`; `file` (default: the path) names it in messages.
    public init(contentsOf url: URL, file: String? = nil) throws(VaultError) {
        let name = file ?? url.path
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            let missing = !FileManager.default.fileExists(atPath: url.path)
            throw .fileError(path: name, reason: missing ? "no such file" : "cannot be read")
        }
        var bytes = data
        defer { bytes.resetBytes(in: 0..<bytes.count) }
        guard let text = String(data: bytes, encoding: .utf8) else {
            throw .fileError(path: name, reason: "is not UTF-8 text")
        }
        try self.init(text: text, file: name)
    }

    /// Parses YAML text; `file` names it in messages.
    public init(text: String, file: String) throws(VaultError) {
        self.file = file
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Self.syntaxError(error, text: text, file: file)
        } catch {
            throw .yamlSyntax(file: file, line: 1, column: 1, problem: "cannot be parsed")
        }
        guard let root else { throw .noKeys(file: file) }
        guard case .mapping(let mapping) = root else {
            if case .scalar(let scalar) = root, root.null != nil, scalar.style == .plain { throw .noKeys(file: file) }
            throw .notAMapping(file: file, line: root.mark?.line ?? 1, column: root.mark?.column ?? 1)
        }
        var entries: [Entry] = []
        var seen: [String: Entry] = [:]
        for (keyNode, valueNode) in mapping {
            let line = keyNode.mark?.line ?? 1, column = keyNode.mark?.column ?? 1
            guard case .scalar(let scalar) = keyNode, Self.isValidKey(scalar.string) else {
                throw .invalidKeyName(file: file, line: line, column: column)
            }
            let key = scalar.string
            if seen[key] != nil { throw .duplicateKey(file: file, line: line, column: column, key: key) }
            let value = try VaultValue(yaml: valueNode, key: key, file: file)
            if value.isEmpty { throw .emptyValue(file: file, line: line, column: column, key: key) }
            let entry = Entry(key: key, value: value, line: line, column: column)
            seen[key] = entry
            entries.append(entry)
        }
        guard !entries.isEmpty else { throw .noKeys(file: file) }
        self.entries = entries
    }

    /// The longest key name, in UTF-8 bytes, and the most dotted parts it may have: the vault
    /// scope nests one level per part, and a key of thousands of parts (an admin upload can send
    /// one in 64 KB) would nest that deep.
    public static let maxKeyBytes = 256
    public static let maxKeyParts = 16

    /// A dotted name: non-empty parts (at most `maxKeyParts`, `maxKeyBytes` in all), no white
    /// space or control characters.
    public static func isValidKey(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.count <= maxKeyBytes
            && key.utf8.count(where: { $0 == UInt8(ascii: ".") }) < maxKeyParts
            && !key.split(separator: ".", omittingEmptySubsequences: false).contains { $0.isEmpty }
            && !key.unicodeScalars.contains { $0.properties.isWhitespace || $0.properties.generalCategory == .control }
    }

    /// A syntax error at its position with libyaml's fixed problem text, never the file's text.
    private static func syntaxError(_ error: YamlError, text: String, file: String) -> VaultError {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            var message = problem
            if let context { message += " (\(context.text) at \(context.mark.line):\(context.mark.column))" }
            if mark.column > 1, indented(line: mark.line, in: text) {
                message += "; line \(mark.line) is indented: each `key: value` starts at the first column "
                    + "(lines pasted from an indented listing keep its spaces)"
            }
            return .yamlSyntax(file: file, line: mark.line, column: mark.column, problem: message)
        case let .reader(problem, offset, _, _):
            let (line, column) = offset.map { lineAndColumn(ofCharacter: $0, in: text) } ?? (1, 1)
            return .yamlSyntax(file: file, line: line, column: column, problem: problem)
        case let .duplicatedKeysInMapping(duplicates, context):
            return .duplicateKey(file: file, line: context.mark.line, column: context.mark.column,
                                 key: duplicates.first ?? "?")
        default:
            return .yamlSyntax(file: file, line: 1, column: 1, problem: "cannot be parsed")
        }
    }

    /// Whether the 1-based `line` of `text` starts with a space or a tab.
    private static func indented(line: Int, in text: String) -> Bool {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count, let first = lines[line - 1].first else { return false }
        return first == " " || first == "\t"
    }

    private static func lineAndColumn(ofCharacter offset: Int, in text: String) -> (Int, Int) {
        var line = 1, column = 1
        for character in text.prefix(offset) {
            if character.isNewline { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }
}
