import FlowDSL
import OrderedCollections

/// The `vault` template scope, twice: the real values (for text the user is deliberately
/// shown, and for integrations talking to their services) and placeholders `[vault.KEY]` (for
/// everything kept: the ledger, scopes, transcripts, logs).
public struct VaultScope: Sendable {
    public let values: TemplateValue
    public let redacted: TemplateValue
    /// Sealing and opening Meya's sensitive values with the app's vault key pair; nil without one.
    public let sensitive: SensitiveValues?
    public var hasValues: Bool { if case .map(let map) = values { !map.isEmpty } else { false } }

    public static let empty = VaultScope(flat: [:])

    /// Builds both scopes from flat dotted keys (`twilio.account_sid`), nesting them as Meya does.
    public init(flat: [String: TemplateValue], sensitive: SensitiveValues? = nil) {
        self.sensitive = sensitive
        var values = TemplateMap(), redacted = TemplateMap()
        for key in flat.keys.sorted() {
            let path = key.split(separator: ".").map(String.init)
            Self.insert(flat[key]!, at: path[...], into: &values)
            Self.insert(.string("[vault.\(key)]"), at: path[...], into: &redacted)
        }
        self.values = .map(values)
        self.redacted = .map(redacted)
    }

    private static func insert(_ value: TemplateValue, at path: ArraySlice<String>, into map: inout TemplateMap) {
        guard let head = path.first else { return }
        if path.count == 1 {
            map[head] = value
            return
        }
        var child = TemplateMap()
        if case .map(let existing)? = map[head] { child = existing }
        insert(value, at: path.dropFirst(), into: &child)
        map[head] = .map(child)
    }
}

extension VaultScope {
    /// `event` as it was shown when its turn ran: the `[vault.KEY]` placeholders the ledger
    /// keeps in its `text` (the one field a turn shows with real values) replaced by the value
    /// the user saw (the current one). For the answer to a retried delivery, which is read
    /// back from the ledger; nothing is stored.
    public func revealed(_ event: Event) -> Event {
        guard hasValues, event.sender != .user, case .string(let text)? = event.data["text"], text.contains("[vault.") else { return event }
        var event = event
        event.data["text"] = .string(reveal(text))
        return event
    }

    private func reveal(_ text: String) -> String {
        var result = "", rest = Substring(text)
        while let start = rest.range(of: "[vault."), let end = rest[start.upperBound...].firstIndex(of: "]") {
            result += rest[..<start.lowerBound]
            let key = rest[start.upperBound..<end]
            if let value = lookup(key.split(separator: ".").map(String.init)[...], in: values) {
                result += value.pythonString
            } else {
                result += rest[start.lowerBound...end]
            }
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    private func lookup(_ path: ArraySlice<String>, in value: TemplateValue) -> TemplateValue? {
        guard let head = path.first else { return value }
        guard case .map(let map) = value, let child = map[head] else { return nil }
        return lookup(path.dropFirst(), in: child)
    }
}
