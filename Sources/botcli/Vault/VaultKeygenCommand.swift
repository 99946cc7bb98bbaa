import ArgumentParser
import ParleyApp
import Vault

/// `botcli vault keygen`: create the app's vault key pair.
struct VaultKeygenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Create the vault key pair: .parley/vault.key (secret) and .parley/vault.pub.",
        discussion: """
            The secret key file is created with mode 0600 and must stay private: it is the only \
            way to open the stored values. Keep it out of git; on a deployment put its content in \
            PARLEY_VAULT_SECRET_KEY instead. The public key (vault.pub, safe to share or commit) \
            is all an upload needs. An existing key is never replaced without --force, because \
            values sealed to it could no longer be read.
            """
    )

    @OptionGroup var options: AppOptions

    @Flag(name: .long, help: "Replace an existing key pair; values stored with the old key become unreadable.")
    var force = false

    func run() async throws {
        let vault = AppVault(app: options.url)
        let key = try await VaultCommand.perform(hint: { error in
            guard case .keyExists = error else { return nil }
            return "pass --force to replace it; the values stored in the vault can then no longer be read and must be uploaded again"
        }) { () throws(VaultError) in
            try vault.keyring.generate(force: force)
        }
        print("created \(vault.keyring.secretKeyPath) (secret, mode 0600) and \(vault.keyring.publicKeyPath)")
        print("public key: \(key.publicKey.base64)")
        let stored = (try? await vault.entries().count) ?? 0
        if stored > 0 {
            Terminal.error("warning: \(stored) stored key\(stored == 1 ? " was" : "s were") sealed to the old key "
                           + "and can no longer be read; upload \(stored == 1 ? "it" : "them") again")
        }
    }
}
