import FlowDSL
import OrderedCollections

/// The `vault` template scope, twice: the real values (for text the user is deliberately
/// shown, and for integrations talking to their services) and placeholders `[vault.KEY]` (for
/// everything kept: the ledger, scopes, transcripts, logs).
public struct VaultScope: Sendable {
    public let values: TemplateValue
    public let redacted: TemplateValue
    public var hasValues: Bool { if case .map(let map) = values { !map.isEmpty } else { false } }

    public static let empty = VaultScope(flat: [:])

    /// Builds both scopes from flat dotted keys (`twilio.account_sid`), nesting them as Meya does.
    public init(flat: [String: TemplateValue]) {
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
