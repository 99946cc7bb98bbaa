import ArgumentParser
import Foundation
import ParleyApp
import Vault

/// `botcli init`: a new bot app from the template shipped inside botcli.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new bot app from Parley's template.",
        discussion: """
            Writes a small working app into DIR: the bot element, config.yaml, vault.yaml with \
            placeholders, a .gitignore for secrets and local state, flows (a pre-chat that greets \
            and asks what the user needs, and a few that show jumps, sub-flows and templates) and \
            conversation tests under tests/. DIR must not exist or be empty.

            The vault starts with a key pair (.parley/vault.key, like `botcli vault keygen`) and \
            a harmless example value for the one secret the bot shows users, `support_phone` \
            (+1 555 0100, a fictional number), written to vault.secret.yaml (which git ignores) \
            and uploaded: the bot never shows a user a `[vault.support_phone]` placeholder. Put \
            your number there and run `botcli vault upload`. Then:

              cd DIR && botcli test        # run its conversation tests
              botcli simulate              # talk to it
            """
    )

    @Argument(help: ArgumentHelp("The folder to create the app in.", valueName: "dir"))
    var directory: String

    func run() async throws {
        let root = URL(fileURLWithPath: directory)
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: root.path, isDirectory: &isDirectory) {
            let contents = isDirectory.boolValue ? try manager.contentsOfDirectory(atPath: root.path) : []
            guard isDirectory.boolValue, contents.isEmpty else {
                Terminal.error(isDirectory.boolValue
                    ? "error: \(directory) is not empty (\(contents.count) item\(contents.count == 1 ? "" : "s")); nothing was written. Choose a new or empty folder."
                    : "error: \(directory) exists and is not a folder")
                throw ExitCode(1)
            }
        }
        for file in AppTemplate.files {
            let url = root.appendingPathComponent(file.path)
            try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try file.contents.write(to: url, options: .withoutOverwriting)
        }
        try await Self.storeExampleSecrets(in: root)
        print("Created a Parley bot app in \(directory) (\(AppTemplate.files.count + 1) files) and its vault, "
              + "with an example `support_phone` (edit vault.secret.yaml, then `botcli vault upload`). Next:")
        print("  cd \(directory)")
        print("  botcli test        # run its conversation tests")
        print("  botcli simulate    # talk to it")
        print("  botcli simulate --flex   # …and hand the chat to a human agent in a local Flex emulator")
    }

    /// What `vault.secret.yaml` starts with: the values the bot shows users, as harmless examples.
    static let exampleSecrets = """
        # The vault's values, never committed (.gitignore lists this file). After a change run
        # `botcli vault upload`; `botcli vault check` compares the vault with what the app uses.
        support_phone: "+1 555 0100"   # an example: 555-0100 numbers are fictional; put yours
        # For Twilio (integration/twilio/), once you have an account; `botcli simulate --flex`
        # and `--sms` need none of them:
        # twilio.account_sid: AC…
        # twilio.api_key_sid: SK…
        # twilio.api_key_secret: …
        # twilio.auth_token: …
        # twilio_flex.workspace_sid: WS…
        # twilio_flex.workflow_sid: WW…

        """

    /// Writes `vault.secret.yaml` (mode 0600), creates the vault's key pair and stores its values.
    private static func storeExampleSecrets(in root: URL) async throws {
        let file = root.appendingPathComponent("vault.secret.yaml")
        guard FileManager.default.createFile(atPath: file.path, contents: Data(exampleSecrets.utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw ValidationError("cannot write \(file.path)")
        }
        let vault = AppVault(app: root)
        _ = try await VaultCommand.perform { () async throws(VaultError) in
            _ = try vault.keyring.generate(force: false)
            return try await vault.upload(VaultSecretFile(contentsOf: file, file: "vault.secret.yaml"))
        }
    }
}
