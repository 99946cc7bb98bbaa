import ArgumentParser
import BotRuntime
import Foundation
import ParleyApp
import ParleyPostgres
import Vault

/// `botcli store migrate`: an app's SQLite state copied into an empty PostgreSQL database.
struct StoreMigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy an app's conversations from its SQLite file into a PostgreSQL database.",
        discussion: """
            Copies the vault's sealed values (still sealed: the same key pair opens them), every \
            thread, user scope, ledger event, message receipt and link, and the accepted events, \
            outbound work and timers not yet done, in one transaction: all of it or nothing. The \
            database must hold no conversation and no vault value yet (its tables are created \
            if needed). Stop `botcli serve` first, so that nothing changes the file meanwhile; \
            start it again with --store URL and every conversation continues where it was, \
            work left undone is taken by the first replica to start. The file is only read. \
            Prints what it copied, table by table. Every replica needs the vault's secret key \
            (.parley/vault.key or PARLEY_VAULT_SECRET_KEY) to read the values.

            Example:
              botcli store migrate --app my-bot --to 'postgres://parley:PASSWORD@db/parley'
            """
    )

    @OptionGroup var options: AppOptions

    @Option(help: ArgumentHelp("The SQLite file to copy (default: the app's .parley/state.sqlite).", valueName: "file"))
    var from: String?

    @Option(help: ArgumentHelp("The PostgreSQL database to copy into: postgres://USER:PASSWORD@HOST:PORT/DATABASE, with the "
                               + "options `botcli serve --store` takes (default: $PARLEY_DATABASE_URL).", valueName: "url"))
    var to: String?

    func validate() throws {
        _ = try destination()
    }

    func run() async throws {
        let source = from ?? SQLiteStore.defaultPath(forApp: options.url.path)
        guard FileManager.default.fileExists(atPath: source) else {
            Terminal.error("error: \(source) does not exist; the app has no state to copy (give the file with --from)")
            throw ExitCode(1)
        }
        let settings = try destination()
        let store = try await PostgresStore.openForCommand(settings)
        var copied: [(table: String, rows: Int)] = []
        do {
            let file = try SQLiteStore(path: source)
            let vault = try SQLiteVaultStore(path: source).entries()
            if !vault.isEmpty { copied.append(("vault keys", vault.count)) }
            try await store.importState(vault: vault) { add in
                try await file.export { chunk in
                    try await add(chunk)
                    if let index = copied.firstIndex(where: { $0.table == chunk.table }) {
                        copied[index].rows += chunk.count
                    } else {
                        copied.append((chunk.table, chunk.count))
                    }
                    if chunk.table == "ledger events", let rows = copied.last?.rows, rows.isMultiple(of: 50_000) {
                        print("… \(rows) ledger events")
                    }
                }
            }
        } catch {
            await store.close()
            Terminal.error("error: nothing was copied: \(error)")
            throw ExitCode(1)
        }
        await store.close()
        for (table, rows) in copied { print("\(rows) \(table)") }
        print("copied \(source) into \(settings); serve with --store and the conversations continue there")
    }

    private func destination() throws -> PostgresSettings {
        guard let text = to ?? ProcessInfo.processInfo.environment["PARLEY_DATABASE_URL"].flatMap({ $0.isEmpty ? nil : $0 }) else {
            throw ValidationError("give the database to copy into: --to postgres://… (or PARLEY_DATABASE_URL)")
        }
        do {
            return try PostgresSettings(url: text)
        } catch {
            throw ValidationError("\(to == nil ? "PARLEY_DATABASE_URL" : "--to"): \(error)")
        }
    }
}
