#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Python 3 semantics of the operators templates use: numeric tower (bool ⊂ int ⊂ float), floor
/// division and modulo toward negative infinity, sequence concatenation/repetition, equality across
/// int/float, ordering and membership. Integers are 64-bit: overflow is a render error.
enum TemplatePython {
    enum Number {
        case int(Int)
        case double(Double)

        var double: Double {
            switch self {
            case .int(let i): return Double(i)
            case .double(let d): return d
            }
        }
    }

    @inline(__always)
    static func number(_ v: TemplateValue) -> Number? {
        switch v {
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .bool(let b): return .int(b ? 1 : 0)
        default: return nil
        }
    }

    /// An int usable as an index (bools count, as in Python).
    @inline(__always)
    static func intIndex(_ v: TemplateValue) -> Int? {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    static func overflow() -> TemplateRenderError {
        TemplateRenderError("integer overflow (Parley integers are 64-bit)")
    }

    static func unsupported(_ symbol: String, _ a: TemplateValue, _ b: TemplateValue) -> TemplateRenderError {
        TemplateRenderError(
            "unsupported operand type(s) for \(symbol): '\(a.pythonTypeName)' and '\(b.pythonTypeName)'")
    }

    static func negate(_ v: TemplateValue) throws(TemplateRenderError) -> TemplateValue {
        switch number(v) {
        case .int(let i)?:
            if i == Int.min { throw overflow() }
            return .int(-i)
        case .double(let d)?: return .double(-d)
        case nil: throw TemplateRenderError("bad operand type for unary -: '\(v.pythonTypeName)'")
        }
    }

    static func plus(_ v: TemplateValue) throws(TemplateRenderError) -> TemplateValue {
        switch number(v) {
        case .int(let i)?: return .int(i)
        case .double(let d)?: return .double(d)
        case nil: throw TemplateRenderError("bad operand type for unary +: '\(v.pythonTypeName)'")
        }
    }

    static func binary(_ op: TemplateBinaryOperator, _ a: TemplateValue, _ b: TemplateValue) throws(TemplateRenderError)
        -> TemplateValue
    {
        switch op {
        case .add: return try add(a, b)
        case .subtract:
            switch (number(a), number(b)) {
            case (.int(let x)?, .int(let y)?):
                let (r, o) = x.subtractingReportingOverflow(y)
                if o { throw overflow() }
                return .int(r)
            case (let x?, let y?): return .double(x.double - y.double)
            default: throw unsupported("-", a, b)
            }
        case .multiply: return try multiply(a, b)
        case .divide:
            guard let x = number(a), let y = number(b) else { throw unsupported("/", a, b) }
            if y.double == 0 { throw TemplateRenderError("division by zero") }
            return .double(x.double / y.double)
        case .floorDivide:
            switch (number(a), number(b)) {
            case (.int(let x)?, .int(let y)?):
                if y == 0 { throw TemplateRenderError("integer division or modulo by zero") }
                if x == Int.min && y == -1 { throw overflow() }
                var q = x / y
                if (x % y != 0) && ((x < 0) != (y < 0)) { q -= 1 }
                return .int(q)
            case (let x?, let y?):
                if y.double == 0 { throw TemplateRenderError("float floor division by zero") }
                return .double(floatDivmod(x.double, y.double).0)
            default: throw unsupported("//", a, b)
            }
        case .modulo:
            if case .string(let format) = a { return .string(try TemplatePercentFormat.percent(format, b, isTuple: false)) }
            switch (number(a), number(b)) {
            case (.int(let x)?, .int(let y)?):
                if y == 0 { throw TemplateRenderError("integer division or modulo by zero") }
                if y == -1 { return .int(0) }
                var r = x % y
                if r != 0 && ((r < 0) != (y < 0)) { r += y }
                return .int(r)
            case (let x?, let y?):
                if y.double == 0 { throw TemplateRenderError("float modulo") }
                return .double(floatDivmod(x.double, y.double).1)
            default: throw unsupported("%", a, b)
            }
        case .power: return try power(a, b)
        }
    }

    /// CPython's float_divmod: (floor quotient, modulo with the divisor's sign).
    static func floatDivmod(_ vx: Double, _ wx: Double) -> (Double, Double) {
        var mod = vx.truncatingRemainder(dividingBy: wx)
        var div = (vx - mod) / wx
        if mod != 0 {
            if (wx < 0) != (mod < 0) {
                mod += wx
                div -= 1
            }
        } else {
            mod = Double(signOf: wx, magnitudeOf: 0)
        }
        var floordiv: Double
        if div != 0 {
            floordiv = div.rounded(.down)
            if div - floordiv > 0.5 { floordiv += 1 }
        } else {
            floordiv = Double(signOf: vx / wx, magnitudeOf: 0)
        }
        return (floordiv, mod)
    }

    static func add(_ a: TemplateValue, _ b: TemplateValue) throws(TemplateRenderError) -> TemplateValue {
        switch (a, b) {
        case (.string(let x), .string(let y)):
            if x.utf8.count + y.utf8.count > TemplateEvaluator.maxStringBytes {
                throw TemplateRenderError("string exceeds \(TemplateEvaluator.maxStringBytes) bytes")
            }
            return .string(x + y)
        case (.list(let x), .list(let y)):
            try TemplateEvaluator.checkCount(x.count + y.count)
            return .list(x + y)
        default:
            switch (number(a), number(b)) {
            case (.int(let x)?, .int(let y)?):
                let (r, o) = x.addingReportingOverflow(y)
                if o { throw overflow() }
                return .int(r)
            case (let x?, let y?): return .double(x.double + y.double)
            default:
                if case .string = a {
                    throw TemplateRenderError("can only concatenate str (not \"\(b.pythonTypeName)\") to str")
                }
                throw unsupported("+", a, b)
            }
        }
    }

    static func multiply(_ a: TemplateValue, _ b: TemplateValue) throws(TemplateRenderError) -> TemplateValue {
        func repeatCount(_ v: TemplateValue) -> Int? { intIndex(v) }
        switch (a, b) {
        case (.string(let s), _) where repeatCount(b) != nil, (_, .string(let s)) where repeatCount(a) != nil:
            let n = s.isEmpty ? 0 : max(0, repeatCount(b) ?? repeatCount(a) ?? 0)
            if n > 0 && s.utf8.count > TemplateEvaluator.maxStringBytes / n {
                throw TemplateRenderError("string exceeds \(TemplateEvaluator.maxStringBytes) bytes")
            }
            return .string(String(repeating: s, count: n))
        case (.list(let items), _) where repeatCount(b) != nil, (_, .list(let items)) where repeatCount(a) != nil:
            let n = items.isEmpty ? 0 : max(0, repeatCount(b) ?? repeatCount(a) ?? 0)
            if n > 0 && items.count > TemplateEvaluator.maxListCount / n {
                throw TemplateRenderError("list exceeds \(TemplateEvaluator.maxListCount) items")
            }
            var out: [TemplateValue] = []
            out.reserveCapacity(items.count * n)
            for _ in 0..<n { out.append(contentsOf: items) }
            return .list(out)
        default:
            switch (number(a), number(b)) {
            case (.int(let x)?, .int(let y)?):
                let (r, o) = x.multipliedReportingOverflow(by: y)
                if o { throw overflow() }
                return .int(r)
            case (let x?, let y?): return .double(x.double * y.double)
            default: throw unsupported("*", a, b)
            }
        }
    }

    static func power(_ a: TemplateValue, _ b: TemplateValue) throws(TemplateRenderError) -> TemplateValue {
        switch (number(a), number(b)) {
        case (.int(var base)?, .int(var exponent)?) where exponent >= 0:
            var result = 1
            while exponent > 0 {
                if exponent & 1 == 1 {
                    let (r, o) = result.multipliedReportingOverflow(by: base)
                    if o { throw overflow() }
                    result = r
                }
                exponent >>= 1
                if exponent > 0 {
                    let (sq, o) = base.multipliedReportingOverflow(by: base)
                    if o { throw overflow() }
                    base = sq
                }
            }
            return .int(result)
        case (let x?, let y?):
            let bx = x.double
            let by = y.double
            if bx == 0 && by < 0 { throw TemplateRenderError("0.0 cannot be raised to a negative power") }
            if bx < 0 && by.isFinite && by.rounded() != by {
                throw TemplateRenderError("negative number raised to a fractional power (complex result)")
            }
            let r = pow(bx, by)
            if r.isInfinite && bx.isFinite && by.isFinite { throw TemplateRenderError("numerical result out of range") }
            return .double(r)
        default: throw unsupported("** or pow()", a, b)
        }
    }

    static let maxDepth = 200

    /// Python `==`: 1 == 1.0 == True; dicts compare regardless of order; strings code-point exact.
    static func equals(_ a: TemplateValue, _ b: TemplateValue, depth: Int = 0) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return TemplateText.equal(x, y)
        case (.none, .none): return true
        case (.list(let x), .list(let y)):
            guard x.count == y.count, depth < maxDepth else { return false }
            for i in x.indices where !equals(x[i], y[i], depth: depth + 1) { return false }
            return true
        case (.map(let x), .map(let y)):
            guard x.count == y.count, depth < maxDepth else { return false }
            for (k, v) in x {
                guard let w = y[k], equals(v, w, depth: depth + 1) else { return false }
            }
            return true
        default:
            switch (number(a), number(b)) {
            case (.int(let x)?, .int(let y)?): return x == y
            case (.int(let x)?, .double(let y)?), (.double(let y)?, .int(let x)?): return intEqualsDouble(x, y)
            case (.double(let x)?, .double(let y)?): return x == y
            default: return false
            }
        }
    }

    static func intEqualsDouble(_ i: Int, _ d: Double) -> Bool {
        guard d.isFinite, d.rounded() == d, d >= -9.223372036854775808e18, d < 9.223372036854775808e18 else {
            return false
        }
        return Int(d) == i
    }

    /// Python `<`, `<=`, `>`, `>=`.
    static func order(_ op: TemplateComparisonOperator, _ a: TemplateValue, _ b: TemplateValue, depth: Int = 0)
        throws(TemplateRenderError) -> Bool
    {
        switch (a, b) {
        case (.string(let x), .string(let y)):
            switch op {
            case .less: return TemplateText.less(x, y)
            case .lessOrEqual: return !TemplateText.less(y, x)
            case .greater: return TemplateText.less(y, x)
            default: return !TemplateText.less(x, y)
            }
        case (.list(let x), .list(let y)):
            if depth > maxDepth { throw TemplateRenderError("comparison nested too deeply") }
            for i in 0..<min(x.count, y.count) where !equals(x[i], y[i]) {
                return try order(op, x[i], y[i], depth: depth + 1)
            }
            return try order(op, .int(x.count), .int(y.count))
        default:
            switch (number(a), number(b)) {
            case (.int(let x)?, .int(let y)?):
                switch op {
                case .less: return x < y
                case .lessOrEqual: return x <= y
                case .greater: return x > y
                default: return x >= y
                }
            case (let x?, let y?):
                let (p, q) = (x.double, y.double)
                switch op {
                case .less: return p < q
                case .lessOrEqual: return p <= q
                case .greater: return p > q
                default: return p >= q
                }
            default:
                let symbol = [TemplateComparisonOperator.less: "<", .lessOrEqual: "<=", .greater: ">"][op] ?? ">="
                throw TemplateRenderError(
                    "'\(symbol)' not supported between instances of '\(a.pythonTypeName)' and '\(b.pythonTypeName)'")
            }
        }
    }

    /// Python `item in container`.
    static func contains(_ container: TemplateValue, _ item: TemplateValue) throws(TemplateRenderError) -> Bool {
        switch container {
        case .string(let s):
            guard case .string(let needle) = item else {
                throw TemplateRenderError("'in <string>' requires string as left operand, not \(item.pythonTypeName)")
            }
            if needle.isEmpty { return true }
            return s.utf8.firstRange(of: needle.utf8) != nil
        case .list(let items):
            return items.contains { equals($0, item) }
        case .map(let map):
            switch item {
            case .string(let k): return map[k] != nil
            case .list, .map: throw TemplateRenderError("unhashable type: '\(item.pythonTypeName)'")
            default: return false
            }
        default:
            throw TemplateRenderError("argument of type '\(container.pythonTypeName)' is not iterable")
        }
    }

    /// Python slicing `items[start:stop:step]` (step already checked non-zero).
    static func slice<T>(_ items: [T], _ start: Int?, _ stop: Int?, _ step: Int?) -> [T] {
        let n = items.count
        let step = step ?? 1
        func clamp(_ v: Int?, _ defaultValue: Int, lower: Int, upper: Int) -> Int {
            guard var v else { return defaultValue }
            if v < 0 {
                v += n
                if v < lower { v = lower }
            } else if v > upper {
                v = upper
            }
            return v
        }
        var out: [T] = []
        if step > 0 {
            let s = clamp(start, 0, lower: 0, upper: n)
            let e = clamp(stop, n, lower: 0, upper: n)
            var i = s
            while i < e {
                out.append(items[i])
                let (next, overflow) = i.addingReportingOverflow(step)
                if overflow { break }
                i = next
            }
        } else {
            let s = clamp(start, n - 1, lower: -1, upper: n - 1)
            let e = clamp(stop, -1, lower: -1, upper: n - 1)
            var i = s
            while i > e {
                out.append(items[i])
                i += step
            }
        }
        return out
    }

    /// Python `int(text, base)`: surrounding whitespace, sign, `_` between digits; nil when invalid.
    static func parseInt(_ text: String, base: Int = 10) -> Int?? {
        // Python refuses other bases (ValueError, which Jinja's `int` answers from float());
        // Int(_:radix:) would trap.
        guard base == 0 || (2...36).contains(base) else { return nil }
        var s = Substring(TemplateText.strip(text))
        var negative = false
        if s.hasPrefix("-") || s.hasPrefix("+") {
            negative = s.hasPrefix("-")
            s = s.dropFirst()
        }
        var radix = base
        let lower = s.lowercased()
        for (prefix, r) in [("0x", 16), ("0o", 8), ("0b", 2)] where lower.hasPrefix(prefix) && (base == r || base == 0) {
            radix = r
            s = s.dropFirst(2)
            if s.hasPrefix("_") { s = s.dropFirst() }
        }
        if radix == 0 { radix = 10 }
        guard !s.isEmpty, s.first != "_", s.last != "_", !s.contains("__") else { return nil }
        let digits = s.filter { $0 != "_" }
        guard digits.unicodeScalars.allSatisfy({ $0.isASCII }) else { return nil }
        if base == 0 && radix == 10 && digits.count > 1 && digits.first == "0" && digits.contains(where: { $0 != "0" }) {
            return nil
        }
        guard digits.allSatisfy({ Int(String($0), radix: radix) != nil }) else { return nil }
        guard let magnitude = UInt(digits, radix: radix) else { return .some(nil) }  // too large for 64 bits
        if negative {
            if magnitude > UInt(Int.max) + 1 { return .some(nil) }
            return magnitude == UInt(Int.max) + 1 ? Int.min : -Int(magnitude)
        }
        if magnitude > UInt(Int.max) { return .some(nil) }
        return Int(magnitude)
    }

    /// Python `float(text)`: decimal / exponent forms with `_` between digits, `inf`, `nan`.
    static func parseFloat(_ text: String) -> Double? {
        let s = TemplateText.strip(text)
        var body = Substring(s)
        var sign = 1.0
        if body.hasPrefix("-") || body.hasPrefix("+") {
            if body.hasPrefix("-") { sign = -1 }
            body = body.dropFirst()
        }
        switch body.lowercased() {
        case "inf", "infinity": return sign * .infinity
        case "nan": return .nan
        default: break
        }
        let bytes = Array(body.utf8)
        var i = 0
        func digits() -> Bool {
            let start = i
            while i < bytes.count {
                if bytes[i] >= 0x30 && bytes[i] <= 0x39 {
                    i += 1
                } else if bytes[i] == UInt8(ascii: "_") && i > start && i + 1 < bytes.count
                    && bytes[i + 1] >= 0x30 && bytes[i + 1] <= 0x39
                {
                    i += 1
                } else {
                    break
                }
            }
            return i > start
        }
        let hasInt = digits()
        var hasFraction = false
        if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
            i += 1
            hasFraction = digits()
        }
        guard hasInt || hasFraction else { return nil }
        if i < bytes.count && (bytes[i] | 0x20) == UInt8(ascii: "e") {
            i += 1
            if i < bytes.count && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
            guard digits() else { return nil }
        }
        guard i == bytes.count else { return nil }
        let clean = String(decoding: bytes.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
        guard let value = Double(clean.hasPrefix(".") ? "0" + clean : clean) else { return nil }
        return sign * value
    }
}
