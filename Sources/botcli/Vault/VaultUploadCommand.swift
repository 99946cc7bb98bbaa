import ArgumentParser
import BotServer
import Foundation
import ParleyApp
import Vault

/// `botcli vault upload`: seal and store the values of a secrets file, here or on a running server.
struct VaultUploadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upload",
        abstract: "Seal every value of a secrets file and store them in the vault, all or none.",
        discussion: """
            The file maps flat dotted keys to values, as Meya's vault.secret.yaml does: \
            `twilio.account_sid: AC…`; any YAML value works (quote numbers meant as text, like \
            '+1800…'). A YAML mistake is reported as file:line:col, an empty value or a key \
            written twice by its name, and nothing is stored. The report lists keys added, \
            changed and unchanged, never values. Telling unchanged values apart needs the secret \
            key; with only the public key every key already stored is rewritten. Stored keys the \
            file does not mention are kept.

            With --to URL the values are sealed here, with the app's public key, and only the \
            ciphertexts are sent to the running server's PUT /admin/vault (`botcli serve` with \
            an admin token), which stores them in one transaction and starts using them at \
            once. The token comes from --admin-token-file FILE or PARLEY_ADMIN_TOKEN. Use an \
            https:// URL for any server that is not on this machine: the token is a password.
              botcli vault upload --file vault.secret.yaml --to https://bot.example.com \\
                --admin-token-file admin.token

            Without --to the values go into the vault the app's `botcli serve` reads: the app's \
            .parley/state.sqlite, or with --store (or PARLEY_DATABASE_URL) the PostgreSQL database \
            its replicas share, whose running replicas start using them at once.
            """
    )

    @OptionGroup var options: AppOptions
    @OptionGroup var location: VaultStoreOptions

    @Option(name: .long, help: ArgumentHelp("The secrets file to upload, e.g. vault.secret.yaml.", valueName: "file"))
    var file: String

    @Option(name: .long, help: ArgumentHelp("A running server's URL (its --public-url, e.g. https://bot.example.com): "
                                            + "send the sealed values to its admin API instead of the local store.",
                                            valueName: "url"))
    var to: String?

    @Option(name: .customLong("admin-token-file"),
            help: ArgumentHelp("With --to: a file holding the server's admin token (default: $PARLEY_ADMIN_TOKEN).",
                               valueName: "file"))
    var adminTokenFile: String?

    func validate() throws {
        if to != nil, location.store != nil { throw ValidationError("--store and --to: give one (the store here, or a running server)") }
        guard let to else {
            if adminTokenFile != nil { throw ValidationError("--admin-token-file goes with --to URL") }
            return
        }
        do {
            _ = try AdminVaultUploadClient(to: to, token: try requiredToken())
        } catch let error as AdminVaultUploadClientError {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        if let to {
            try await upload(to: to)
            return
        }
        let report = try await location.perform(options) { vault async throws(VaultError) in
            let secrets = try VaultSecretFile(contentsOf: URL(fileURLWithPath: file), file: file)
            return try await vault.upload(secrets)
        }
        for (label, keys) in [("added", report.added), ("changed", report.changed), ("unchanged", report.unchanged),
                              ("kept", report.kept)] where !keys.isEmpty {
            print("\(label): \(keys.joined(separator: ", "))")
        }
        if !report.compared {
            print("note: only the public key is available, so unchanged keys could not be detected: "
                  + "every key already stored counts as changed (set \(VaultKeyring.secretKeyVariable) "
                  + "or keep .parley/vault.key to compare)")
        }
    }

    private func requiredToken() throws -> BearerSecret {
        guard let token = try BearerSecretSource.admin.read(file: adminTokenFile) else {
            throw ValidationError("--to needs the admin token: pass --admin-token-file FILE or set \(BearerSecretSource.admin.variable)")
        }
        return token
    }

    /// Seals here, sends ciphertexts only.
    private func upload(to url: String) async throws {
        let remote = try AdminVaultUploadClient(to: url, token: try requiredToken())
        let sealed = try await VaultCommand.perform { () throws(VaultError) in
            let secrets = try VaultSecretFile(contentsOf: URL(fileURLWithPath: file), file: file)
            return try AppVault(app: options.url).seal(secrets.entries.map { ($0.key, $0.value) })
        }
        if remote.isCleartextOverNetwork {
            Terminal.error("warning: \(remote.endpoint.absoluteString) is plain http to another machine: the admin token "
                           + "crosses the network unencrypted; use https://")
        }
        let report: AdminVaultUploadClient.Report
        do {
            report = try await remote.send(sealed)
        } catch {
            let admin = BearerSecretSource.admin
            let hint = switch error {
            case .unauthorized: " (\(admin.option) or \(admin.variable))"
            case .adminAPIOff: " (`botcli serve` with \(admin.option) FILE or \(admin.variable))"
            default: ""
            }
            Terminal.error("error: \(error)\(hint)")
            throw ExitCode(1)
        }
        for (label, keys) in [("added", report.added), ("changed", report.changed)] where !keys.isEmpty {
            print("\(label): \(keys.joined(separator: ", "))")
        }
        print("stored \(sealed.count) sealed value\(sealed.count == 1 ? "" : "s") on \(remote.endpoint.absoluteString)")
        switch report.reloaded {
        case true?: print("the running bot uses the new values now")
        case false?: print("note: the running bot did not take the new values (still starting, or it could not read them back: "
                           + "its log says); restart it to use them")
        case nil: print("note: restart the server to use the new values")
        }
    }
}
