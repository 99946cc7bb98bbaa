import ArgumentParser
import ParleyApp
import Vault

/// `botcli vault`: the app's secrets, sealed at rest with libsodium.
struct VaultCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vault",
        abstract: "Keep the app's secrets (API keys, tokens) sealed: keys, upload, list, remove, check.",
        discussion: """
            Templates read secrets as `(@ vault.twilio.account_sid )`. Commit `vault.yaml` naming \
            every key with a placeholder (`twilio.account_sid: xxx`); keep the real values in \
            `vault.secret.yaml`, out of git, and upload it. Values are sealed to the app's public \
            key (.parley/vault.pub, or PARLEY_VAULT_PUBLIC_KEY) and stored as ciphertext in \
            .parley/state.sqlite, or with --store URL (or PARLEY_DATABASE_URL) in the PostgreSQL \
            database `botcli serve` replicas share; only the secret key (.parley/vault.key, mode 0600, or \
            PARLEY_VAULT_SECRET_KEY in base64 on a deployment) opens them. No command prints a \
            value: listings show `••••••`, messages name keys only.

            Start with `botcli vault keygen`, then `botcli vault upload --file vault.secret.yaml`, \
            and `botcli vault check` to find keys the app uses but the vault lacks.
            """,
        subcommands: [VaultKeygenCommand.self, VaultUploadCommand.self, VaultListCommand.self,
                      VaultRemoveCommand.self, VaultCheckCommand.self]
    )

    /// Runs a vault operation; a `VaultError` is printed to standard error (with `hint` when
    /// given one for it) and ends the command with status 1.
    static func perform<T>(hint: (VaultError) -> String? = { _ in nil }, _ body: () async throws(VaultError) -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            Terminal.error("error: \(error)")
            if let extra = hint(error) ?? defaultHint(error) { Terminal.error("hint: \(extra)") }
            throw ExitCode(1)
        }
    }

    private static func defaultHint(_ error: VaultError) -> String? {
        switch error {
        case .cannotOpen(let key):
            return "if the key pair was replaced, upload the value again after `botcli vault rm \(key)`"
        default:
            return nil
        }
    }
}
