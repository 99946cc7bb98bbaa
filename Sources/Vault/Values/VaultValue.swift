import Foundation

/// One value stored under a vault key: any YAML value Meya allows (text, numbers, booleans,
/// lists, maps, null).
///
/// It exists as its own type, rather than `Any` or a template value, because Vault knows
/// nothing of the template language: the runtime converts it to its own scope type. Sealed as
/// its JSON encoding (keys sorted, so equal values seal equal plaintexts). A whole-number
/// float (`1.0`) comes back as the integer `1`, as JSON does not keep the difference.
///
/// `description` never shows the value: printing a `VaultValue` by accident (a log line, a
/// failed test expectation) prints a mask.
public enum VaultValue: Sendable, Hashable, Codable, CustomStringConvertible, CustomDebugStringConvertible {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case list([VaultValue])
    case map([String: VaultValue])
    case null

    /// The fixed text shown wherever a value is listed but must not be revealed.
    public static let mask = "••••••"

    public var description: String { Self.mask }
    public var debugDescription: String { "VaultValue(\(Self.mask))" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let int = try? container.decode(Int.self) {
            self = .int(int)
        } else if let double = try? container.decode(Double.self) {
            self = .double(double)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let list = try? container.decode([VaultValue].self) {
            self = .list(list)
        } else if let map = try? container.decode([String: VaultValue].self) {
            self = .map(map)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a vault value")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let string): try container.encode(string)
        case .int(let int): try container.encode(int)
        case .double(let double): try container.encode(double)
        case .bool(let bool): try container.encode(bool)
        case .list(let list): try container.encode(list)
        case .map(let map): try container.encode(map)
        case .null: try container.encodeNil()
        }
    }

    /// The value is "empty" in the sense of an upload mistake: null or the empty string.
    public var isEmpty: Bool {
        switch self {
        case .null: return true
        case .string(let string): return string.isEmpty
        default: return false
        }
    }
}

extension VaultValue {
    /// The JSON bytes that get sealed; the caller wipes them.
    func sealedJSON(key: String) throws(VaultError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            var data = try encoder.encode(self)
            defer { data.resetBytes(in: 0..<data.count) }
            return [UInt8](data)
        } catch {
            throw .unsealable(key: key)
        }
    }

    /// The value from opened JSON bytes.
    init(sealedJSON bytes: [UInt8], key: String) throws(VaultError) {
        var data = Data(bytes)
        defer { data.resetBytes(in: 0..<data.count) }
        do {
            self = try JSONDecoder().decode(VaultValue.self, from: data)
        } catch {
            throw .corruptValue(key: key)
        }
    }
}
