import Foundation

/// One decoded form parameter.
///
/// Twilio's webhooks and REST calls carry their data as `application/x-www-form-urlencoded`
/// name/value pairs; this is one of them, already decoded.
public struct TwilioFormField: Sendable, Equatable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A form-encoded body/query as Twilio sends it: ordered fields, duplicates kept.
///
/// It exists because Twilio repeats names for list parameters (`WebhookFilters=a&WebhookFilters=b`),
/// signs decoded values, and its official client encodes in one exact way (Python's
/// `urllib.parse.urlencode`); a dictionary would lose order and repeats, and Foundation's
/// encoders differ from Python's on `+`, `~` and reserved characters.
public struct TwilioForm: Sendable, Equatable, Hashable {
    public var fields: [TwilioFormField]

    public init(_ fields: [TwilioFormField] = []) {
        self.fields = fields
    }

    public init(_ pairs: KeyValuePairs<String, String>) {
        self.fields = pairs.map { TwilioFormField(name: $0.key, value: $0.value) }
    }

    /// Decodes `application/x-www-form-urlencoded` ('+' is a space; percent-escapes UTF-8).
    /// Throws TwilioWireError.malformedForm naming the offending part.
    ///
    /// Empty parts (`a=1&&b=2`) are skipped; a part without `=` is a name with an empty value,
    /// as Python's `parse_qsl(keep_blank_values=True)` reads them.
    public init(encoded: String) throws(TwilioWireError) {
        var fields: [TwilioFormField] = []
        for part in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let name: Substring, value: Substring
            if let equals = part.firstIndex(of: "=") {
                name = part[..<equals]
                value = part[part.index(after: equals)...]
            } else {
                name = part
                value = ""
            }
            guard let decodedName = Self.decodeComponent(name), let decodedValue = Self.decodeComponent(value) else {
                throw .malformedForm(String(part))
            }
            fields.append(TwilioFormField(name: decodedName, value: decodedValue))
        }
        self.fields = fields
    }

    /// The first value of `name`, if any.
    public subscript(name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// Every value of `name`, in order (list parameters repeat their name).
    public func values(_ name: String) -> [String] {
        fields.filter { $0.name == name }.map(\.value)
    }

    /// The distinct names, in order of first appearance.
    public var names: [String] {
        var seen = Set<String>()
        return fields.compactMap { seen.insert($0.name).inserted ? $0.name : nil }
    }

    public mutating func append(_ name: String, _ value: String) {
        fields.append(TwilioFormField(name: name, value: value))
    }

    /// Encoded exactly as twilio-python (urllib.parse.urlencode) does: space → '+', unreserved
    /// kept, the rest %XX upper-case.
    public var encoded: String {
        fields.map { Self.encodeComponent($0.name) + "=" + Self.encodeComponent($0.value) }.joined(separator: "&")
    }

    /// One name or value as `quote_plus(text, safe='')` writes it: ASCII letters, digits and
    /// `_.-~` as they are, space as `+`, every other UTF-8 byte as `%XX` (upper-case hex).
    public static func encodeComponent(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "~"):
                bytes.append(byte)
            case UInt8(ascii: " "):
                bytes.append(UInt8(ascii: "+"))
            default:
                bytes.append(UInt8(ascii: "%"))
                bytes.append(hexDigits[Int(byte >> 4)])
                bytes.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// One encoded name or value decoded; nil for a broken `%` escape or bytes that are not UTF-8.
    public static func decodeComponent(_ text: some StringProtocol) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                bytes.append(high << 4 | low)
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension TwilioForm: ExpressibleByDictionaryLiteral {
    /// `["From": "bot", "Body": "hi"]`, in the order written.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.fields = elements.map { TwilioFormField(name: $0.0, value: $0.1) }
    }
}

extension TwilioForm: Sequence {
    public func makeIterator() -> IndexingIterator<[TwilioFormField]> { fields.makeIterator() }
}
