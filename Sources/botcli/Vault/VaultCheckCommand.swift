import ArgumentParser
import FlowDSL
import ParleyApp
import Vault

/// `botcli vault check`: does the vault hold every key the app uses?
struct VaultCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Compare the app with the vault: keys the app names but the vault lacks, and unused keys.",
        discussion: """
            The app names vault keys in vault.yaml and in templates such as \
            `(@ vault.twilio.account_sid )`. Each one the vault does not hold is listed as \
            `file:line:col: error: …` and the exit status is 1. Stored keys that nothing in the \
            app names are listed as warnings. Needs no key: only key names are compared.
            """
    )

    @OptionGroup var options: AppOptions
    @OptionGroup var location: VaultStoreOptions

    func run() async throws {
        let app = try options.loadApp(toDo: "compare it with the vault")
        let uses = app.vaultKeys.map { VaultKeyUse(key: $0.key, location: $0.value.description) }
            + app.vaultReferences.sorted { $0.position < $1.position }
                .map { VaultKeyUse(key: $0.key, location: $0.position.description) }
        let stored = try await location.perform(options) { vault async throws(VaultError) in try await vault.entries().map(\.key) }
        let coverage = VaultCoverage(uses: uses, storedKeys: stored)
        for use in coverage.missing {
            Terminal.error("\(use.location): error: vault key `\(use.key)` is not stored in the vault")
        }
        for key in coverage.unused {
            Terminal.error("warning: stored vault key `\(key)` is not named in vault.yaml or any template")
        }
        let missingKeys = coverage.missing.map(\.key).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        guard missingKeys.isEmpty else {
            Terminal.error("\(missingKeys.count) key\(missingKeys.count == 1 ? "" : "s") missing from the vault of "
                           + "\(options.name): \(missingKeys.joined(separator: ", "))")
            throw ExitCode(1)
        }
        print("\(options.name): the vault holds every key the app names (\(stored.count) stored)")
    }
}
