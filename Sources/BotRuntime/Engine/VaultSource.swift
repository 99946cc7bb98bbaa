import FlowDSL
import Foundation
import Vault

/// Where an engine's `vault` scope is read from: the app's vault (its keys, and the store its
/// sealed values live in: the app's SQLite file, or the database replicas share) and the keys
/// `vault.yaml` names. Read at start and again whenever the stored vault changes
/// (`BotEngine.reloadVault()`).
public struct VaultSource: Sendable {
    public let vault: AppVault
    /// Keys that read as `[vault.KEY]` until a value is stored.
    public let placeholders: [String]
    private let unreadable: @Sendable (_ key: String, _ error: VaultError) -> Void

    /// - Parameter unreadable: told of each stored value that does not open (its key and why).
    public init(vault: AppVault, placeholders: some Sequence<String> = [String](),
                unreadable: @escaping @Sendable (_ key: String, _ error: VaultError) -> Void = { _, _ in }) {
        self.vault = vault
        self.placeholders = Array(placeholders)
        self.unreadable = unreadable
    }

    /// The stored vault, opened with the secret key. Keys in `placeholders` that are not stored
    /// yet read as `[vault.KEY]`, so a new app runs before its secrets are uploaded. A stored
    /// value that does not open (sealed to another app's key) reads as its placeholder too and
    /// is passed to `unreadable`, so one bad value never stops a start; a vault with values and
    /// no secret key at hand is an error. The store is read once.
    public func load() async throws(VaultError) -> VaultScope {
        var flat: [String: TemplateValue] = [:]
        for key in placeholders { flat[key] = .string("[vault.\(key)]") }
        let opened = try await vault.openValues()
        for (key, value) in opened.values { flat[key] = TemplateValue(vaultValue: value) }
        for (key, error) in opened.unreadable {
            flat[key] = .string("[vault.\(key)]")
            unreadable(key, error)
        }
        return VaultScope(flat: flat, sensitive: Self.sensitiveValues(vault.keyring))
    }

    /// Meya's sensitive values sealed to the app's vault public key (under the name
    /// `sensitive`) and opened with its secret key; nil without a key pair.
    static func sensitiveValues(_ keyring: VaultKeyring) -> SensitiveValues? {
        guard let keys = try? keyring.sealingKeys() else { return nil }
        let publicKey = keys.publicKey, secretKey = keys.secretKey
        let seal: @Sendable (TemplateValue) -> String? = { value in
            guard let ciphertext = try? publicKey.seal(.string(value.jsonText), key: sensitiveKeyName) else { return nil }
            return SensitiveValues.token(ciphertext.base64EncodedString())
        }
        guard let secretKey else { return SensitiveValues(seal: seal, open: nil) }
        let open: @Sendable (String) -> TemplateValue? = { token in
            guard let text = SensitiveValues.ciphertext(of: token), let ciphertext = Data(base64Encoded: text),
                  case .string(let json)? = try? secretKey.open(ciphertext, key: sensitiveKeyName) else { return nil }
            return try? TemplateValue(jsonText: json)
        }
        return SensitiveValues(seal: seal, open: open)
    }

    /// The name sensitive values are sealed under (a sealed value names its key).
    static let sensitiveKeyName = "sensitive"
}
