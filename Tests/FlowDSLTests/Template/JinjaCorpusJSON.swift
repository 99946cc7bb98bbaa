import FlowDSL
import Foundation

/// A minimal JSON reader for the Jinja corpus that keeps object key order and tells ints from floats
/// (floats arrive as {"$float": "<Python repr>"}, see Fixtures/jinja/generate.py).
enum JinjaCorpusJSON: Equatable {
    case null, bool(Bool), number(String), string(String), array([JinjaCorpusJSON]), object([(String, JinjaCorpusJSON)])

    static func == (a: JinjaCorpusJSON, b: JinjaCorpusJSON) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)), (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)): return x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
        default: return false
        }
    }

    struct ParseError: Error, CustomStringConvertible {
        let offset: Int
        var description: String { "invalid JSON at byte \(offset)" }
    }

    static func parse(_ data: [UInt8]) throws -> JinjaCorpusJSON {
        var parser = Parser(bytes: data)
        let value = try parser.value()
        parser.skipSpace()
        guard parser.i == data.count else { throw ParseError(offset: parser.i) }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var i = 0

        mutating func skipSpace() {
            while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 }
        }

        mutating func literal(_ word: String) throws {
            for b in word.utf8 {
                guard i < bytes.count, bytes[i] == b else { throw ParseError(offset: i) }
                i += 1
            }
        }

        mutating func value() throws -> JinjaCorpusJSON {
            skipSpace()
            guard i < bytes.count else { throw ParseError(offset: i) }
            switch bytes[i] {
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "["):
                i += 1
                var items: [JinjaCorpusJSON] = []
                skipSpace()
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                while true {
                    items.append(try value())
                    skipSpace()
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    guard bytes[i] == UInt8(ascii: "]") else { throw ParseError(offset: i) }
                    i += 1
                    return .array(items)
                }
            case UInt8(ascii: "{"):
                i += 1
                var pairs: [(String, JinjaCorpusJSON)] = []
                skipSpace()
                if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(pairs) }
                while true {
                    skipSpace()
                    let key = try string()
                    skipSpace()
                    guard bytes[i] == UInt8(ascii: ":") else { throw ParseError(offset: i) }
                    i += 1
                    pairs.append((key, try value()))
                    skipSpace()
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    guard bytes[i] == UInt8(ascii: "}") else { throw ParseError(offset: i) }
                    i += 1
                    return .object(pairs)
                }
            default:
                let start = i
                while i < bytes.count, "+-0123456789.eE".utf8.contains(bytes[i]) { i += 1 }
                guard i > start else { throw ParseError(offset: i) }
                return .number(String(decoding: bytes[start..<i], as: UTF8.self))
            }
        }

        mutating func hex4() throws -> UInt32 {
            guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16) else {
                throw ParseError(offset: i)
            }
            i += 4
            return v
        }

        mutating func string() throws -> String {
            guard bytes[i] == UInt8(ascii: "\"") else { throw ParseError(offset: i) }
            i += 1
            var out: [UInt8] = []
            while i < bytes.count {
                let b = bytes[i]
                if b == UInt8(ascii: "\"") {
                    i += 1
                    return String(decoding: out, as: UTF8.self)
                }
                if b == UInt8(ascii: "\\") {
                    i += 1
                    let e = bytes[i]
                    i += 1
                    var scalar: UInt32?
                    switch e {
                    case UInt8(ascii: "n"): scalar = 0x0A
                    case UInt8(ascii: "t"): scalar = 0x09
                    case UInt8(ascii: "r"): scalar = 0x0D
                    case UInt8(ascii: "b"): scalar = 0x08
                    case UInt8(ascii: "f"): scalar = 0x0C
                    case UInt8(ascii: "u"):
                        var v = try hex4()
                        if v >= 0xD800 && v < 0xDC00, i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\") {
                            i += 2
                            let low = try hex4()
                            v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
                        }
                        scalar = v
                    default: out.append(e)
                    }
                    if let scalar, let u = Unicode.Scalar(scalar) { out.append(contentsOf: Array(String(u).utf8)) }
                    continue
                }
                out.append(b)
                i += 1
            }
            throw ParseError(offset: i)
        }
    }

    subscript(key: String) -> JinjaCorpusJSON? {
        if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }

    var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }

    /// Corpus encoding → TemplateValue.
    var templateValue: TemplateValue {
        switch self {
        case .null: return .none
        case .bool(let b): return .bool(b)
        case .number(let n): return Int(n).map { .int($0) } ?? .double(Double(n) ?? .nan)
        case .string(let s): return .string(s)
        case .array(let items): return .list(items.map(\.templateValue))
        case .object(let pairs):
            if pairs.count == 1, pairs[0].0 == "$float", case .string(let repr) = pairs[0].1 {
                return .double(Double(repr) ?? .nan)
            }
            var map = TemplateMap()
            for (k, v) in pairs { map[k] = v.templateValue }
            return .map(map)
        }
    }
}

extension JinjaCorpusJSON {
    /// Exact comparison for corpus results: int vs float matters, NaN equals NaN, -0.0 differs from 0.0,
    /// strings compare by code points, dict order matters.
    static func equal(_ a: TemplateValue, _ b: TemplateValue) -> Bool {
        switch (a, b) {
        case (.none, .none): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.double(let x), .double(let y)): return (x.isNaN && y.isNaN) || (x == y && x.sign == y.sign)
        case (.string(let x), .string(let y)): return x.unicodeScalars.elementsEqual(y.unicodeScalars)
        case (.list(let x), .list(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.map(let x), .map(let y)):
            return x.keys.elementsEqual(y.keys) { $0.unicodeScalars.elementsEqual($1.unicodeScalars) }
                && zip(x.values, y.values).allSatisfy { equal($0, $1) }
        default: return false
        }
    }

    /// Loads Fixtures/jinja/corpus.json from the test bundle, or next to the sources as a fallback.
    /// Set PARLEY_JINJA_CORPUS to a file path to run another corpus (e.g. a generated differential one).
    static func loadCorpus() throws -> [JinjaCorpusJSON] {
        var url = Bundle.module.url(forResource: "corpus", withExtension: "json", subdirectory: "Fixtures/jinja")
        if let path = ProcessInfo.processInfo.environment["PARLEY_JINJA_CORPUS"] { url = URL(fileURLWithPath: path) }
        if url == nil {
            url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Fixtures/jinja/corpus.json")
        }
        let data = try Data(contentsOf: url!)
        guard case .array(let cases) = try JinjaCorpusJSON.parse(Array(data)) else { return [] }
        return cases
    }
}
