import FlowDSL
import Foundation
import OrderedCollections
import Vault

extension VaultScope {
    /// The scope of decrypted vault values (flat dotted keys).
    public init(secrets: [String: VaultValue]) {
        self.init(flat: secrets.mapValues(TemplateValue.init(vaultValue:)))
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
