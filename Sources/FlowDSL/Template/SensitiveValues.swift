/// Meya's sensitive data (`encrypt_sensitive` and its sister filters), as Parley keeps it: a
/// value is sealed into a token, `[sensitive:BASE64]`, that scopes keep like any text. Text a
/// user is shown has each token opened; text that is kept (the ledger, transcripts, logs) has
/// `[redacted]` in its place, as vault values become `[vault.KEY]`. Only contexts that render
/// what users are shown or services are sent can open a token.
public struct SensitiveValues: Sendable {
    /// Seals a value into a token; nil when it cannot be sealed.
    public var seal: @Sendable (TemplateValue) -> String?
    /// Opens a token; nil where the value must not be seen (contexts for what is kept).
    public var open: (@Sendable (String) -> TemplateValue?)?

    public init(seal: @escaping @Sendable (TemplateValue) -> String?, open: (@Sendable (String) -> TemplateValue?)?) {
        self.seal = seal
        self.open = open
    }

    /// The same, unable to open tokens.
    public var sealingOnly: SensitiveValues { SensitiveValues(seal: seal, open: nil) }

    public static let prefix = "[sensitive:"
    /// What stands for a sensitive value in what is kept (Meya's `REDACTED_TEXT`).
    public static let redacted = "[redacted]"

    /// A token for `ciphertext` (base64).
    public static func token(_ ciphertext: String) -> String { prefix + ciphertext + "]" }

    /// The ciphertext of `text` when the whole text is one token.
    public static func ciphertext(of text: String) -> String? {
        guard text.hasPrefix(prefix), text.hasSuffix("]"), text.count > prefix.count + 1 else { return nil }
        let body = text.dropFirst(prefix.count).dropLast()
        return body.contains("]") ? nil : String(body)
    }

    /// `value` with every token in its text replaced: opened by `open`, else `[redacted]`.
    public static func replacingTokens(in value: TemplateValue, open: ((String) -> TemplateValue?)?) -> TemplateValue {
        switch value {
        case .string(let text) where text.contains(prefix):
            var result = "", rest = Substring(text)
            while let start = rest.range(of: prefix), let end = rest[start.upperBound...].firstIndex(of: "]") {
                result += rest[..<start.lowerBound]
                result += open?(String(rest[start.lowerBound...end]))?.pythonString ?? redacted
                rest = rest[rest.index(after: end)...]
            }
            return .string(result + rest)
        case .list(let items):
            return .list(items.map { replacingTokens(in: $0, open: open) })
        case .map(let map):
            return .map(map.mapValues { replacingTokens(in: $0, open: open) })
        default:
            return value
        }
    }

    /// Whether `value` holds a token anywhere in its text.
    public static func holdsToken(_ value: TemplateValue) -> Bool {
        switch value {
        case .string(let text): text.contains(prefix)
        case .list(let items): items.contains(where: holdsToken)
        case .map(let map): map.values.contains(where: holdsToken)
        default: false
        }
    }
}
