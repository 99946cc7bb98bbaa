import FlowDSL
import Foundation
import OrderedCollections
import Vault

extension VaultScope {
    /// The scope of decrypted vault values (flat dotted keys).
    public init(secrets: [String: VaultValue]) {
        self.init(flat: secrets.mapValues(TemplateValue.init(vaultValue:)))
    }

    /// The app's stored vault, opened with its secret key. Keys in `placeholders` (those
    /// `vault.yaml` names) that are not stored yet read as `[vault.KEY]`, so a new app runs
    /// before its secrets are uploaded. A stored value that does not open (sealed to another
    /// app's key) reads as its placeholder too and is passed to `unreadable` with why, so one
    /// bad value never stops a start; a vault with no secret key at hand is an error.
    public static func load(app root: URL, placeholders: some Sequence<String> = [String](),
                            environment: [String: String] = ProcessInfo.processInfo.environment,
                            unreadable: (_ key: String, _ error: VaultError) -> Void = { _, _ in }) throws -> VaultScope {
        let vault = AppVault(app: root, environment: environment)
        var flat: [String: TemplateValue] = [:]
        for key in placeholders { flat[key] = .string("[vault.\(key)]") }
        if try vault.store(creating: false) != nil, !(try vault.entries().isEmpty) {
            let opened = try vault.openValues()
            for (key, value) in opened.values { flat[key] = TemplateValue(vaultValue: value) }
            for (key, error) in opened.unreadable {
                flat[key] = .string("[vault.\(key)]")
                unreadable(key, error)
            }
        }
        return VaultScope(flat: flat)
    }
}

extension TemplateValue {
    /// The template value of a vault value.
    public init(vaultValue: VaultValue) {
        switch vaultValue {
        case .string(let text): self = .string(text)
        case .int(let number): self = .int(number)
        case .double(let number): self = .double(number)
        case .bool(let flag): self = .bool(flag)
        case .null: self = .none
        case .list(let items): self = .list(items.map(TemplateValue.init(vaultValue:)))
        case .map(let map):
            var result = TemplateMap()
            for key in map.keys.sorted() { result[key] = TemplateValue(vaultValue: map[key]!) }
            self = .map(result)
        }
    }
}
