import ArgumentParser
import Foundation
import BotRuntime
import ParleyApp
import ParleyPostgres
import Vault

/// `--store` of the vault commands: the vault they act on is the one `botcli serve` with the
/// same `--store` (or `PARLEY_DATABASE_URL`) reads, beside the conversations.
struct VaultStoreOptions: ParsableArguments {
    @Option(name: .customLong("store"),
            help: ArgumentHelp("The store whose vault to use, as `botcli serve --store` takes it: a postgres:// URL (the "
                               + "database replicas share) or a SQLite file (default: $PARLEY_DATABASE_URL, else the app's "
                               + ".parley/state.sqlite).", valueName: "url|file"))
    var store: String?

    func validate() throws {
        _ = try StoreLocation.resolved(store)
    }

    /// Runs `body` on the app's vault in the chosen store (a database is opened for it and
    /// closed after). A `VaultError` is printed as `VaultCommand.perform` does, and ends the
    /// command with status 1; so does a database that cannot be opened.
    func perform<T>(_ app: AppOptions, hint: (VaultError) -> String? = { _ in nil },
                    _ body: (AppVault) async throws(VaultError) -> T) async throws -> T {
        let location = try StoreLocation.resolved(store)
        var database: PostgresStore?
        if case .postgres(let settings)? = location { database = try await PostgresStore.openForCommand(settings) }
        let path = if case .sqlite(let path)? = location { path } else { SQLiteStore.defaultPath(forApp: app.url.path) }
        let vault = AppVault.beside(database, path: path, keyring: VaultKeyring(app: app.url))
        do {
            let result = try await VaultCommand.perform(hint: hint) { () async throws(VaultError) in try await body(vault) }
            await database?.close()
            return result
        } catch {
            await database?.close()
            throw error
        }
    }
}
