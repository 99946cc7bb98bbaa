import Yams

/// Walks the parsed YAML tree and the source text side by side, finding each
/// block entry's indicator, key and value in the text, and records a
/// ``YAMLFormatLinePlan`` per line.
///
/// Exists because Yams reports only where nodes start (and resolves aliases
/// to their anchors' nodes), while canonical indentation needs the position
/// of every `-`, `:` and multi-line token. The tree tells what to expect at
/// each step; the text tells where it is. Anything unexpected throws a
/// refusal instead of guessing.
struct YAMLFormatScanner {
    /// Where a node sits: its innermost enclosing block collection's column
    /// before/after formatting, and the target column for the node (or its
    /// block collection) when it starts its own line.
    struct Context {
        var parentOrig: Int
        var parentTarget: Int
        var nestedTarget: Int
    }

    let text: YAMLFormatSource
    let indentStep: Int
    private(set) var plans: [YAMLFormatLinePlan]
    private(set) var tokens: [YAMLFormatToken] = []
    private var cursor = YAMLFormatPosition(line: 0, col: 0)

    init(text: YAMLFormatSource, indentStep: Int) {
        self.text = text
        self.indentStep = indentStep
        self.plans = Array(repeating: YAMLFormatLinePlan(), count: text.lineCount)
    }

    mutating func scan(documents: [Node]) throws(YAMLFormatRefusal) {
        for root in documents {
            enterDocument()
            try walk(root, Context(parentOrig: -1, parentTarget: -1, nestedTarget: 0))
            leaveDocument()
        }
        let rest = text.skipTrivia(cursor)
        if !text.isEOF(rest) {
            throw refusal("unexpected content after the last document", rest)
        }
    }

    // MARK: - Documents

    private mutating func enterDocument() {
        var p = text.skipTrivia(cursor)
        while !text.isEOF(p), p.col == 0, text.isDirective(p.line) {
            plans[p.line].isMarker = true
            p = text.skipTrivia(YAMLFormatPosition(line: p.line + 1, col: 0))
        }
        if !text.isEOF(p), p.col == 0, text.isDocumentStart(p.line) {
            plans[p.line].isMarker = true
            cursor = YAMLFormatPosition(line: p.line, col: 3)
            normalizeGap(after: cursor)
        } else {
            cursor = p
        }
    }

    private mutating func leaveDocument() {
        var p = text.skipTrivia(cursor)
        while !text.isEOF(p), p.col == 0, text.isDocumentEnd(p.line) {
            plans[p.line].isMarker = true
            cursor = YAMLFormatPosition(line: p.line + 1, col: 0)
            p = text.skipTrivia(cursor)
        }
    }

    // MARK: - Nodes

    private static func isEmptyPlain(_ node: Node) -> Bool {
        if case .scalar(let s) = node, s.style == .plain || s.style == .any, s.string.isEmpty { return true }
        return false
    }

    private mutating func walk(_ node: Node, _ ctx: Context) throws(YAMLFormatRefusal) {
        if Self.isEmptyPlain(node) {
            walkEmpty()
            return
        }
        let start = text.skipTrivia(cursor)
        try checkNodeStart(start)
        markOwnLine(start, ctx.nestedTarget)

        // Properties (anchor, tag) in front of the content.
        var props: [(start: YAMLFormatPosition, end: YAMLFormatPosition)] = []
        var p = start
        while let c = text.char(p), c == "&" || c == "!" {
            let e = text.propertyEnd(p)
            props.append((p, e))
            if text.isLineRestTrivia(e) { break }
            p = text.skipInline(e)
        }
        var contentStart = p
        var propsEndLine = false
        if let last = props.last, text.isLineRestTrivia(last.end) {
            propsEndLine = true
            contentStart = text.skipTrivia(last.end)
            try checkNodeStart(contentStart)
            markOwnLine(contentStart, ctx.nestedTarget)
        }
        let c0 = text.char(contentStart)
        var propsBelongToNode = true
        if !props.isEmpty, !propsEndLine {
            switch node {
            case .mapping where c0 != "{":
                // `&a key: v`: the properties belong to the first key.
                propsBelongToNode = false
                contentStart = start
            case .sequence where c0 != "[":
                throw refusal("properties in front of a block sequence on the same line", start)
            default:
                break
            }
        }
        if propsBelongToNode {
            for (i, prop) in props.enumerated() {
                let next = i + 1 < props.count ? props[i + 1].start : contentStart
                if next.line == prop.end.line { addEdit(prop.end.line, prop.end.col, next.col, 1) }
            }
        }

        if c0 == "*" && propsBelongToNode {
            let e = text.propertyEnd(contentStart)
            let q = text.skipInline(e)
            if case .mapping(let m) = node, text.char(q) == ":", text.isBlankOrEOL(q.advanced(by: 1)) {
                try walkBlockMapping(m, at: contentStart, ctx)
            } else {
                cursor = e  // an alias: Yams gives the anchored node, the text is `*name`
            }
            return
        }
        switch node {
        case .scalar(let s):
            try scanScalar(s, at: contentStart, ctx)
        case .mapping(let m):
            if c0 == "{" {
                try scanFlow(at: contentStart, ctx)
            } else if c0 == "[" {
                throw refusal("a collection used as a mapping key is not supported", contentStart)
            } else {
                try walkBlockMapping(m, at: contentStart, ctx)
            }
        case .sequence(let s):
            if c0 == "[" {
                try scanFlow(at: contentStart, ctx)
            } else if c0 == "-", text.isBlankOrEOL(contentStart.advanced(by: 1)) {
                try walkBlockSequence(s, at: contentStart, ctx)
            } else {
                throw refusal("could not find the sequence in the text", contentStart)
            }
        case .alias:
            throw refusal("unexpected alias node", contentStart)
        }
    }

    /// An empty (null) node: no text, except perhaps properties on this line.
    private mutating func walkEmpty() {
        var p = text.skipInline(cursor)
        while let c = text.char(p), c == "&" || c == "!" {
            let e = text.propertyEnd(p)
            let q = text.skipInline(e)
            if !text.isEOL(q), !text.isCommentStart(q) { addEdit(e.line, e.col, q.col, 1) }
            cursor = e
            p = q
        }
    }

    private func checkNodeStart(_ p: YAMLFormatPosition) throws(YAMLFormatRefusal) {
        if text.isEOF(p) { throw YAMLFormatRefusal("expected a node before the end of the file", line: text.lineCount) }
        if p.col == 0, text.isDocumentMarker(p.line) || text.isDirective(p.line) {
            throw refusal("expected a node before the document marker", p)
        }
    }

    // MARK: - Block collections

    private mutating func walkBlockMapping(_ m: Node.Mapping, at start: YAMLFormatPosition, _ ctx: Context) throws(YAMLFormatRefusal) {
        let col = start.col
        let target = ctx.nestedTarget
        var first = true
        for (key, value) in m {
            let kp = first ? start : text.skipTrivia(cursor)
            first = false
            try checkNodeStart(kp)
            guard kp.col == col else { throw refusal("a mapping key is not aligned with its siblings", kp) }
            if text.firstNonBlank(kp.line) == kp.col { setIndent(kp.line, target) }
            let c = text.char(kp)
            if c == "?", text.isBlankOrEOL(kp.advanced(by: 1)) {
                throw refusal("explicit mapping keys (`? key`) are not supported", kp)
            }
            if c == ":", text.isBlankOrEOL(kp.advanced(by: 1)) {
                throw refusal("empty mapping keys are not supported", kp)
            }
            var q = kp
            while let pc = text.char(q), pc == "&" || pc == "!" {
                let e = text.propertyEnd(q)
                guard !text.isLineRestTrivia(e) else {
                    throw refusal("properties on a line of their own in front of a key are not supported", q)
                }
                let r = text.skipInline(e)
                addEdit(q.line, e.col, r.col, 1)
                q = r
            }
            let keyEnd: YAMLFormatPosition
            var aliasKey = false
            switch text.char(q) {
            case "\"", "'":
                keyEnd = try text.quotedEnd(q)
                guard keyEnd.line == q.line else { throw refusal("a multi-line key is not supported", q) }
            case "*":
                keyEnd = text.propertyEnd(q)
                aliasKey = true
            case "[", "{":
                throw refusal("a collection used as a mapping key is not supported", q)
            default:
                let seg = text.plainSegment(line: q.line, from: q.col)
                guard seg.stop == .colon, seg.end > q.col else { throw refusal("could not find the mapping key in the text", q) }
                keyEnd = YAMLFormatPosition(line: q.line, col: seg.end)
                if case .scalar(let ks) = key, ks.string != text.text(line: q.line, from: q.col, to: seg.end) {
                    throw refusal("could not delimit the mapping key", q)
                }
            }
            if !aliasKey, case .scalar = key {} else if !aliasKey {
                throw refusal("a collection used as a mapping key is not supported", q)
            }
            let colon = text.skipInline(keyEnd)
            guard text.char(colon) == ":", text.isBlankOrEOL(colon.advanced(by: 1)) else {
                throw refusal("expected `:` after the mapping key", keyEnd)
            }
            if colon.col > keyEnd.col, !aliasKey { addEdit(colon.line, keyEnd.col, colon.col, 0) }
            cursor = colon.advanced(by: 1)
            normalizeGap(after: cursor)
            try walk(value, Context(parentOrig: col, parentTarget: target, nestedTarget: target + indentStep))
        }
    }

    private mutating func walkBlockSequence(_ s: Node.Sequence, at start: YAMLFormatPosition, _ ctx: Context) throws(YAMLFormatRefusal) {
        let col = start.col
        let target = ctx.nestedTarget
        for (i, item) in s.enumerated() {
            let dp = i == 0 ? start : text.skipTrivia(cursor)
            try checkNodeStart(dp)
            guard dp.col == col, text.char(dp) == "-", text.isBlankOrEOL(dp.advanced(by: 1)) else {
                throw refusal("a sequence entry is not aligned with its siblings", dp)
            }
            if text.firstNonBlank(dp.line) == col { setIndent(dp.line, target) }
            cursor = dp.advanced(by: 1)
            normalizeGap(after: cursor)
            try walk(item, Context(parentOrig: col, parentTarget: target, nestedTarget: target + 2))
        }
    }

    /// After `-` or `:`: exactly one space before an inline value, nothing
    /// before the end of the line, and the gap before a comment as written.
    private mutating func normalizeGap(after p: YAMLFormatPosition) {
        let q = text.skipInline(p)
        if text.isEOL(q) {
            if q.col > p.col { addEdit(p.line, p.col, q.col, 0) }
        } else if !text.isCommentStart(q) {
            addEdit(p.line, p.col, q.col, 1)
        }
    }

    // MARK: - Scalars and flow collections

    private mutating func scanScalar(_ s: Node.Scalar, at p: YAMLFormatPosition, _ ctx: Context) throws(YAMLFormatRefusal) {
        let c0 = text.char(p)
        switch s.style {
        case .doubleQuoted, .singleQuoted:
            guard c0 == (s.style == .doubleQuoted ? "\"" : "'") else {
                throw refusal("could not find the quoted scalar in the text", p)
            }
            let e = try text.quotedEnd(p)
            try register(.folded, start: p, endLine: e.line, ctx)
            cursor = e
        case .literal, .folded:
            guard c0 == (s.style == .literal ? "|" : ">") else {
                throw refusal("could not find the block scalar in the text", p)
            }
            try scanBlockScalar(at: p, ctx)
        case .plain, .any:
            try scanPlain(s.string, at: p, ctx)
        }
    }

    private mutating func scanFlow(at p: YAMLFormatPosition, _ ctx: Context) throws(YAMLFormatRefusal) {
        let e = try text.flowEnd(p)
        let q = text.skipInline(e)
        if text.char(q) == ":", text.isBlankOrEOL(q.advanced(by: 1)) {
            throw refusal("a collection used as a mapping key is not supported", p)
        }
        try register(.folded, start: p, endLine: e.line, ctx)
        cursor = e
    }

    /// A plain scalar in block context, possibly continued on more-indented
    /// lines. The folded text must equal the parsed value, which proves the
    /// extent was found correctly.
    private mutating func scanPlain(_ expected: String, at p: YAMLFormatPosition, _ ctx: Context) throws(YAMLFormatRefusal) {
        let seg = text.plainSegment(line: p.line, from: p.col)
        guard seg.stop != .colon else { throw refusal("unexpected `:` in a plain scalar", p) }
        var value = text.text(line: p.line, from: p.col, to: seg.end)
        var end = YAMLFormatPosition(line: p.line, col: seg.end)
        if seg.stop == .endOfLine {
            var line = p.line + 1
            var blanks = 0
            while line < text.lineCount {
                guard let fc = text.firstNonBlank(line) else {
                    blanks += 1
                    line += 1
                    continue
                }
                if fc <= ctx.parentOrig || (fc == 0 && text.isDocumentMarker(line)) || text.lines[line][fc] == "#" { break }
                let s2 = text.plainSegment(line: line, from: fc)
                guard s2.stop != .colon else { throw refusal("unexpected `:` in a plain scalar", YAMLFormatPosition(line: line, col: fc)) }
                value += blanks == 0 ? " " : String(repeating: "\n", count: blanks)
                value += text.text(line: line, from: fc, to: s2.end)
                end = YAMLFormatPosition(line: line, col: s2.end)
                blanks = 0
                line += 1
                if s2.stop == .comment { break }
            }
        }
        guard value == expected else { throw refusal("could not delimit a plain scalar", p) }
        try register(.folded, start: p, endLine: end.line, ctx)
        cursor = end
    }

    /// A `|` or `>` block scalar: header, then content lines found with
    /// libyaml's rules for the content indentation.
    private mutating func scanBlockScalar(at p: YAMLFormatPosition, _ ctx: Context) throws(YAMLFormatRefusal) {
        let header = text.lines[p.line]
        var col = p.col + 1
        var explicit: Int?
        var keep = false
        while col < header.count, !YAMLFormatSource.isBlank(header[col]) {
            let c = header[col]
            if c == "+" {
                keep = true
            } else if c != "-" {
                guard let d = Int(String(c)), d >= 1 else { throw refusal("unexpected block scalar header", p) }
                explicit = d
            }
            col += 1
        }
        guard text.isLineRestTrivia(YAMLFormatPosition(line: p.line, col: col)) else {
            throw refusal("unexpected text after a block scalar header", p)
        }
        let origIndent: Int
        if let m = explicit {
            origIndent = ctx.parentOrig >= 0 ? ctx.parentOrig + m : m
        } else {
            var maxSpaces = 0
            var line = p.line + 1
            while line < text.lineCount {
                let l = text.lines[line]
                let spaces = Self.leadingSpaces(l)
                maxSpaces = max(maxSpaces, spaces)
                if spaces < l.count { break }
                line += 1
            }
            origIndent = max(maxSpaces, ctx.parentOrig + 1, 1)
        }
        var endLine = p.line
        var line = p.line + 1
        while line < text.lineCount {
            let l = text.lines[line]
            let spaces = Self.leadingSpaces(l)
            if spaces < l.count, spaces < origIndent { break }
            endLine = line
            line += 1
        }
        let newIndent: Int
        if ctx.parentOrig < 0 {
            newIndent = origIndent
        } else if let m = explicit {
            newIndent = ctx.parentTarget + m
        } else if text.firstNonBlank(p.line) == p.col {
            newIndent = ctx.nestedTarget + indentStep  // header on a line of its own
        } else {
            newIndent = ctx.parentTarget + indentStep
        }
        try register(.blockScalar(origIndent: origIndent, newIndent: newIndent, keep: keep),
                     start: p, endLine: endLine, ctx)
        cursor = YAMLFormatPosition(line: endLine + 1, col: 0)
    }

    static func leadingSpaces(_ l: [Unicode.Scalar]) -> Int {
        var n = 0
        while n < l.count, l[n] == " " { n += 1 }
        return n
    }

    // MARK: - Recording

    private mutating func register(_ kind: YAMLFormatToken.Kind, start: YAMLFormatPosition, endLine: Int,
                                   _ ctx: Context) throws(YAMLFormatRefusal) {
        guard endLine > start.line else { return }
        let index = tokens.count
        tokens.append(YAMLFormatToken(kind: kind, start: start, endLine: endLine,
                                         parentOrig: ctx.parentOrig, parentTarget: ctx.parentTarget))
        for line in (start.line + 1)...endLine {
            guard plans[line].owner == nil, plans[line].indent == nil, !plans[line].isMarker else {
                throw refusal("overlapping multi-line tokens", YAMLFormatPosition(line: line, col: 0))
            }
            plans[line].owner = index
            plans[line].keepTrailing = true
        }
        if case .folded = kind {
            plans[start.line].keepTrailing = true
            plans[endLine].keepTrailing = false
        }
    }

    private mutating func markOwnLine(_ p: YAMLFormatPosition, _ target: Int) {
        if text.firstNonBlank(p.line) == p.col { setIndent(p.line, target) }
    }

    private mutating func setIndent(_ line: Int, _ target: Int) {
        if plans[line].indent == nil, !plans[line].isMarker, plans[line].owner == nil {
            plans[line].indent = target
        }
    }

    private mutating func addEdit(_ line: Int, _ start: Int, _ end: Int, _ spaces: Int) {
        plans[line].edits.append(YAMLFormatLineEdit(start: start, end: end, spaces: spaces))
    }

    private func refusal(_ reason: String, _ p: YAMLFormatPosition) -> YAMLFormatRefusal {
        YAMLFormatRefusal(reason, line: p.line + 1)
    }
}
