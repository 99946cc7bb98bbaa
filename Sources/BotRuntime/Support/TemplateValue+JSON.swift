import FlowDSL
import OrderedCollections
import Foundation

/// JSON for `TemplateValue`, used by the stores: exact (ints stay ints, floats stay floats —
/// `1.0` is written `1.0`), key order kept, and fast enough for every turn (`JSONWriter`).
/// Foundation's encoders blur ints and floats and cost more than the rest of a turn.
extension TemplateValue {
    /// Compact JSON text.
    public var jsonText: String {
        var writer = JSONWriter()
        writer.write(self)
        return writer.text
    }

    /// Parses JSON a client sent (a request body, a frame, an attribute), nested at most
    /// `JSONLimits.inputDepth` levels. Objects are objects: the store's `{"$float": …}` means
    /// nothing here.
    public init(jsonText: String) throws(JSONValueError) {
        var text = jsonText
        self = try text.withUTF8 { JSONValueParser.parse($0, maxDepth: JSONLimits.inputDepth, stored: false) }.get()
    }

    /// Parses JSON from UTF-8 bytes a client sent, without making text of them first.
    public init(jsonBytes: [UInt8]) throws(JSONValueError) {
        self = try jsonBytes.withUnsafeBufferPointer { JSONValueParser.parse($0, maxDepth: JSONLimits.inputDepth, stored: false) }.get()
    }

    /// Parses what a store wrote with `JSONWriter` (`jsonText`): up to `JSONLimits.readDepth`
    /// levels, NaN and the infinities as `{"$float": …}`.
    public init(storedJSON: String) throws(JSONValueError) {
        var text = storedJSON
        self = try text.withUTF8 { JSONValueParser.parse($0, maxDepth: JSONLimits.readDepth, stored: true) }.get()
    }

    /// Parses stored JSON in memory the caller holds (a database column) without copying it first.
    init(jsonUTF8: UnsafeBufferPointer<UInt8>) throws(JSONValueError) {
        self = try JSONValueParser.parse(jsonUTF8, maxDepth: JSONLimits.readDepth, stored: true).get()
    }
}

/// Text that is not the JSON the store wrote.
public struct JSONValueError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public let offset: Int
    public var description: String { "invalid JSON at byte \(offset): \(message)" }
}

private struct JSONValueParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    /// Whether `{"$float": "nan" | "inf" | "-inf"}` is a float (the store's own JSON).
    let stored: Bool
    var index = 0
    /// The keys and values of the objects being parsed, innermost last: an object's map is
    /// made once, at its exact size, when its `}` is read.
    var keys: [String] = []
    var values: [TemplateValue] = []

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int, stored: Bool) -> Result<TemplateValue, JSONValueError> {
        var parser = JSONValueParser(bytes: bytes, maxDepth: maxDepth, stored: stored)
        return Result { () throws(JSONValueError) in try parser.parseDocument() }
    }

    mutating func parseDocument() throws(JSONValueError) -> TemplateValue {
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard index == bytes.count else { throw fail("trailing characters") }
        return value
    }

    func fail(_ message: String) -> JSONValueError { JSONValueError(message: message, offset: index) }

    mutating func skipWhitespace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 { index += 1 }
    }

    mutating func parseValue(depth: Int) throws(JSONValueError) -> TemplateValue {
        guard depth < maxDepth else { throw fail("nested deeper than \(maxDepth) levels") }
        skipWhitespace()
        guard index < bytes.count else { throw fail("unexpected end") }
        switch bytes[index] {
        case UInt8(ascii: "n"): try literal("null"); return .none
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "["):
            index += 1
            var items: [TemplateValue] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .list(items) }
            while true {
                items.append(try parseValue(depth: depth + 1))
                skipWhitespace()
                guard index < bytes.count else { throw fail("unterminated list") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                guard bytes[index] == UInt8(ascii: "]") else { throw fail("expected , or ]") }
                index += 1
                return .list(items)
            }
        case UInt8(ascii: "{"):
            index += 1
            let base = keys.count
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .map([:]) }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("expected a key") }
                let key = try parseString()
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("expected :") }
                index += 1
                // Pushed together, after the value: objects inside it use the stacks meanwhile.
                let value = try parseValue(depth: depth + 1)
                keys.append(key)
                values.append(value)
                skipWhitespace()
                guard index < bytes.count else { throw fail("unterminated object") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                guard bytes[index] == UInt8(ascii: "}") else { throw fail("expected , or }") }
                index += 1
                return takeObject(from: base)
            }
        default:
            return try parseNumber()
        }
    }

    /// The object whose keys and values were pushed from `base` on, popped off the stacks.
    mutating func takeObject(from base: Int) -> TemplateValue {
        // The slices end with the call, so the stacks are shrunk in place, not copied.
        let object = Self.object(keys: keys[base...], values: values[base...], stored: stored)
        keys.removeSubrange(base...)
        values.removeSubrange(base...)
        return object
    }

    static func object(keys: ArraySlice<String>, values: ArraySlice<TemplateValue>, stored: Bool) -> TemplateValue {
        if stored, keys.count == 1, keys.first == "$float", case .string(let special)? = values.first {
            switch special {
            case "nan": return .double(.nan)
            case "inf": return .double(.infinity)
            case "-inf": return .double(-.infinity)
            default: break
            }
        }
        guard !hasDuplicates(keys) else {
            // The last value wins, at the first key's place.
            var map = TemplateMap()
            for (key, value) in zip(keys, values) { map[key] = value }
            return .map(map)
        }
        return .map(TemplateMap(uncheckedUniqueKeys: keys, values: values))
    }

    static func hasDuplicates(_ keys: ArraySlice<String>) -> Bool {
        // Objects are small: comparing pairs beats hashing up to a dozen or so keys.
        guard keys.count > 12 else {
            for first in keys.indices where keys[(first + 1)...].contains(keys[first]) { return true }
            return false
        }
        return Set(keys).count != keys.count
    }

    mutating func literal(_ word: String) throws(JSONValueError) {
        let expected = Array(word.utf8)
        guard index + expected.count <= bytes.count, Array(bytes[index..<index + expected.count]) == expected else {
            throw fail("expected \(word)")
        }
        index += expected.count
    }

    mutating func parseNumber() throws(JSONValueError) -> TemplateValue {
        let start = index
        var isFloat = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                isFloat = true
            } else if !(byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) && byte != UInt8(ascii: "-") && byte != UInt8(ascii: "+") {
                break
            }
            index += 1
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if !isFloat, let number = Int(text) { return .int(number) }
        guard let number = Double(text) else { throw fail("bad number `\(text)`") }
        return .double(number)
    }

    mutating func parseString() throws(JSONValueError) -> String {
        index += 1
        let start = index
        // Fast path: no escapes.
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") { index += 1 }
        guard index < bytes.count else { throw fail("unterminated string") }
        if bytes[index] == UInt8(ascii: "\"") {
            defer { index += 1 }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }
        var output = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: output, as: UTF8.self)
            }
            if byte != UInt8(ascii: "\\") {
                output.append(byte)
                index += 1
                continue
            }
            index += 1
            guard index < bytes.count else { break }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "u"):
                appendScalar(try unicodeEscape(), to: &output)
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escape)
            default:
                index -= 2
                throw fail("invalid escape \\\(Character(Unicode.Scalar(escape)))")
            }
        }
        throw fail("unterminated string")
    }

    /// The scalar of a `\uXXXX` escape whose `u` was just read, with the low half of a
    /// surrogate pair when one follows. An unpaired surrogate cannot be held by a Swift string:
    /// it becomes U+FFFD, as an invalid UTF-8 byte does (RFC 8259 §8.2 leaves the choice open;
    /// Python keeps a lone surrogate, Foundation refuses the text). The escape after an unpaired
    /// high surrogate is read on its own, so `"\ud800\u0041"` is `"\u{FFFD}A"`.
    mutating func unicodeEscape() throws(JSONValueError) -> UInt32 {
        let first = try hex4()
        guard (0xD800..<0xDC00).contains(first) else { return first }
        guard index + 6 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else { return first }
        let resume = index
        index += 2
        let second = try hex4()
        guard (0xDC00..<0xE000).contains(second) else {
            index = resume
            return first
        }
        return 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
    }

    /// Appends a scalar's UTF-8 bytes; a surrogate (unpaired) becomes U+FFFD.
    func appendScalar(_ value: UInt32, to output: inout [UInt8]) {
        UTF8.encode(Unicode.Scalar(value) ?? "\u{FFFD}") { output.append($0) }
    }

    /// Four hexadecimal digits (exactly: no sign, no space).
    mutating func hex4() throws(JSONValueError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail("bad \\u escape") }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = bytes[index + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail("bad \\u escape")
            }
            value = value << 4 | UInt32(digit)
        }
        index += 4
        return value
    }
}

extension TemplateMap {
    /// A JSON object a store wrote (event data, an outbox payload, a timer's data); `what`
    /// names it in the error when the text is not an object.
    package init(storedJSON text: String, what: String) throws(JSONValueError) {
        guard case .map(let map) = try TemplateValue(storedJSON: text) else {
            throw JSONValueError(message: "\(what) is not an object", offset: 0)
        }
        self = map
    }
}
