import ArgumentParser
import Vault

/// `botcli vault list`: the stored keys, never their values.
struct VaultListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the stored vault keys with their version and update time; values stay masked.",
        discussion: """
            Needs no key: the listing reads only key names and bookkeeping. Every value shows as \
            `\(VaultValue.mask)`, whatever its length. The version starts at 1 and goes up each \
            time an upload changes the value; update times are UTC.
            """
    )

    @OptionGroup var options: AppOptions
    @OptionGroup var location: VaultStoreOptions

    func run() async throws {
        let entries = try await location.perform(options) { vault async throws(VaultError) in try await vault.entries() }
        guard !entries.isEmpty else {
            print("no keys stored in the vault of \(options.name)")
            return
        }
        let rows = [["KEY", "VERSION", "UPDATED", "VALUE"]]
            + entries.map { [$0.key, String($0.version), $0.updatedText, VaultValue.mask] }
        let widths = (0..<3).map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            let padded = (0..<3).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
            print((padded + [row[3]]).joined(separator: "  "))
        }
    }
}
