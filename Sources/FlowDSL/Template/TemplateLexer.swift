/// Splits template source into tokens the way Jinja2's lexer does with Meya's delimiters:
/// `(@ … )` expressions whose closing `)` only counts once brackets opened inside are balanced,
/// `(% … %)` statements, `{# … #}` comments, `-` whitespace control and `(% raw %)` blocks.
struct TemplateLexer {
    let src: [UInt8]
    var pos = 0
    var tokens: [TemplateToken] = []

    init(_ source: [UInt8]) { self.src = source }

    private enum TagKind { case variable, block }

    mutating func tokenize() throws(TemplateSyntaxError) -> [TemplateToken] {
        let n = src.count
        while pos < n {
            guard let (at, kind) = nextDelimiter(from: pos) else {
                emitData(pos, n, strip: false)
                pos = n
                break
            }
            let sign = at + 2 < n ? src[at + 2] : 0
            let stripBefore = sign == UInt8(ascii: "-")
            let signLength = (sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+")) ? 1 : 0
            if kind == 2, let raw = try rawBlock(at: at) {
                emitData(pos, at, strip: stripBefore)
                let (contentStart, contentEnd, stripContent, resume) = raw
                emitData(contentStart, contentEnd, strip: stripContent)
                pos = resume
                continue
            }
            emitData(pos, at, strip: stripBefore)
            pos = at + 2 + signLength
            switch kind {
            case 0: try comment(openedAt: at)
            case 1: try tag(.variable, openedAt: at)
            default: try tag(.block, openedAt: at)
            }
        }
        tokens.append(TemplateToken(kind: .eof, start: n, end: n))
        return tokens
    }

    /// Finds the next `{#` (0), `(@` (1) or `(%` (2).
    private func nextDelimiter(from start: Int) -> (Int, Int)? {
        var i = start
        let last = src.count - 1
        while i < last {
            let b = src[i]
            if b == UInt8(ascii: "(") {
                let c = src[i + 1]
                if c == UInt8(ascii: "@") { return (i, 1) }
                if c == UInt8(ascii: "%") { return (i, 2) }
            } else if b == UInt8(ascii: "{") && src[i + 1] == UInt8(ascii: "#") {
                return (i, 0)
            }
            i += 1
        }
        return nil
    }

    private mutating func emitData(_ start: Int, _ end: Int, strip: Bool) {
        guard end > start else { return }
        var text = String(decoding: src[start..<end], as: UTF8.self)
        if strip { text = TemplateText.strip(text, leading: false) }
        if text.utf8.contains(0x0D) { text = Self.normalizeNewlines(text) }
        if text.isEmpty { return }
        tokens.append(TemplateToken(kind: .data, start: start, end: end, text: text))
    }

    static func normalizeNewlines(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var previousCR = false
        for c in s.unicodeScalars {
            if c == "\r" {
                out.append("\n")
                previousCR = true
            } else {
                if !(c == "\n" && previousCR) { out.append(c) }
                previousCR = false
            }
        }
        return String(out)
    }

    // MARK: whitespace helpers

    /// Decodes the code point at `i` (the template is valid UTF-8, coming from a Swift String).
    private func scalar(at i: Int) -> (UInt32, Int) {
        let b = src[i]
        if b < 0x80 { return (UInt32(b), 1) }
        var len = 2
        var v = UInt32(b & 0x1F)
        if b >= 0xF0 { len = 4; v = UInt32(b & 0x07) } else if b >= 0xE0 { len = 3; v = UInt32(b & 0x0F) }
        var j = 1
        while j < len && i + j < src.count {
            v = (v << 6) | UInt32(src[i + j] & 0x3F)
            j += 1
        }
        return (v, len)
    }

    private func skipWhitespace(_ start: Int) -> Int {
        var i = start
        while i < src.count {
            let (v, len) = scalar(at: i)
            if !TemplateText.isSpace(v) { break }
            i += len
        }
        return i
    }

    private func matches(_ text: StaticString, at i: Int) -> Bool {
        let count = text.utf8CodeUnitCount
        guard i + count <= src.count else { return false }
        let p = text.utf8Start
        for k in 0..<count where src[i + k] != p[k] { return false }
        return true
    }

    // MARK: comments and raw blocks

    private mutating func comment(openedAt start: Int) throws(TemplateSyntaxError) {
        if pos >= src.count { return }  // Jinja accepts a bare `{#` at the very end
        var i = pos
        while i + 1 < src.count {
            if src[i] == UInt8(ascii: "+") && matches("#}", at: i + 1) {
                pos = i + 3
                return
            }
            if src[i] == UInt8(ascii: "-") && matches("#}", at: i + 1) {
                pos = skipWhitespace(i + 3)
                return
            }
            if matches("#}", at: i) {
                pos = i + 2
                return
            }
            i += 1
        }
        throw TemplateSyntaxError("Missing end of comment tag", offset: start, in: src)
    }

    /// `(%[-+]? raw [-]?%)` … `(%[-+]? endraw [+-]?%)`: returns content range, strip flag, resume offset.
    private func rawBlock(at start: Int) throws(TemplateSyntaxError) -> (Int, Int, Bool, Int)? {
        var i = start + 2
        if i < src.count && (src[i] == UInt8(ascii: "-") || src[i] == UInt8(ascii: "+")) { i += 1 }
        i = skipWhitespace(i)
        guard matches("raw", at: i) else { return nil }
        i = skipWhitespace(i + 3)
        if matches("-%)", at: i) {
            i = skipWhitespace(i + 3)
        } else if matches("%)", at: i) {
            i += 2
        } else {
            return nil
        }
        let contentStart = i
        var j = i
        while j + 1 < src.count {
            if matches("(%", at: j) {
                var k = j + 2
                var stripContent = false
                if k < src.count && (src[k] == UInt8(ascii: "-") || src[k] == UInt8(ascii: "+")) {
                    stripContent = src[k] == UInt8(ascii: "-")
                    k += 1
                }
                k = skipWhitespace(k)
                if matches("endraw", at: k) {
                    k = skipWhitespace(k + 6)
                    if matches("+%)", at: k) { return (contentStart, j, stripContent, k + 3) }
                    if matches("-%)", at: k) { return (contentStart, j, stripContent, skipWhitespace(k + 3)) }
                    if matches("%)", at: k) { return (contentStart, j, stripContent, k + 2) }
                }
            }
            j += 1
        }
        // Like Jinja, an unclosed raw block with nothing after it is just empty.
        if contentStart == src.count { return (contentStart, contentStart, false, contentStart) }
        throw TemplateSyntaxError("Missing end of raw directive", offset: start, in: src)
    }

    // MARK: tags

    private mutating func tag(_ kind: TagKind, openedAt start: Int) throws(TemplateSyntaxError) {
        tokens.append(TemplateToken(kind: kind == .variable ? .variableBegin : .blockBegin, start: start, end: pos))
        var balancing: [UInt8] = []
        while true {
            guard pos < src.count else {
                let what = kind == .variable ? "')' to close '(@'" : "'%)' to close '(%'"
                let detail = balancing.isEmpty ? "" : " (unclosed '\(Character(Unicode.Scalar(balancing.last!)))')"
                throw TemplateSyntaxError("unexpected end of template, expected \(what)\(detail)", offset: start, in: src)
            }
            let b = src[pos]
            if balancing.isEmpty {
                if kind == .variable {
                    if b == UInt8(ascii: ")") {
                        tokens.append(TemplateToken(kind: .variableEnd, start: pos, end: pos + 1))
                        pos += 1
                        return
                    }
                    if b == UInt8(ascii: "-") && matches(")", at: pos + 1) {
                        tokens.append(TemplateToken(kind: .variableEnd, start: pos, end: pos + 2))
                        pos = skipWhitespace(pos + 2)
                        return
                    }
                } else {
                    if matches("%)", at: pos) {
                        tokens.append(TemplateToken(kind: .blockEnd, start: pos, end: pos + 2))
                        pos += 2
                        return
                    }
                    if (b == UInt8(ascii: "-") || b == UInt8(ascii: "+")) && matches("%)", at: pos + 1) {
                        tokens.append(TemplateToken(kind: .blockEnd, start: pos, end: pos + 3))
                        pos = b == UInt8(ascii: "-") ? skipWhitespace(pos + 3) : pos + 3
                        return
                    }
                }
            }
            if b == 0x20 || (b >= 0x09 && b <= 0x0D) {
                pos += 1
                continue
            }
            if b >= 0x30 && b <= 0x39 {
                try number()
                continue
            }
            if b == UInt8(ascii: "'") || b == UInt8(ascii: "\"") {
                try string()
                continue
            }
            if b == UInt8(ascii: "_") || (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "z")) {
                try name()
                continue
            }
            if b >= 0x80 {
                let (v, len) = scalar(at: pos)
                if TemplateText.isSpace(v) {
                    pos += len
                    continue
                }
                if let s = Unicode.Scalar(v), TemplateText.isWordCharacter(s) {
                    try name()
                    continue
                }
            }
            try op(&balancing)
        }
    }

    private func isDigit(_ i: Int) -> Bool { i < src.count && src[i] >= 0x30 && src[i] <= 0x39 }

    /// `(\d+_)*\d+` starting at `i`; returns the end offset.
    private func scanDigits(_ i: Int) -> Int? {
        guard isDigit(i) else { return nil }
        var p = i
        while true {
            while isDigit(p) { p += 1 }
            if p < src.count && src[p] == UInt8(ascii: "_") && isDigit(p + 1) { p += 1 } else { break }
        }
        return p
    }

    private func scanExponent(_ i: Int) -> Int? {
        guard i < src.count, src[i] | 0x20 == UInt8(ascii: "e") else { return nil }
        var p = i + 1
        if p < src.count && (src[p] == UInt8(ascii: "+") || src[p] == UInt8(ascii: "-")) { p += 1 }
        return scanDigits(p)
    }

    private mutating func number() throws(TemplateSyntaxError) {
        let start = pos
        if start == 0 || src[start - 1] != UInt8(ascii: ".") {
            if let intEnd = scanDigits(start) {
                var fracEnd: Int?
                if intEnd < src.count && src[intEnd] == UInt8(ascii: ".") { fracEnd = scanDigits(intEnd + 1) }
                var end: Int?
                if let f = fracEnd, let e = scanExponent(f) {
                    end = e
                } else if let e = scanExponent(intEnd) {
                    end = e
                } else {
                    end = fracEnd
                }
                if let end {
                    let text = String(decoding: src[start..<end].filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
                    let value = Double(text) ?? .infinity
                    tokens.append(TemplateToken(kind: .float, start: start, end: end, doubleValue: value))
                    pos = end
                    return
                }
            }
        }
        // integers: 0b / 0o / 0x prefixes, [1-9](_?\d)*, 0(_?0)*
        var radix = 10
        var digitsStart = start
        var end = start
        func isRadixDigit(_ b: UInt8, _ r: Int) -> Bool {
            switch r {
            case 2: return b == 0x30 || b == 0x31
            case 8: return b >= 0x30 && b <= 0x37
            case 16: return (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x66)
            default: return b >= 0x30 && b <= 0x39
            }
        }
        func scanPrefixed(_ r: Int, from p0: Int) -> Int? {
            var p = p0
            var any = false
            while p < src.count {
                if isRadixDigit(src[p], r) {
                    p += 1
                    any = true
                } else if src[p] == UInt8(ascii: "_") && p + 1 < src.count && isRadixDigit(src[p + 1], r) {
                    p += 2
                    any = true
                } else {
                    break
                }
            }
            return any ? p : nil
        }
        if src[start] == UInt8(ascii: "0"), start + 1 < src.count {
            let p = src[start + 1] | 0x20
            let r = p == UInt8(ascii: "b") ? 2 : p == UInt8(ascii: "o") ? 8 : p == UInt8(ascii: "x") ? 16 : 0
            if r != 0, let e = scanPrefixed(r, from: start + 2) {
                radix = r
                digitsStart = start + 2
                end = e
            }
        }
        if end == start {
            if src[start] == UInt8(ascii: "0") {
                end = start + 1
                while end < src.count {
                    if src[end] == 0x30 {
                        end += 1
                    } else if src[end] == UInt8(ascii: "_") && end + 1 < src.count && src[end + 1] == 0x30 {
                        end += 2
                    } else {
                        break
                    }
                }
            } else {
                end = scanPrefixed(10, from: start) ?? start + 1
            }
        }
        let digits = String(decoding: src[digitsStart..<end].filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
        guard let value = Int(digits, radix: radix) else {
            throw TemplateSyntaxError("integer literal too large (Parley integers are 64-bit)", offset: start, in: src)
        }
        tokens.append(TemplateToken(kind: .integer, start: start, end: end, intValue: value))
        pos = end
    }

    private mutating func name() throws(TemplateSyntaxError) {
        let start = pos
        var p = pos
        while p < src.count {
            let b = src[p]
            if b < 0x80 {
                let isWord = (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "_")
                    || (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "z"))
                if !isWord { break }
                p += 1
            } else {
                let (v, len) = scalar(at: p)
                guard let s = Unicode.Scalar(v),
                    TemplateText.isWordCharacter(s) || s.properties.isXIDContinue
                else { break }
                p += len
            }
        }
        let text = String(decoding: src[start..<p], as: UTF8.self)
        if let first = text.unicodeScalars.first, first != "_", !first.properties.isXIDStart {
            throw TemplateSyntaxError("Invalid character in identifier", offset: start, in: src)
        }
        tokens.append(TemplateToken(kind: .name, start: start, end: p, text: text))
        pos = p
    }

    private mutating func string() throws(TemplateSyntaxError) {
        let start = pos
        let quote = src[pos]
        var p = pos + 1
        while p < src.count && src[p] != quote {
            p += src[p] == UInt8(ascii: "\\") ? 2 : 1
        }
        guard p < src.count else {
            throw TemplateSyntaxError("unterminated string literal", offset: start, in: src)
        }
        var body = String(decoding: src[(start + 1)..<p], as: UTF8.self)
        if body.utf8.contains(0x0D) { body = Self.normalizeNewlines(body) }
        let value: String
        if body.utf8.contains(UInt8(ascii: "\\")) {
            do {
                value = try TemplateStringEscapes.decode(body)
            } catch {
                throw TemplateSyntaxError(error.message, offset: start, in: src)
            }
        } else {
            value = body
        }
        tokens.append(TemplateToken(kind: .string, start: start, end: p + 1, text: value))
        pos = p + 1
    }

    private mutating func op(_ balancing: inout [UInt8]) throws(TemplateSyntaxError) {
        let b = src[pos]
        let next: UInt8 = pos + 1 < src.count ? src[pos + 1] : 0
        var kind: TemplateToken.Kind
        var length = 1
        switch b {
        case UInt8(ascii: "+"): kind = .add
        case UInt8(ascii: "-"): kind = .sub
        case UInt8(ascii: "/"):
            if next == UInt8(ascii: "/") { kind = .floordiv; length = 2 } else { kind = .div }
        case UInt8(ascii: "*"):
            if next == UInt8(ascii: "*") { kind = .pow; length = 2 } else { kind = .mul }
        case UInt8(ascii: "%"): kind = .mod
        case UInt8(ascii: "~"): kind = .tilde
        case UInt8(ascii: "["): kind = .lbracket; balancing.append(UInt8(ascii: "]"))
        case UInt8(ascii: "("): kind = .lparen; balancing.append(UInt8(ascii: ")"))
        case UInt8(ascii: "{"): kind = .lbrace; balancing.append(UInt8(ascii: "}"))
        case UInt8(ascii: "]"), UInt8(ascii: ")"), UInt8(ascii: "}"):
            kind = b == UInt8(ascii: "]") ? .rbracket : b == UInt8(ascii: ")") ? .rparen : .rbrace
            guard let expected = balancing.popLast() else {
                throw TemplateSyntaxError("unexpected '\(Character(Unicode.Scalar(b)))'", offset: pos, in: src)
            }
            if expected != b {
                throw TemplateSyntaxError(
                    "unexpected '\(Character(Unicode.Scalar(b)))', expected '\(Character(Unicode.Scalar(expected)))'",
                    offset: pos, in: src)
            }
        case UInt8(ascii: "="):
            if next == UInt8(ascii: "=") { kind = .eq; length = 2 } else { kind = .assign }
        case UInt8(ascii: "!"):
            guard next == UInt8(ascii: "=") else {
                throw TemplateSyntaxError("unexpected char '!'", offset: pos, in: src)
            }
            kind = .ne
            length = 2
        case UInt8(ascii: ">"):
            if next == UInt8(ascii: "=") { kind = .gteq; length = 2 } else { kind = .gt }
        case UInt8(ascii: "<"):
            if next == UInt8(ascii: "=") { kind = .lteq; length = 2 } else { kind = .lt }
        case UInt8(ascii: "."): kind = .dot
        case UInt8(ascii: ":"): kind = .colon
        case UInt8(ascii: "|"): kind = .pipe
        case UInt8(ascii: ","): kind = .comma
        case UInt8(ascii: ";"): kind = .semicolon
        default:
            let (v, _) = scalar(at: pos)
            let shown = Unicode.Scalar(v).map { String(Character($0)) } ?? "?"
            throw TemplateSyntaxError("unexpected char '\(shown)'", offset: pos, in: src)
        }
        tokens.append(TemplateToken(kind: kind, start: pos, end: pos + length))
        pos += length
    }
}
