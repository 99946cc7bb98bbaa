import ArgumentParser
import Vault

/// `botcli vault rm`: remove one stored key.
struct VaultRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Remove one key and its value from the vault.",
        discussion: """
            Needs no key. Removing a key the app still uses makes `botcli vault check` report it \
            as missing. A key that is not stored is an error and nothing changes.
            """
    )

    @OptionGroup var options: AppOptions
    @OptionGroup var location: VaultStoreOptions

    @Argument(help: ArgumentHelp("The dotted vault key to remove, e.g. twilio.account_sid.", valueName: "key"))
    var key: String

    func run() async throws {
        try await location.perform(options) { vault async throws(VaultError) in try await vault.remove(key) }
        print("removed \(key)")
    }
}
