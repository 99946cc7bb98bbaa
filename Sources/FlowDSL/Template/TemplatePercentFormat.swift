#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Python's printf-style `%` string formatting (`'%s is %d' % (name, age)`, the `format` filter) and
/// C-exact decimal rounding used by `round`.
enum TemplatePercentFormat {
    /// Formats one double with a C conversion spec such as `%.2f` (Python uses the same correctly
    /// rounded conversion, ties to even on exact binary halves).
    static func c(_ spec: String, _ value: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 128)
        let needed = withVaList([value]) { vsnprintf(&buffer, buffer.count, spec, $0) }
        if needed >= buffer.count {
            buffer = [CChar](repeating: 0, count: Int(needed) + 1)
            _ = withVaList([value]) { vsnprintf(&buffer, buffer.count, spec, $0) }
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Python `round(x, ndigits)` for floats.
    static func round(_ x: Double, _ ndigits: Int) -> Double {
        if !x.isFinite || ndigits > 308 { return x }
        if ndigits >= 0 {
            return Double(c("%.\(ndigits)f", x)) ?? x
        }
        if ndigits < -308 { return Double(signOf: x, magnitudeOf: 0) }
        let p = (1...(-ndigits)).reduce(1.0) { acc, _ in acc * 10 }
        let r = (x / p).rounded(.toNearestOrEven) * p
        return r == 0 ? Double(signOf: x, magnitudeOf: 0) : r
    }

    /// `format % args`. With `isTuple` the list holds the arguments (Python's tuple); otherwise `args` is
    /// one argument, and a dict also serves `%(name)s`. As in Python, a single list or dict argument
    /// does not complain about arguments left unused.
    static func percent(_ format: String, _ args: TemplateValue, isTuple: Bool) throws(TemplateRenderError) -> String {
        var positional: [TemplateValue] = [args]
        var mapping: TemplateMap?
        var checkUnused = true
        switch args {
        case .list(let items):
            if isTuple { positional = items } else { checkUnused = false }
        case .map(let m):
            mapping = m
            checkUnused = false
        default: break
        }
        var next = 0
        var out = ""
        let s = Array(format.unicodeScalars)
        var i = 0
        func fail(_ message: String) -> TemplateRenderError { TemplateRenderError(message) }
        while i < s.count {
            let c = s[i]
            if c != "%" {
                out.unicodeScalars.append(c)
                i += 1
                continue
            }
            i += 1
            guard i < s.count else { throw fail("incomplete format") }
            var value: TemplateValue?
            if s[i] == "(" {
                var j = i + 1
                var key = String.UnicodeScalarView()
                while j < s.count && s[j] != ")" {
                    key.append(s[j])
                    j += 1
                }
                guard j < s.count else { throw fail("incomplete format key") }
                guard let mapping else { throw fail("format requires a mapping") }
                guard let v = mapping[String(key)] else { throw fail("KeyError: '\(String(key))'") }
                value = v
                i = j + 1
            }
            var flags = ""
            while i < s.count, "-+ #0".unicodeScalars.contains(s[i] as Unicode.Scalar) {
                flags.unicodeScalars.append(s[i])
                i += 1
            }
            func number() throws(TemplateRenderError) -> Int? {
                if i < s.count && s[i] == "*" {
                    i += 1
                    guard next < positional.count, let n = TemplatePython.intIndex(positional[next]) else {
                        throw fail("* wants int")
                    }
                    if n.magnitude > 10_000 { throw fail("width too big") }
                    next += 1
                    return n
                }
                var n: Int?
                while i < s.count, let d = Int(String(s[i])), s[i].isASCII {
                    n = (n ?? 0) * 10 + d
                    if n! > 10_000 { throw fail("width too big") }
                    i += 1
                }
                return n
            }
            var width = try number()
            var precision: Int?
            if i < s.count && s[i] == "." {
                i += 1
                precision = max(0, try number() ?? 0)  // Python takes a negative `*` precision as 0
            }
            while i < s.count, "hlL".unicodeScalars.contains(s[i]) { i += 1 }
            guard i < s.count else { throw fail("incomplete format") }
            let type = s[i]
            i += 1
            if type == "%" {
                out += "%"
                continue
            }
            if value == nil {
                guard next < positional.count else { throw fail("not enough arguments for format string") }
                value = positional[next]
                next += 1
            }
            let v = value!
            // A negative `*` width aligns left, as Python does.
            var leftAlign = flags.contains("-") || (width ?? 0) < 0
            width = width.map { abs($0) }
            var zeroPad = flags.contains("0") && !leftAlign
            var body: String
            switch type {
            case "s", "r", "a":
                body = type == "s" ? v.pythonString : v.pythonRepr
                if let precision { body = String(body.unicodeScalars.prefix(precision)) }
                zeroPad = false
            case "d", "i", "u", "x", "X", "o":
                let n: Int
                switch TemplatePython.number(v) {
                case .int(let x)?: n = x
                case .double(let d)?:
                    guard d.isFinite, abs(d) < 9.2e18 else { throw fail("cannot convert float to integer") }
                    n = Int(d)
                case nil: throw fail("%\(type) format: a real number is required, not \(v.pythonTypeName)")
                }
                let radix = type == "x" || type == "X" ? 16 : type == "o" ? 8 : 10
                var digits = String(n.magnitude, radix: radix, uppercase: type == "X")
                if let precision, digits.count < precision {
                    digits = String(repeating: "0", count: precision - digits.count) + digits
                }
                if flags.contains("#") && radix != 10 { digits = (radix == 16 ? "0\(type)" : "0o") + digits }
                let sign = n < 0 ? "-" : flags.contains("+") ? "+" : flags.contains(" ") ? " " : ""
                if zeroPad, let w = width, sign.count + digits.count < w {
                    digits = String(repeating: "0", count: w - sign.count - digits.count) + digits
                }
                body = sign + digits
                zeroPad = false
            case "f", "F", "e", "E", "g", "G":
                guard let d = TemplatePython.number(v)?.double else {
                    throw fail("must be real number, not \(v.pythonTypeName)")
                }
                var spec = "%" + flags
                if let w = width { spec += String(w) }
                spec += "." + String(precision ?? 6) + String(type)
                body = TemplatePercentFormat.c(spec, d)
                width = nil
                leftAlign = false
                zeroPad = false
                if !d.isFinite {
                    body = body.lowercased()
                    if type.properties.isUppercase { body = body.uppercased() }
                }
            case "c":
                if case .string(let str) = v, str.unicodeScalars.count == 1 {
                    body = str
                } else if let n = TemplatePython.intIndex(v), let u = Unicode.Scalar(UInt32(clamping: max(0, n))) {
                    body = String(Character(u))
                } else {
                    throw fail("%c requires an int or a unicode character")
                }
            default:
                throw fail("unsupported format character '\(Character(type))'")
            }
            if let w = width, body.unicodeScalars.count < w {
                let pad = String(repeating: zeroPad ? "0" : " ", count: w - body.unicodeScalars.count)
                body = leftAlign ? body + pad : pad + body
            }
            out += body
            if out.utf8.count > TemplateEvaluator.maxStringBytes {
                throw fail("string exceeds \(TemplateEvaluator.maxStringBytes) bytes")
            }
        }
        if checkUnused && next < positional.count {
            throw fail("not all arguments converted during string formatting")
        }
        return out
    }
}
