/// A position in a YAML source text: 0-based line and 0-based column counted
/// in Unicode scalars (the unit libyaml uses for its marks).
///
/// Exists so the layout scanner can move a cursor through the text and record
/// where indicators, keys and multi-line tokens start and end.
struct YAMLFormatPosition: Comparable, Sendable {
    var line: Int
    var col: Int

    static func < (lhs: YAMLFormatPosition, rhs: YAMLFormatPosition) -> Bool {
        lhs.line != rhs.line ? lhs.line < rhs.line : lhs.col < rhs.col
    }

    /// The position `n` scalars further on the same line.
    func advanced(by n: Int) -> YAMLFormatPosition { YAMLFormatPosition(line: line, col: col + n) }
}

/// One YAML file split into lines of Unicode scalars (line breaks removed,
/// CRLF already normalised to LF), plus the small lexical helpers the
/// formatter needs: skipping blanks and comments, recognising document
/// markers, and finding the end of quoted scalars, properties and flow
/// collections.
///
/// Exists because the formatter rewrites text line by line and must know
/// token boundaries exactly; Yams only reports where nodes start.
struct YAMLFormatSource: Sendable {
    let lines: [[Unicode.Scalar]]
    /// False when the last line has no line break after it.
    let hasFinalNewline: Bool

    init(lines: [[Unicode.Scalar]], hasFinalNewline: Bool = true) {
        self.lines = lines
        self.hasFinalNewline = hasFinalNewline
    }

    var lineCount: Int { lines.count }

    static func isBlank(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" }

    static func isFlowIndicator(_ c: Unicode.Scalar) -> Bool {
        c == "," || c == "[" || c == "]" || c == "{" || c == "}"
    }

    /// The characters libyaml accepts in anchor and alias names.
    static func isAnchorChar(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "0"..."9", "a"..."z", "A"..."Z", "_", "-": return true
        default: return false
        }
    }

    func char(_ p: YAMLFormatPosition) -> Unicode.Scalar? {
        guard p.line >= 0, p.line < lines.count, p.col >= 0, p.col < lines[p.line].count else { return nil }
        return lines[p.line][p.col]
    }

    func isEOF(_ p: YAMLFormatPosition) -> Bool { p.line >= lines.count }

    func isEOL(_ p: YAMLFormatPosition) -> Bool { p.line >= lines.count || p.col >= lines[p.line].count }

    /// True at the end of the line or before a space or tab.
    func isBlankOrEOL(_ p: YAMLFormatPosition) -> Bool {
        guard let c = char(p) else { return true }
        return Self.isBlank(c)
    }

    /// Column of the first non-blank scalar of `line`, or nil for a blank line.
    func firstNonBlank(_ line: Int) -> Int? {
        lines[line].firstIndex { !Self.isBlank($0) }
    }

    func isWhitespaceOnly(_ line: Int) -> Bool { firstNonBlank(line) == nil }

    /// `---` or `...` at column 0 followed by a blank or the end of the line.
    func isDocumentMarker(_ line: Int) -> Bool { isDocumentStart(line) || isDocumentEnd(line) }

    func isDocumentStart(_ line: Int) -> Bool { hasMarker(line, "-") }

    func isDocumentEnd(_ line: Int) -> Bool { hasMarker(line, ".") }

    private func hasMarker(_ line: Int, _ c: Unicode.Scalar) -> Bool {
        guard line < lines.count else { return false }
        let l = lines[line]
        guard l.count >= 3, l[0] == c, l[1] == c, l[2] == c else { return false }
        return l.count == 3 || Self.isBlank(l[3])
    }

    /// A `%` directive line (`%YAML 1.1`, `%TAG ...`).
    func isDirective(_ line: Int) -> Bool {
        line < lines.count && lines[line].first == "%"
    }

    /// A `#` that starts a comment: at the start of a line or after a blank.
    func isCommentStart(_ p: YAMLFormatPosition) -> Bool {
        guard char(p) == "#" else { return false }
        return p.col == 0 || Self.isBlank(lines[p.line][p.col - 1])
    }

    /// True if nothing but blanks and perhaps a comment follows `p` on its line.
    func isLineRestTrivia(_ p: YAMLFormatPosition) -> Bool {
        let q = skipInline(p)
        return isEOL(q) || isCommentStart(q)
    }

    /// Skips spaces and tabs on the current line.
    func skipInline(_ p: YAMLFormatPosition) -> YAMLFormatPosition {
        guard p.line < lines.count else { return p }
        var col = p.col
        let l = lines[p.line]
        while col < l.count, Self.isBlank(l[col]) { col += 1 }
        return YAMLFormatPosition(line: p.line, col: col)
    }

    /// Skips blanks, comments and line breaks. Stops at the first significant
    /// scalar, at the start of a document-marker or directive line, or at EOF
    /// (`line == lineCount`).
    func skipTrivia(_ start: YAMLFormatPosition) -> YAMLFormatPosition {
        var p = start
        while p.line < lines.count {
            p = skipInline(p)
            if isEOL(p) || isCommentStart(p) {
                p = YAMLFormatPosition(line: p.line + 1, col: 0)
                if p.line < lines.count, isDocumentMarker(p.line) || isDirective(p.line) { return p }
                continue
            }
            return p
        }
        return p
    }

    func text(line: Int, from: Int, to: Int) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: lines[line][from..<to])
        return String(s)
    }

    // MARK: - Token ends

    /// End (exclusive) of an anchor (`&a`), alias (`*a`) or tag (`!t`) token.
    func propertyEnd(_ p: YAMLFormatPosition) -> YAMLFormatPosition {
        let l = lines[p.line]
        var col = p.col + 1
        if l[p.col] == "!" {
            while col < l.count, !Self.isBlank(l[col]) { col += 1 }
        } else {
            while col < l.count, Self.isAnchorChar(l[col]) { col += 1 }
        }
        return YAMLFormatPosition(line: p.line, col: col)
    }

    /// End (exclusive, after the closing quote) of a quoted scalar starting at `p`.
    func quotedEnd(_ p: YAMLFormatPosition) throws(YAMLFormatRefusal) -> YAMLFormatPosition {
        let quote = lines[p.line][p.col]
        var line = p.line
        var col = p.col + 1
        while line < lines.count {
            let l = lines[line]
            while col < l.count {
                let c = l[col]
                if quote == "\"" {
                    if c == "\\" { col += 2; continue }
                    if c == "\"" { return YAMLFormatPosition(line: line, col: col + 1) }
                } else if c == "'" {
                    if col + 1 < l.count, l[col + 1] == "'" { col += 2; continue }
                    return YAMLFormatPosition(line: line, col: col + 1)
                }
                col += 1
            }
            line += 1
            col = 0
        }
        throw YAMLFormatRefusal("unterminated quoted scalar", line: p.line + 1)
    }

    /// End (exclusive, after the closing bracket) of a flow collection
    /// starting at `p` (`[` or `{`). Quoted scalars and comments inside are
    /// skipped so brackets in them do not count.
    func flowEnd(_ p: YAMLFormatPosition) throws(YAMLFormatRefusal) -> YAMLFormatPosition {
        var depth = 0
        var pos = p
        var atScalarStart = true
        while pos.line < lines.count {
            guard let c = char(pos) else {
                pos = YAMLFormatPosition(line: pos.line + 1, col: 0)
                continue
            }
            if Self.isBlank(c) { pos = pos.advanced(by: 1); continue }
            if isCommentStart(pos) { pos = YAMLFormatPosition(line: pos.line + 1, col: 0); continue }
            switch c {
            case "[", "{":
                depth += 1; atScalarStart = true; pos = pos.advanced(by: 1)
            case "]", "}":
                depth -= 1; atScalarStart = false; pos = pos.advanced(by: 1)
                if depth == 0 { return pos }
            case ",":
                atScalarStart = true; pos = pos.advanced(by: 1)
            case ":", "?":
                atScalarStart = true; pos = pos.advanced(by: 1)
            case "\"", "'", "&", "!":
                if !atScalarStart {
                    pos = flowPlainEnd(pos)
                } else if c == "&" || c == "!" {
                    pos = flowPropertyEnd(pos)
                } else {
                    pos = try quotedEnd(pos); atScalarStart = false
                }
            default:
                pos = flowPlainEnd(pos); atScalarStart = false
            }
        }
        throw YAMLFormatRefusal("unterminated flow collection", line: p.line + 1)
    }

    private func flowPropertyEnd(_ p: YAMLFormatPosition) -> YAMLFormatPosition {
        let l = lines[p.line]
        var col = p.col + 1
        while col < l.count, !Self.isBlank(l[col]), !Self.isFlowIndicator(l[col]) { col += 1 }
        return YAMLFormatPosition(line: p.line, col: col)
    }

    /// Advances over one line's part of a plain scalar (or alias) in flow context.
    private func flowPlainEnd(_ p: YAMLFormatPosition) -> YAMLFormatPosition {
        let l = lines[p.line]
        var col = p.col + 1
        while col < l.count {
            let c = l[col]
            if Self.isFlowIndicator(c) { break }
            if c == ":" {
                let next = col + 1 < l.count ? l[col + 1] : " "
                if Self.isBlank(next) || Self.isFlowIndicator(next) { break }
            }
            if Self.isBlank(c), col + 1 < l.count, l[col + 1] == "#" { break }
            col += 1
        }
        return YAMLFormatPosition(line: p.line, col: col)
    }

    /// How a plain scalar's part on one line ended.
    enum PlainStop { case endOfLine, comment, colon }

    /// Scans one line's part of a plain scalar in block context starting at
    /// `col`. Returns the exclusive end of its text (trailing blanks excluded)
    /// and what stopped it.
    func plainSegment(line: Int, from col: Int) -> (end: Int, stop: PlainStop) {
        let l = lines[line]
        var i = col
        var end = col
        while i < l.count {
            let c = l[i]
            if Self.isBlank(c) {
                if i + 1 < l.count, l[i + 1] == "#" { return (end, .comment) }
                i += 1
                continue
            }
            if c == ":", i + 1 == l.count || Self.isBlank(l[i + 1]) { return (end, .colon) }
            i += 1
            end = i
        }
        return (end, .endOfLine)
    }
}
