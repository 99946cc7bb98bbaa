import ArgumentParser

/// `botcli store`: where the app's conversations are kept.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Manage where conversations are kept: copy an app's SQLite state into PostgreSQL.",
        discussion: """
            `botcli serve` keeps conversations in the app's .parley/state.sqlite unless --store \
            (or PARLEY_DATABASE_URL) names a PostgreSQL database, which several replicas may share \
            (docs/replicas.md). `botcli store migrate` moves an app from the first to the second.
            """,
        subcommands: [StoreMigrateCommand.self]
    )
}
