import FlowDSL

/// Compact JSON written straight into UTF-8 bytes: what every turn stores (thread state, event
/// data) and every channel answers. Appending bytes to one buffer costs a fraction of growing a
/// `String` piece by piece, and the bytes go to SQLite or the socket as they are.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8]
    /// The deepest nesting of lists and objects written by `write` so far (a store refuses to
    /// keep what it could not read back: `JSONLimits`).
    public private(set) var deepest = 0
    private var depth = 0

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// The JSON as text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Appends ASCII punctuation or a literal (`{`, `,"key":`, `null` …) as it is.
    public mutating func raw(_ literal: StaticString) {
        literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    public mutating func write(_ value: TemplateValue) {
        switch value {
        case .none: raw("null")
        case .bool(let flag): flag ? raw("true") : raw("false")
        case .int(let number): write(number)
        case .double(let number): write(number)
        case .string(let text): write(text)
        case .list(let items):
            enter()
            defer { depth -= 1 }
            bytes.append(UInt8(ascii: "["))
            var first = true
            for item in items {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                write(item)
            }
            bytes.append(UInt8(ascii: "]"))
        case .map(let map): write(map)
        }
    }

    public mutating func write(_ map: TemplateMap) {
        enter()
        defer { depth -= 1 }
        bytes.append(UInt8(ascii: "{"))
        var first = true
        for (key, value) in map {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            write(key)
            bytes.append(UInt8(ascii: ":"))
            write(value)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    private mutating func enter() {
        depth += 1
        if depth > deepest { deepest = depth }
    }

    public mutating func write(_ number: Int) {
        guard number != 0 else { return bytes.append(UInt8(ascii: "0")) }
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        // At most 20 digits, collected backwards in a stack buffer.
        var magnitude = number.magnitude, digits: (UInt64, UInt64, UInt64) = (0, 0, 0), start = 24
        withUnsafeMutableBytes(of: &digits) { buffer in
            while magnitude > 0 {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            }
            bytes.append(contentsOf: buffer[start...])
        }
    }

    /// Floats keep a fraction (`1.0`), so they read back as floats; NaN and the infinities,
    /// which JSON lacks, are written `{"$float": "nan" | "inf" | "-inf"}`.
    public mutating func write(_ number: Double) {
        if number.isNaN { return raw(#"{"$float":"nan"}"#) }
        if number.isInfinite { return number > 0 ? raw(#"{"$float":"inf"}"#) : raw(#"{"$float":"-inf"}"#) }
        let text = String(number)
        bytes.append(contentsOf: text.utf8)
        if !text.utf8.contains(UInt8(ascii: ".")) && !text.utf8.contains(UInt8(ascii: "e")) { raw(".0") }
    }

    public mutating func write(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var plain = true
        for byte in text.utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C {
            plain = false
            break
        }
        if plain {
            bytes.append(contentsOf: text.utf8)
        } else {
            for byte in text.utf8 {
                switch byte {
                case 0x22: raw(#"\""#)
                case 0x5C: raw(#"\\"#)
                case 0x0A: raw(#"\n"#)
                case 0x0D: raw(#"\r"#)
                case 0x09: raw(#"\t"#)
                case ..<0x20:
                    raw(#"\u00"#)
                    bytes.append(Self.hexDigits[Int(byte >> 4)])
                    bytes.append(Self.hexDigits[Int(byte & 0x0F)])
                default: bytes.append(byte)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
