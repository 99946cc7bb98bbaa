/// Produces the formatted lines from the source text and the per-line plans
/// of ``YAMLFormatScanner``: re-indents structural lines, moves
/// continuation lines with their token, places comment lines, blanks
/// whitespace-only lines and drops leading and trailing blank lines.
///
/// Exists as its own step so the decisions about comments and blank lines,
/// which the parsed tree knows nothing about, live in one place.
struct YAMLFormatRewriter {
    let text: YAMLFormatSource
    let plans: [YAMLFormatLinePlan]
    let tokens: [YAMLFormatToken]

    /// The formatted lines, and whether a line break follows the last one.
    struct Output: Equatable {
        var lines: [String]
        var finalNewline: Bool
    }

    func rewrite() throws(YAMLFormatRefusal) -> Output {
        let n = text.lineCount
        var out: [[Unicode.Scalar]] = Array(repeating: [], count: n)
        var commentLines: [Int] = []
        for line in 0..<n {
            let plan = plans[line]
            if let owner = plan.owner {
                out[line] = try continuation(line, tokens[owner])
                continue
            }
            guard let first = text.firstNonBlank(line) else { continue }
            if plan.indent != nil || plan.isMarker {
                out[line] = try structural(line)
            } else if text.lines[line][first] == "#" {
                commentLines.append(line)
            } else {
                throw YAMLFormatRefusal("could not classify this line", line: line + 1)
            }
        }
        if !commentLines.isEmpty {
            let layout = CommentLayout(self)
            for line in commentLines {
                out[line] = try comment(line, layout)
            }
        }
        var start = 0
        while start < n, out[start].isEmpty { start += 1 }
        var end = n
        while end > start, out[end - 1].isEmpty, !isKeepBlockScalarLine(end - 1) { end -= 1 }
        let lines = out[start..<end].map { line in
            var s = String.UnicodeScalarView()
            s.append(contentsOf: line)
            return String(s)
        }
        // A block scalar's value includes its last line break: keep it missing.
        var finalNewline = true
        if !text.hasFinalNewline, end == n, let owner = plans[n - 1].owner,
           case .blockScalar = tokens[owner].kind {
            finalNewline = false
        }
        return Output(lines: lines, finalNewline: finalNewline)
    }

    // MARK: - Line kinds

    private func structural(_ line: Int) throws(YAMLFormatRefusal) -> [Unicode.Scalar] {
        let raw = text.lines[line]
        let plan = plans[line]
        let first = text.firstNonBlank(line) ?? raw.count
        var result: [Unicode.Scalar]
        if let indent = plan.indent {
            try checkNoTab(raw[0..<first], line)
            result = Self.spaces(indent)
        } else {
            result = Array(raw[0..<first])
        }
        var col = first
        for edit in plan.edits {
            guard edit.start >= col, edit.end >= edit.start, edit.end <= raw.count else {
                throw YAMLFormatRefusal("conflicting spacing edits", line: line + 1)
            }
            result.append(contentsOf: raw[col..<edit.start])
            result.append(contentsOf: Self.spaces(edit.spaces))
            col = edit.end
        }
        result.append(contentsOf: raw[col...])
        if !plan.keepTrailing { Self.trimTrailing(&result) }
        return result
    }

    private func continuation(_ line: Int, _ token: YAMLFormatToken) throws(YAMLFormatRefusal) -> [Unicode.Scalar] {
        let raw = text.lines[line]
        switch token.kind {
        case let .blockScalar(origIndent, newIndent, _):
            let spaces = YAMLFormatScanner.leadingSpaces(raw)
            if spaces == raw.count, spaces <= origIndent { return [] }
            guard spaces >= origIndent else {
                throw YAMLFormatRefusal("block scalar content is less indented than expected", line: line + 1)
            }
            return Self.spaces(newIndent) + raw[origIndent...]
        case .folded:
            guard let first = text.firstNonBlank(line) else { return [] }
            try checkNoTab(raw[0..<first], line)
            let delta = newColumn(token.start) - token.start.col
            let indent: Int
            if first > token.parentOrig {
                indent = max(first + delta, token.parentTarget + 1)
            } else {
                indent = max(0, first + token.parentTarget - token.parentOrig)
            }
            var result = Self.spaces(indent) + raw[first...]
            if !plans[line].keepTrailing { Self.trimTrailing(&result) }
            return result
        }
    }

    /// Lookups the comment placement needs, computed once per file so that
    /// long runs of comment lines stay linear.
    private struct CommentLayout {
        /// For each line, the first line at or after it that is neither blank
        /// nor a comment line (`lineCount` if none).
        var nextSignificant: [Int]
        /// For each line, the last line at or before it that is neither a
        /// free blank line nor a comment line (-1 if none).
        var previousSignificant: [Int]
        /// Structural and marker lines, ascending.
        var anchors: [Int]
        /// Block scalar token index by header line.
        var blockScalarByHeader: [Int: Int]

        init(_ r: YAMLFormatRewriter) {
            let n = r.text.lineCount
            nextSignificant = Array(repeating: n, count: n + 1)
            for line in stride(from: n - 1, through: 0, by: -1) {
                let skip = r.text.isWhitespaceOnly(line) || r.isCommentLine(line)
                nextSignificant[line] = skip ? nextSignificant[line + 1] : line
            }
            previousSignificant = Array(repeating: -1, count: n)
            var last = -1
            for line in 0..<n {
                let plan = r.plans[line]
                if plan.owner != nil || !(r.text.isWhitespaceOnly(line) || r.isCommentLine(line)) { last = line }
                previousSignificant[line] = last
            }
            anchors = (0..<n).filter { r.plans[$0].indent != nil || r.plans[$0].isMarker }
            blockScalarByHeader = [:]
            for (index, token) in r.tokens.enumerated() {
                if case .blockScalar = token.kind { blockScalarByHeader[token.start.line] = index }
            }
        }
    }

    /// A comment line takes the indentation of the next structural line;
    /// before a marker, a continuation or the end of the file it keeps its
    /// place relative to the closest structural line above it at or left of
    /// it (column 0 if there is none), never sliding into a block scalar above.
    private func comment(_ line: Int, _ layout: CommentLayout) throws(YAMLFormatRefusal) -> [Unicode.Scalar] {
        let raw = text.lines[line]
        let first = text.firstNonBlank(line) ?? 0
        try checkNoTab(raw[0..<first], line)
        let next = layout.nextSignificant[line + 1]
        var indent: Int
        if next < text.lineCount, let target = plans[next].indent {
            indent = target
        } else {
            indent = 0  // no structural line above in this document: column 0
            var i = Self.lastIndex(in: layout.anchors, below: line)
            while i >= 0 {
                let prev = layout.anchors[i]
                if plans[prev].isMarker { break }
                if let target = plans[prev].indent, let pf = text.firstNonBlank(prev), pf <= first {
                    indent = max(0, first + target - pf)
                    break
                }
                i -= 1
            }
            let before = line > 0 ? layout.previousSignificant[line - 1] : -1
            if before >= 0, let limit = blockScalarIndent(at: before, layout) {
                indent = min(indent, limit - 1)
            }
        }
        var result = Self.spaces(indent) + raw[first...]
        Self.trimTrailing(&result)
        return result
    }

    /// Index of the last element of the ascending array `a` that is below `value`, or -1.
    private static func lastIndex(in a: [Int], below value: Int) -> Int {
        var low = 0, high = a.count
        while low < high {
            let mid = (low + high) / 2
            if a[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low - 1
    }

    // MARK: - Helpers

    private func isCommentLine(_ line: Int) -> Bool {
        let plan = plans[line]
        guard plan.owner == nil, plan.indent == nil, !plan.isMarker, let f = text.firstNonBlank(line) else { return false }
        return text.lines[line][f] == "#"
    }

    /// New content indentation of the block scalar whose header or content is on `line`.
    private func blockScalarIndent(at line: Int, _ layout: CommentLayout) -> Int? {
        guard let index = plans[line].owner ?? layout.blockScalarByHeader[line],
              case let .blockScalar(_, newIndent, _) = tokens[index].kind else { return nil }
        return newIndent
    }

    private func isKeepBlockScalarLine(_ line: Int) -> Bool {
        guard let owner = plans[line].owner, case let .blockScalar(_, _, keep) = tokens[owner].kind else { return false }
        return keep
    }

    /// Column where the scalar at original position `p` ends up.
    private func newColumn(_ p: YAMLFormatPosition) -> Int {
        let plan = plans[p.line]
        var col = p.col
        if let indent = plan.indent, let first = text.firstNonBlank(p.line) { col += indent - first }
        for edit in plan.edits where edit.end <= p.col {
            col += edit.spaces - (edit.end - edit.start)
        }
        return col
    }

    private func checkNoTab(_ indentation: ArraySlice<Unicode.Scalar>, _ line: Int) throws(YAMLFormatRefusal) {
        if indentation.contains("\t") {
            throw YAMLFormatRefusal("tab character in indentation", line: line + 1)
        }
    }

    static func spaces(_ n: Int) -> [Unicode.Scalar] { Array(repeating: " ", count: max(0, n)) }

    static func trimTrailing(_ s: inout [Unicode.Scalar]) {
        while let last = s.last, YAMLFormatSource.isBlank(last) { s.removeLast() }
    }
}
