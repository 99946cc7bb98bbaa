/// Python's `str()` and `repr()` of template values, so text renders exactly as Jinja2 prints it.
extension TemplateValue {
    /// Python `str()`: `True`, `None`, `1.0`, `[1, 'a']`, `{'a': 1}`; strings are returned as they are.
    public var pythonString: String {
        if case .string(let s) = self { return s }
        var out = ""
        appendPythonString(to: &out)
        return out
    }

    /// Python `repr()`: like `pythonString` but strings are quoted (`'a'`).
    public var pythonRepr: String {
        var out = ""
        appendPythonRepr(to: &out, depth: 0)
        return out
    }

    /// Appends Python `str()` of the value without building an intermediate string.
    @inlinable
    public func appendPythonString(to out: inout String) {
        switch self {
        case .string(let s): out += s
        case .int(let i): out += String(i)
        default: appendPythonRepr(to: &out, depth: 0)
        }
    }

    /// Containers nested deeper than this print as `[...]` / `{...}` (Python would recurse until it fails).
    static let maxReprDepth = 200

    @usableFromInline
    func appendPythonRepr(to out: inout String, depth: Int) {
        switch self {
        case .none: out += "None"
        case .bool(let b): out += b ? "True" : "False"
        case .int(let i): out += String(i)
        case .double(let d): out += TemplateFloatFormat.repr(d)
        case .string(let s): TemplateText.appendRepr(of: s, to: &out)
        case .list(let items):
            if depth >= Self.maxReprDepth { out += "[...]"; return }
            out += "["
            var first = true
            for item in items {
                if !first { out += ", " }
                first = false
                item.appendPythonRepr(to: &out, depth: depth + 1)
            }
            out += "]"
        case .map(let map):
            if depth >= Self.maxReprDepth { out += "{...}"; return }
            out += "{"
            var first = true
            for (key, value) in map {
                if !first { out += ", " }
                first = false
                TemplateText.appendRepr(of: key, to: &out)
                out += ": "
                value.appendPythonRepr(to: &out, depth: depth + 1)
            }
            out += "}"
        }
    }
}

/// Python's float formatting (`repr(float)`), built on Swift's shortest round-trip digits.
enum TemplateFloatFormat {
    /// `repr(x)`: shortest digits that round-trip; exponent form when the decimal exponent is < -4 or >= 16.
    static func repr(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        let (negative, digits, decimalPoint) = shortestDigits(value)
        var out = negative ? "-" : ""
        if digits.isEmpty { return out + "0.0" }
        if decimalPoint > -4 && decimalPoint <= 16 {
            if decimalPoint <= 0 {
                out += "0."
                out += String(repeating: "0", count: -decimalPoint)
                out += digits
            } else if decimalPoint >= digits.utf8.count {
                out += digits
                out += String(repeating: "0", count: decimalPoint - digits.utf8.count)
                out += ".0"
            } else {
                let split = digits.utf8.index(digits.startIndex, offsetBy: decimalPoint)
                out += digits[..<split]
                out += "."
                out += digits[split...]
            }
        } else {
            let exponent = decimalPoint - 1
            out += digits.prefix(1)
            if digits.utf8.count > 1 {
                out += "."
                out += digits.dropFirst()
            }
            out += exponent < 0 ? "e-" : "e+"
            let magnitude = abs(exponent)
            if magnitude < 10 { out += "0" }
            out += String(magnitude)
        }
        return out
    }

    /// Decomposes Swift's shortest representation into (sign, significant digits, decimal point position)
    /// so that value = 0.DIGITS × 10^decimalPoint.
    static func shortestDigits(_ value: Double) -> (Bool, String, Int) {
        let text = value.description
        var negative = false
        var mantissa: Substring = Substring(text)
        var exponent = 0
        if mantissa.hasPrefix("-") { negative = true; mantissa = mantissa.dropFirst() }
        if let e = mantissa.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(mantissa[mantissa.index(after: e)...]) ?? 0
            mantissa = mantissa[..<e]
        }
        var intPart = mantissa
        var fracPart: Substring = ""
        if let dot = mantissa.firstIndex(of: ".") {
            intPart = mantissa[..<dot]
            fracPart = mantissa[mantissa.index(after: dot)...]
        }
        var digits = Array((intPart + fracPart).utf8)
        var decimalPoint = intPart.utf8.count + exponent
        var leading = 0
        while leading < digits.count && digits[leading] == UInt8(ascii: "0") { leading += 1 }
        digits.removeFirst(leading)
        decimalPoint -= leading
        while let last = digits.last, last == UInt8(ascii: "0") { digits.removeLast() }
        return (negative, String(decoding: digits, as: UTF8.self), decimalPoint)
    }
}
