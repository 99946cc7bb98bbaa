/// Replaces every vault value found in a text with `[vault.KEY]`.
///
/// It exists for the last line of defence: whatever is about to be shown (a log line, a
/// transcript, an error from a vendor's API echoing a credential back) can be passed through
/// `redact` so that a secret shows as the name of its key instead. Leaves shorter than
/// `minimumLength` characters (`1`, `true`, `us`) are not replaced: they are not secrets and
/// replacing them would garble every text.
public struct VaultRedactor: Sendable {
    /// Each secret's text and the placeholder that replaces it, longest text first.
    private let replacements: [(text: String, placeholder: String)]

    public init(values: [String: VaultValue], minimumLength: Int = 4) {
        var found: [(String, String)] = []
        for key in values.keys.sorted() {
            Self.collect(values[key]!, key: key, minimumLength: minimumLength, into: &found)
        }
        replacements = found.sorted { $0.0.count > $1.0.count }
    }

    /// The text to show instead of the value of `key`.
    public static func placeholder(for key: String) -> String { "[vault.\(key)]" }

    /// `text` with every vault value replaced by its placeholder.
    public func redact(_ text: String) -> String {
        var result = text
        for (secret, placeholder) in replacements where result.contains(secret) {
            result = result.replacing(secret, with: placeholder)
        }
        return result
    }

    private static func collect(_ value: VaultValue, key: String, minimumLength: Int, into found: inout [(String, String)]) {
        let text: String
        switch value {
        case .string(let string): text = string
        case .int(let int): text = String(int)
        case .double(let double): text = String(double)
        case .bool, .null: return
        case .list(let list):
            for (index, item) in list.enumerated() {
                collect(item, key: "\(key).\(index)", minimumLength: minimumLength, into: &found)
            }
            return
        case .map(let map):
            for name in map.keys.sorted() {
                collect(map[name]!, key: "\(key).\(name)", minimumLength: minimumLength, into: &found)
            }
            return
        }
        if text.count >= minimumLength { found.append((text, placeholder(for: key))) }
    }
}
