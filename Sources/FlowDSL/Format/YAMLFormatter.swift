import Yams

/// Canonical formatting of one YAML file's text, preserving comments, key
/// order and values.
///
/// Exists for `botcli format`: bot apps are folders of hand-written YAML
/// flow files, and a formatter that re-emitted YAML from a parsed tree would
/// lose the authors' comments and blank lines. This one only changes
/// whitespace, line by line, guided by the parsed tree, and proves before
/// returning that nothing else changed.
///
/// Canonical style:
/// - Block collections nest by `indent` columns (default 2): a mapping or
///   sequence that is a key's value sits `indent` columns right of the key
///   (so sequences are indented under their key, `steps:\n  - x`); the
///   content of a sequence item starts two columns right of its `-`, and
///   compact `- key: value` items keep their keys aligned there.
/// - Exactly one space after `-` and after a key's `:` before an inline
///   value; no space between a key and its `:`; the gap before a trailing
///   comment is kept as written.
/// - Trailing whitespace is removed, except where a line ends inside a
///   block scalar or a multi-line quoted, plain or flow token (it may be
///   content there).
/// - Block scalar content is re-indented to `indent` columns right of its
///   parent collection (or, with an explicit indentation indicator, moved
///   with the parent); relative indentation inside it is preserved.
///   Continuation lines of multi-line quoted and plain scalars and of flow
///   collections move by the same amount as the token's first character.
///   Flow collections are otherwise left as written.
/// - Blank lines: kept as written inside a document (authors use them to
///   separate steps); blank lines at the start of the file and at its end
///   are removed (unless they belong to a `|+`/`>+` block scalar); the file
///   ends with exactly one newline (an empty file stays empty). Exception:
///   when the file ends inside a block scalar without a final line break,
///   adding one would change that scalar's value, so none is added.
/// - Comment lines take the indentation of the next structural line; before
///   a document marker or the end of the file they keep their place
///   relative to the closest structural line above them.
/// - Line endings: CRLF is normalised to LF. libyaml normalises line breaks
///   inside scalars, so values (block scalars included) do not change, and
///   the verification below checks it. A lone CR, NEL, LS or PS line break
///   is refused. A byte-order mark is kept.
/// - Multi-document files keep their `---`/`...` markers and `%` directives
///   at column 0 (one space after `---` before an inline root node); each
///   document is formatted on its own.
///
/// Refused (the result is `.refused`, the file must be left as it is): text
/// that does not parse (with the parser's message and line), tabs in
/// indentation, explicit `? key` entries, collections used as keys,
/// multi-line keys, properties on a line of their own before a key, unusual
/// line breaks, alias bombs too large to verify, and any input where the
/// result would not parse to the same documents, would alter any
/// non-whitespace character (comments included) or would not be stable when
/// formatted again.
public struct YAMLFormatter: Sendable {
    /// Columns per nesting level, clamped to 1...8.
    public let indent: Int

    public init(indent: Int = 2) {
        self.indent = min(max(indent, 1), 8)
    }

    /// Formats `source`. Never returns text that parses differently from
    /// `source`, drops a comment, or would change when formatted again.
    public func format(_ source: String) -> YAMLFormatResult {
        do {
            let output = try formatted(source)
            return Self.identical(output, source) ? .unchanged : .formatted(output)
        } catch {
            return .refused(reason: error.reason, line: error.line)
        }
    }

    // MARK: - Pipeline

    private func formatted(_ source: String) throws(YAMLFormatRefusal) -> String {
        let documents = try YAMLFormatComparator.parse(source)
        let (hasBOM, text) = try Self.split(source)
        let lines = try layout(text, documents)
        let output = Self.join(lines, bom: hasBOM)
        if Self.identical(output, source) { return output }

        let outputDocuments: [Node]
        do {
            outputDocuments = try YAMLFormatComparator.parse(output)
        } catch {
            throw YAMLFormatRefusal(
                "formatting would change the document (the result does not parse: \(error.reason))",
                line: error.line)
        }
        if let line = try YAMLFormatComparator.firstDifference(documents, outputDocuments) {
            throw YAMLFormatRefusal("formatting would change the document (first difference at line \(line))", line: line)
        }
        if let line = Self.firstTextDifference(text, lines.lines) {
            throw YAMLFormatRefusal(
                "formatting would change the text beyond whitespace (first difference at line \(line))", line: line)
        }
        let (_, outputText) = try Self.split(output)
        let again = try? layout(outputText, outputDocuments)
        if again.map({ Self.identical(Self.join($0, bom: hasBOM), output) }) != true {
            let line = again.map { Self.firstDifferentLine($0.lines, lines.lines) } ?? 1
            throw YAMLFormatRefusal("formatting is not stable (a second pass differs at line \(line))", line: line)
        }
        return output
    }

    private func layout(_ text: YAMLFormatSource, _ documents: [Node]) throws(YAMLFormatRefusal) -> YAMLFormatRewriter.Output {
        var scanner = YAMLFormatScanner(text: text, indentStep: indent)
        try scanner.scan(documents: documents)
        let rewriter = YAMLFormatRewriter(text: text, plans: scanner.plans, tokens: scanner.tokens)
        return try rewriter.rewrite()
    }

    // MARK: - Text helpers

    /// Splits into lines of Unicode scalars, normalising CRLF to LF and
    /// removing a leading byte-order mark.
    private static func split(_ source: String) throws(YAMLFormatRefusal) -> (Bool, YAMLFormatSource) {
        var lines: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        var hasBOM = false
        var pendingCR = false
        var isFirst = true
        for c in source.unicodeScalars {
            defer { isFirst = false }
            if isFirst, c == "\u{FEFF}" {
                hasBOM = true
                continue
            }
            if pendingCR, c != "\n" {
                throw YAMLFormatRefusal("carriage return without line feed is not supported", line: lines.count + 1)
            }
            switch c {
            case "\r":
                pendingCR = true
            case "\n":
                pendingCR = false
                lines.append(current)
                current = []
            case "\u{85}", "\u{2028}", "\u{2029}":
                let name = String(c.value, radix: 16, uppercase: true)
                throw YAMLFormatRefusal("unsupported line break character U+\(String(repeating: "0", count: 4 - name.count) + name)",
                                        line: lines.count + 1)
            default:
                current.append(c)
            }
        }
        if pendingCR {
            throw YAMLFormatRefusal("carriage return without line feed is not supported", line: lines.count + 1)
        }
        let hasFinalNewline = current.isEmpty
        if !current.isEmpty { lines.append(current) }
        return (hasBOM, YAMLFormatSource(lines: lines, hasFinalNewline: hasFinalNewline))
    }

    /// Scalar-by-scalar equality (`==` on `String` would also accept
    /// canonically equivalent but differently encoded text).
    private static func identical(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.elementsEqual(b.unicodeScalars)
    }

    private static func join(_ layout: YAMLFormatRewriter.Output, bom: Bool) -> String {
        let lines = layout.lines
        let body = lines.isEmpty ? "" : lines.joined(separator: "\n") + (layout.finalNewline ? "\n" : "")
        return bom ? "\u{FEFF}" + body : body
    }

    /// 1-based input line where the non-whitespace text of input and output
    /// first differ, or nil when only whitespace changed.
    private static func firstTextDifference(_ text: YAMLFormatSource, _ output: [String]) -> Int? {
        func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" }
        let outScalars = output.map { Array($0.unicodeScalars.filter { !isSpace($0) }) }
        var outIterator = outScalars.joined().makeIterator()
        for (index, line) in text.lines.enumerated() {
            for c in line where !isSpace(c) {
                if outIterator.next() != c { return index + 1 }
            }
        }
        return outIterator.next() == nil ? nil : text.lineCount
    }

    private static func firstDifferentLine(_ a: [String], _ b: [String]) -> Int {
        for (i, (x, y)) in zip(a, b).enumerated() where x != y { return i + 1 }
        return min(a.count, b.count) + 1
    }
}
