import ArgumentParser
import Foundation
import Vault

/// `botcli vault upload`: seal and store the values of a secrets file.
struct VaultUploadCommand: ParsableCommand {
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
            """
    )

    @OptionGroup var options: AppOptions

    @Option(name: .long, help: ArgumentHelp("The secrets file to upload, e.g. vault.secret.yaml.", valueName: "file"))
    var file: String

    func run() throws {
        let vault = AppVault(app: options.url)
        let report = try VaultCommand.perform { () throws(VaultError) in
            let secrets = try VaultSecretFile(contentsOf: URL(fileURLWithPath: file), file: file)
            return try vault.upload(secrets)
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
}
