/// Python's `str` rules that Swift spells differently: whitespace per `str.isspace`, code-point
/// lengths and indexes, `repr()` quoting, case mapping.
enum TemplateText {
    /// `str.isspace()` for one code point (differs from Unicode White_Space for U+001C…U+001F).
    @inline(__always)
    static func isSpace(_ v: UInt32) -> Bool {
        if v < 0x80 { return (v >= 0x09 && v <= 0x0D) || (v >= 0x1C && v <= 0x20) }
        switch v {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    static func isSpace(_ s: Unicode.Scalar) -> Bool { isSpace(s.value) }

    /// `str.isprintable()` for one code point, as `repr()` uses it.
    static func isPrintable(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x7F { return v >= 0x20 }
        if v < 0xA0 { return false }
        switch s.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
            .spaceSeparator:
            return false
        default: return true
        }
    }

    /// Python `repr(str)`.
    static func appendRepr(of s: String, to out: inout String) {
        var hasSingle = false
        var hasDouble = false
        var plain = true
        for b in s.utf8 {
            if b == UInt8(ascii: "'") { hasSingle = true }
            if b == UInt8(ascii: "\"") { hasDouble = true }
            if b < 0x20 || b >= 0x7F || b == UInt8(ascii: "\\") { plain = false }
        }
        let quote: Unicode.Scalar = hasSingle && !hasDouble ? "\"" : "'"
        out.unicodeScalars.append(quote)
        if plain && !hasSingle {
            out += s
            out.unicodeScalars.append(quote)
            return
        }
        for c in s.unicodeScalars {
            switch c {
            case quote, "\\":
                out += "\\"
                out.unicodeScalars.append(c)
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default:
                if isPrintable(c) {
                    out.unicodeScalars.append(c)
                } else if c.value <= 0xFF {
                    out += "\\x" + hex(c.value, width: 2)
                } else if c.value <= 0xFFFF {
                    out += "\\u" + hex(c.value, width: 4)
                } else {
                    out += "\\U" + hex(c.value, width: 8)
                }
            }
        }
        out.unicodeScalars.append(quote)
    }

    static func hex(_ v: UInt32, width: Int) -> String {
        let digits = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.utf8.count)) + digits
    }

    /// `str.strip()` / `lstrip()` / `rstrip()` with Python whitespace or an explicit character set.
    static func strip(_ s: String, chars: String? = nil, leading: Bool = true, trailing: Bool = true) -> String {
        if chars == nil, let first = s.utf8.first, let last = s.utf8.last, first > 0x20, last > 0x20, first < 0x80,
            last < 0x80
        {
            return s  // nothing to strip: printable ASCII at both ends
        }
        let scalars = s.unicodeScalars
        let set: Set<UInt32>? = chars.map { Set($0.unicodeScalars.map(\.value)) }
        func drop(_ c: Unicode.Scalar) -> Bool { set.map { $0.contains(c.value) } ?? isSpace(c.value) }
        var start = scalars.startIndex
        var end = scalars.endIndex
        if leading { while start < end, drop(scalars[start]) { start = scalars.index(after: start) } }
        if trailing {
            while end > start {
                let before = scalars.index(before: end)
                if !drop(scalars[before]) { break }
                end = before
            }
        }
        if start == scalars.startIndex && end == scalars.endIndex { return s }
        return String(scalars[start..<end])
    }

    /// `str.upper()` / `str.lower()` (full Unicode case mapping, like Python).
    static func upper(_ s: String) -> String {
        var ascii = true
        for b in s.utf8 where b >= 0x80 || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) {
            ascii = false
            break
        }
        return ascii ? s : s.uppercased()
    }

    static func lower(_ s: String) -> String { s.lowercased() }

    /// First code point titlecased (Python `str.capitalize`) or uppercased (Jinja's `title`).
    static func capitalize(_ s: String, titlecaseFirst: Bool = true) -> String {
        guard let first = s.unicodeScalars.first else { return s }
        var out = titlecaseFirst ? first.properties.titlecaseMapping : first.properties.uppercaseMapping
        out += String(String.UnicodeScalarView(s.unicodeScalars.dropFirst())).lowercased()
        return out
    }

    /// Python `str.title()`: a cased character after a cased one is lowercased, otherwise titlecased.
    static func title(_ s: String) -> String {
        var out = ""
        var previousCased = false
        for c in s.unicodeScalars {
            let p = c.properties
            let cased = p.isUppercase || p.isLowercase || p.generalCategory == .titlecaseLetter
            if cased {
                out += previousCased ? p.lowercaseMapping : p.titlecaseMapping
            } else {
                out.unicodeScalars.append(c)
            }
            previousCased = cased
        }
        return out
    }

    /// Python `str.split()` with no separator: runs of whitespace separate, empty parts dropped.
    static func splitWhitespace(_ s: String, maxSplit: Int = -1) -> [String] {
        var parts: [String] = []
        var current = String.UnicodeScalarView()
        var inWord = false
        var scalars = s.unicodeScalars[...]
        while let c = scalars.first {
            if isSpace(c.value) {
                if inWord {
                    parts.append(String(current))
                    current = String.UnicodeScalarView()
                    inWord = false
                    if maxSplit >= 0 && parts.count >= maxSplit {
                        let rest = strip(String(String.UnicodeScalarView(scalars)), trailing: false)
                        if !rest.isEmpty { parts.append(strip(rest, leading: false)) }
                        return parts
                    }
                }
            } else {
                current.append(c)
                inWord = true
            }
            scalars = scalars.dropFirst()
        }
        if inWord { parts.append(String(current)) }
        return parts
    }

    /// Python `str.split(sep, maxsplit)` with an explicit, non-empty separator (code-point exact).
    static func split(_ s: String, separator: String, maxSplit: Int = -1) -> [String] {
        let hay = Array(s.unicodeScalars)
        let needle = Array(separator.unicodeScalars)
        var parts: [String] = []
        var start = 0
        var i = 0
        while i + needle.count <= hay.count {
            if (maxSplit < 0 || parts.count < maxSplit) && hay[i..<(i + needle.count)].elementsEqual(needle) {
                parts.append(scalarsToString(hay[start..<i]))
                i += needle.count
                start = i
            } else {
                i += 1
            }
        }
        parts.append(scalarsToString(hay[start...]))
        return parts
    }

    /// `replace` that fails instead of building a result larger than `limit` bytes.
    static func replace(_ s: String, _ old: String, _ new: String, count: Int = -1, limit: Int) -> String? {
        let growth = new.utf8.count - old.utf8.count
        if growth > 0 {
            var occurrences = old.isEmpty ? s.unicodeScalars.count + 1 : 0
            if !old.isEmpty {
                let hay = Array(s.utf8)
                let needle = Array(old.utf8)
                var i = 0
                while i + needle.count <= hay.count && occurrences <= limit {
                    if hay[i] == needle[0] && hay[i..<(i + needle.count)].elementsEqual(needle) {
                        occurrences += 1
                        i += needle.count
                    } else {
                        i += 1
                    }
                }
            }
            if count >= 0 { occurrences = Swift.min(occurrences, count) }
            if s.utf8.count + occurrences.multipliedReportingOverflow(by: growth).partialValue > limit
                || occurrences.multipliedReportingOverflow(by: growth).overflow
            {
                return nil
            }
        }
        return replace(s, old, new, count: count)
    }

    /// Python `str.replace(old, new, count)`; an empty `old` inserts `new` around every code point.
    static func replace(_ s: String, _ old: String, _ new: String, count: Int = -1) -> String {
        if old.isEmpty {
            var out = ""
            var done = 0
            for c in s.unicodeScalars {
                if count < 0 || done < count { out += new; done += 1 }
                out.unicodeScalars.append(c)
            }
            if count < 0 || done < count { out += new }
            return out
        }
        let hay = Array(s.unicodeScalars)
        let needle = Array(old.unicodeScalars)
        var out = String.UnicodeScalarView()
        var done = 0
        var i = 0
        while i < hay.count {
            if (count < 0 || done < count) && i + needle.count <= hay.count
                && hay[i..<(i + needle.count)].elementsEqual(needle)
            {
                out.append(contentsOf: new.unicodeScalars)
                i += needle.count
                done += 1
            } else {
                out.append(hay[i])
                i += 1
            }
        }
        return String(out)
    }

    static func scalarsToString<C: Collection>(_ c: C) -> String where C.Element == Unicode.Scalar {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: c)
        return String(v)
    }

    /// Code-point length (Python `len(str)`).
    @inline(__always)
    static func length(_ s: String) -> Int { s.unicodeScalars.count }

    /// Python `\w` for one code point: letters, digits, numerics and underscore.
    static func isWordCharacter(_ c: Unicode.Scalar) -> Bool {
        if c.value < 0x80 {
            let b = UInt8(c.value)
            return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
        }
        switch c.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return c.properties.numericType != nil
        }
    }

    /// Python string ordering (by code point, which UTF-8 byte order preserves).
    @inline(__always)
    static func less(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

    /// Python string equality (code-point exact, unlike Swift's canonical equivalence).
    @inline(__always)
    static func equal(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }
}
