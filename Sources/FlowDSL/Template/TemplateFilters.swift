/// Filter semantics, following Jinja2 3.1's implementations (`jinja2/filters.py`) on Python data.
extension TemplateEvaluator {
    mutating func applyFilter(_ call: TemplateFilterCall, to input: TemplateEvalValue) throws(TemplateRenderError) -> TemplateEvalValue {
        if call.isVariadic {
            var extra: [TemplateEvalValue] = []
            for e in call.extra { extra.append(try eval(e)) }
            var keywords: [(String, TemplateEvalValue)] = []
            for (k, e) in call.keywords { keywords.append((k, try eval(e))) }
            return try applyVariadic(call.filter, input, extra, keywords)
        }
        var args = TemplateFilterArguments()
        let slots = call.slots
        for i in slots.indices {
            if let slot = slots[i] { args[i] = try eval(slot) }
        }
        return try apply(call.filter, input, args)
    }

    // MARK: argument helpers

    func optionalValue(_ a: TemplateEvalValue?) throws(TemplateRenderError) -> TemplateValue? {
        guard let a else { return nil }
        let v = try materialize(a)
        if case .none = v { return nil }
        return v
    }

    func intArgument(_ a: TemplateEvalValue?, _ name: String, default d: Int) throws(TemplateRenderError) -> Int {
        guard let v = try optionalValue(a) else { return d }
        guard let i = TemplatePython.intIndex(v) else {
            throw TemplateRenderError("'\(name)' must be an integer, got \(v.pythonTypeName)")
        }
        return i
    }

    func boolArgument(_ a: TemplateEvalValue?, default d: Bool) throws(TemplateRenderError) -> Bool {
        guard let a else { return d }
        return try truthy(a)
    }

    /// Jinja's `ignore_case`: strings compare lowercased unless case-sensitive.
    static func sortKey(_ v: TemplateEvalValue, caseSensitive: Bool) -> TemplateEvalValue {
        if !caseSensitive, case .value(.string(let s)) = v { return .value(.string(s.lowercased())) }
        return v
    }

    /// Jinja's `make_attrgetter`: `a.b.0` looks up `a`, then `b`, then index 0.
    func attributePath(_ a: TemplateEvalValue?) throws(TemplateRenderError) -> [TemplateValue]? {
        guard let v = try optionalValue(a) else { return nil }
        if case .int = v { return [v] }
        let parts = v.pythonString.split(separator: ".", omittingEmptySubsequences: false).map { part -> TemplateValue in
            if let i = Int(part), part.allSatisfy(\.isASCII) { return .int(i) }
            return .string(String(part))
        }
        return parts
    }

    func lookup(_ item: TemplateValue, _ path: [TemplateValue]?) throws(TemplateRenderError) -> TemplateEvalValue {
        guard let path else { return .value(item) }
        var current = TemplateEvalValue.value(item)
        for key in path { current = try self.item(of: current, .value(key), label: key.pythonString) }
        return current
    }

    // MARK: fixed-signature filters

    func apply(_ filter: TemplateFilter, _ input: TemplateEvalValue, _ a: TemplateFilterArguments) throws(TemplateRenderError) -> TemplateEvalValue {
        switch filter {
        case .default:
            if case .undefined = input { return a.a0 ?? .value(.string("")) }
            if let boolean = a.a1, try truthy(boolean), !(try truthy(input)) { return a.a0 ?? .value(.string("")) }
            return input
        case .upper: return .value(.string(TemplateText.upper(try string(input))))
        case .lower: return .value(.string(TemplateText.lower(try string(input))))
        case .capitalize: return .value(.string(TemplateText.capitalize(try string(input))))
        case .title: return .value(.string(Self.jinjaTitle(try string(input))))
        case .trim:
            let chars = try optionalValue(a.a0).map { $0.pythonString }
            return .value(.string(TemplateText.strip(try string(input), chars: chars)))
        case .string, .safe: return .value(.string(try string(input)))
        case .escape: return .value(.string(Self.htmlEscape(try string(input))))
        case .length: return .value(.int(try length(input)))
        case .wordcount:
            var count = 0
            var inWord = false
            for c in try string(input).unicodeScalars {
                let w = TemplateText.isWordCharacter(c)
                if w && !inWord { count += 1 }
                inWord = w
            }
            return .value(.int(count))
        case .join:
            let separator = try optionalValue(a.a0)?.pythonString ?? ""
            let path = try attributePath(a.a1)
            var out = ""
            var first = true
            for item in try iterate(input) {
                if !first { out += separator }
                first = false
                try append(try lookup(item, path), to: &out)
                try Self.checkSize(out)
            }
            return .value(.string(out))
        case .int: return try toInt(input, a)
        case .float:
            let fallback = a.a0 ?? .value(.double(0))
            switch input {
            case .undefined(let u): throw u.error
            case .loop: return fallback
            case .value(let v):
                switch v {
                case .int(let i): return .value(.double(Double(i)))
                case .bool(let b): return .value(.double(b ? 1 : 0))
                case .double: return input
                case .string(let s): return TemplatePython.parseFloat(s).map { .value(.double($0)) } ?? fallback
                default: return fallback
                }
            }
        case .round: return try round(input, a)
        case .first, .last:
            let items = try iterate(input)
            guard let item = filter == .first ? items.first : items.last else {
                return .undefinedName("\(filter.rawValue) item of an empty sequence")
            }
            return .value(item)
        case .replace:
            let s = try string(input)
            let old = try string(a.a0!)
            let new = try string(a.a1!)
            let count = try intArgument(a.a2, "count", default: -1)
            guard let result = TemplateText.replace(s, old, new, count: count, limit: Self.maxStringBytes) else {
                throw TemplateRenderError("replace result exceeds \(Self.maxStringBytes) bytes")
            }
            return .value(.string(result))
        case .tojson:
            let value = try materialize(input)
            var indent: String?
            if let i = try optionalValue(a.a0) {
                if case .string(let s) = i { indent = s } else if let n = TemplatePython.intIndex(i) {
                    try TemplateEvaluator.checkCount(n)
                    indent = String(repeating: " ", count: Swift.max(0, n))
                }
            }
            return .value(.string(try TemplateJSON.encode(value, indent: indent)))
        case .abs:
            let v = try materialize(input)
            switch TemplatePython.number(v) {
            case .int(let i)?:
                if i == Int.min { throw TemplatePython.overflow() }
                return .value(.int(Swift.abs(i)))
            case .double(let d)?: return .value(.double(Swift.abs(d)))
            case nil: throw TemplateRenderError("bad operand type for abs(): '\(v.pythonTypeName)'")
            }
        case .list: return .value(.list(try iterate(input)))
        case .reverse:
            if case .value(.string(let s)) = input {
                return .value(.string(TemplateText.scalarsToString(s.unicodeScalars.reversed())))
            }
            return .value(.list(try iterate(input).reversed()))
        case .center:
            let s = try string(input)
            let width = try intArgument(a.a0, "width", default: 80)
            let n = TemplateText.length(s)
            if width <= n { return .value(.string(s)) }
            let margin = width - n
            try TemplateEvaluator.checkCount(width)
            let left = margin / 2 + (margin & width & 1)
            return .value(.string(String(repeating: " ", count: left) + s + String(repeating: " ", count: margin - left)))
        case .truncate: return try truncate(input, a)
        case .indent: return try indent(input, a)
        case .striptags: return .value(.string(Self.stripTags(try string(input))))
        case .urlencode: return .value(.string(try urlencode(input)))
        case .encryptSensitive, .decryptSensitive, .tryDecryptSensitive, .redactSensitive:
            return try sensitive(filter, input, a)
        default:
            return try applyCollectionFilter(filter, input, a)
        }
    }

    func length(_ input: TemplateEvalValue) throws(TemplateRenderError) -> Int {
        switch input {
        case .value(.string(let s)): return TemplateText.length(s)
        case .value(.list(let l)): return l.count
        case .value(.map(let m)): return m.count
        case .value(let v): throw TemplateRenderError("object of type '\(v.pythonTypeName)' has no len()")
        case .undefined(let u): if u.lenient { return 0 } else { throw u.error }
        case .loop(let l): return l.length
        }
    }

    /// Jinja's `int` filter: `int(value)`, else `int(float(value))`, else the default.
    func toInt(_ input: TemplateEvalValue, _ a: TemplateFilterArguments) throws(TemplateRenderError) -> TemplateEvalValue {
        let fallback = a.a0 ?? .value(.int(0))
        let base = try intArgument(a.a1, "base", default: 10)
        func fromDouble(_ d: Double, fromString: Bool = false) throws(TemplateRenderError) -> TemplateEvalValue {
            if d.isNaN || (fromString && d.isInfinite) { return fallback }
            if d.isInfinite { throw TemplateRenderError("cannot convert float infinity to integer") }
            guard d > -9.3e18 && d < 9.3e18, let i = Int(exactly: d.rounded(.towardZero)) else { throw TemplatePython.overflow() }
            return .value(.int(i))
        }
        switch input {
        case .undefined(let u): throw u.error
        case .loop: return fallback
        case .value(let v):
            switch v {
            case .int: return input
            case .bool(let b): return .value(.int(b ? 1 : 0))
            case .double(let d): return try fromDouble(d)
            case .string(let s):
                switch TemplatePython.parseInt(s, base: base) {
                case .some(.some(let i)): return .value(.int(i))
                case .some(.none): throw TemplatePython.overflow()
                case .none:
                    if let d = TemplatePython.parseFloat(s) { return try fromDouble(d, fromString: true) }
                    return fallback
                }
            default: return fallback
            }
        }
    }

    func round(_ input: TemplateEvalValue, _ a: TemplateFilterArguments) throws(TemplateRenderError) -> TemplateEvalValue {
        let precision = try intArgument(a.a0, "precision", default: 0)
        let method = try optionalValue(a.a1)?.pythonString ?? "common"
        guard ["common", "ceil", "floor"].contains(method) else {
            throw TemplateRenderError("method must be common, ceil or floor")
        }
        let v = try materialize(input)
        guard let number = TemplatePython.number(v) else {
            throw TemplateRenderError("type \(v.pythonTypeName) doesn't define __round__ method")
        }
        if method == "common" {
            switch number {
            case .int(let i):
                if precision >= 0 { return .value(.int(i)) }
                if precision < -18 { return .value(.int(0)) }
                var p = 1
                for _ in 0..<(-precision) { p *= 10 }
                var q = i / p
                var r = i % p
                if r < 0 { q -= 1; r += p }
                if 2 * r > p || (2 * r == p && q & 1 == 1) { q += 1 }
                let (result, overflow) = q.multipliedReportingOverflow(by: p)
                if overflow { throw TemplatePython.overflow() }
                return .value(.int(result))
            case .double(let d):
                return .value(.double(TemplatePercentFormat.round(d, precision)))
            }
        }
        var p = 1.0
        for _ in 0..<Swift.min(precision.magnitude, 400) { p *= 10 }
        if precision < 0 { p = 1 / p }
        let scaled = number.double * p
        if !scaled.isFinite { throw TemplateRenderError("cannot convert float \(TemplateFloatFormat.repr(scaled)) to integer") }
        let rounded = method == "ceil" ? scaled.rounded(.up) : scaled.rounded(.down)
        return .value(.double(rounded / p))
    }

    /// Jinja's `truncate` works on anything with a length: strings are cut; a short list or dict is
    /// returned as is (a long one fails, as slicing it and adding the ending fails in Python).
    func truncate(_ input: TemplateEvalValue, _ a: TemplateFilterArguments) throws(TemplateRenderError) -> TemplateEvalValue {
        let length = try intArgument(a.a0, "length", default: 255)
        let killwords = try boolArgument(a.a1, default: false)
        let end = try optionalValue(a.a2)?.pythonString ?? "..."
        let leeway = try intArgument(a.a3, "leeway", default: 5)
        let endLength = TemplateText.length(end)
        guard length >= endLength else { throw TemplateRenderError("expected length >= \(endLength), got \(length)") }
        guard leeway >= 0 else { throw TemplateRenderError("expected leeway >= 0, got \(leeway)") }
        let (limit, overflow) = length.addingReportingOverflow(leeway)
        guard case .value(.string(let s)) = input else {
            let count = try self.length(input)
            if overflow || count <= limit { return input }
            throw TemplateRenderError("truncate can only shorten strings")
        }
        let scalars = Array(s.unicodeScalars)
        if overflow || scalars.count <= limit { return .value(.string(s)) }
        let head = Array(scalars.prefix(length - endLength))
        if killwords { return .value(.string(TemplateText.scalarsToString(head) + end)) }
        var cut = head.count
        if let space = head.lastIndex(of: " ") { cut = space }
        return .value(.string(TemplateText.scalarsToString(head[..<cut]) + end))
    }

    func indent(_ input: TemplateEvalValue, _ a: TemplateFilterArguments) throws(TemplateRenderError) -> TemplateEvalValue {
        var indention = "    "
        if let w = try optionalValue(a.a0) {
            if case .string(let s) = w { indention = s } else if let n = TemplatePython.intIndex(w) {
                try TemplateEvaluator.checkCount(n)
                indention = String(repeating: " ", count: Swift.max(0, n))
            }
        }
        let first = try boolArgument(a.a1, default: false)
        let blank = try boolArgument(a.a2, default: false)
        let lines = Self.splitLines(try string(input) + "\n")
        if lines.count.multipliedReportingOverflow(by: indention.utf8.count).partialValue > Self.maxStringBytes
            || lines.count > Self.maxListCount
        {
            throw TemplateRenderError("indent output exceeds \(Self.maxStringBytes) bytes")
        }
        var rv: String
        if blank {
            rv = lines.joined(separator: "\n" + indention)
        } else {
            rv = lines.first ?? ""
            if lines.count > 1 {
                rv += "\n" + lines.dropFirst().map { $0.isEmpty ? $0 : indention + $0 }.joined(separator: "\n")
            }
        }
        if first { rv = indention + rv }
        try Self.checkSize(rv)
        return .value(.string(rv))
    }

    /// Python `str.splitlines()`.
    static func splitLines(_ s: String) -> [String] {
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        var previousCR = false
        for c in s.unicodeScalars {
            if previousCR && c == "\n" {
                previousCR = false
                continue
            }
            previousCR = false
            switch c.value {
            case 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029:
                lines.append(String(current))
                current = String.UnicodeScalarView()
                previousCR = c == "\r"
            default:
                current.append(c)
            }
        }
        if !current.isEmpty { lines.append(String(current)) }
        return lines
    }

    /// Jinja's `title`: split on runs of `-`, whitespace, `(`, `{`, `[`, `<`; uppercase each piece's first
    /// character and lowercase the rest.
    static func jinjaTitle(_ s: String) -> String {
        var out = ""
        var piece = String.UnicodeScalarView()
        var pieceIsSeparator = false
        func isSeparator(_ c: Unicode.Scalar) -> Bool {
            TemplateText.isSpace(c.value) || c == "-" || c == "(" || c == "{" || c == "[" || c == "<"
        }
        func flush() {
            guard !piece.isEmpty else { return }
            out += TemplateText.capitalize(String(piece), titlecaseFirst: false)
            piece = String.UnicodeScalarView()
        }
        for c in s.unicodeScalars {
            let sep = isSeparator(c)
            if sep != pieceIsSeparator {
                flush()
                pieceIsSeparator = sep
            }
            piece.append(c)
        }
        flush()
        return out
    }

    static func htmlEscape(_ s: String) -> String {
        var needs = false
        for b in s.utf8 where b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x27 {
            needs = true
            break
        }
        guard needs else { return s }
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&#34;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// markupsafe's `striptags`: drop comments and tags, unescape entities, collapse whitespace.
    static func stripTags(_ s: String) -> String {
        var text = String.UnicodeScalarView()
        let scalars = Array(s.unicodeScalars)
        var i = 0
        while i < scalars.count {
            if scalars[i] == "<" {
                let isComment = i + 3 < scalars.count && scalars[i + 1] == "!" && scalars[i + 2] == "-" && scalars[i + 3] == "-"
                var j = i + 1
                if isComment {
                    while j + 2 < scalars.count && !(scalars[j] == "-" && scalars[j + 1] == "-" && scalars[j + 2] == ">") { j += 1 }
                    if j + 2 < scalars.count { i = j + 3; continue }
                } else {
                    while j < scalars.count && scalars[j] != ">" { j += 1 }
                    if j < scalars.count { i = j + 1; continue }
                }
            }
            text.append(scalars[i])
            i += 1
        }
        var out = TemplateText.splitWhitespace(String(text)).joined(separator: " ")
        for (entity, char) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#34;", "\""), ("&#39;", "'"), ("&amp;", "&")] {
            out = TemplateText.replace(out, entity, char)
        }
        return out
    }

    func urlencode(_ input: TemplateEvalValue) throws(TemplateRenderError) -> String {
        func quote(_ s: String, forQuery: Bool) -> String {
            var out = ""
            for b in s.utf8 {
                let c = Unicode.Scalar(b)
                if (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A) || "_.-~".unicodeScalars.contains(c)
                    || (!forQuery && b == UInt8(ascii: "/"))
                {
                    out.unicodeScalars.append(c)
                } else if forQuery && b == 0x20 {
                    out += "+"
                } else {
                    out += "%" + String(b, radix: 16, uppercase: true).templateLeftPadded(to: 2)
                }
            }
            return out
        }
        let v = try materialize(input)
        switch v {
        case .string: return quote(v.pythonString, forQuery: false)
        case .map(let m):
            return m.map { quote($0.key, forQuery: true) + "=" + quote($0.value.pythonString, forQuery: true) }
                .joined(separator: "&")
        case .list(let items):
            var parts: [String] = []
            for item in items {
                guard case .list(let pair) = item, pair.count == 2 else {
                    throw TemplateRenderError("urlencode expects a string, a dict or a list of pairs")
                }
                parts.append(quote(pair[0].pythonString, forQuery: true) + "=" + quote(pair[1].pythonString, forQuery: true))
            }
            return parts.joined(separator: "&")
        default: return quote(v.pythonString, forQuery: false)
        }
    }
}

extension String {
    func templateLeftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

