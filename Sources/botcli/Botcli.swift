import ArgumentParser
import ParleyApp

/// `botcli`: the command line for Parley bot apps.
@main
struct Botcli: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "botcli",
        abstract: "Build, check and run Parley chatbots written as Meya-style YAML flows.",
        discussion: """
            A bot app is a folder of YAML flows. Start a new one with `botcli init DIR`, talk to \
            it with `botcli simulate --app DIR`, pin its behaviour with conversation tests \
            (`botcli test --app DIR`), and validate it with `botcli check --app DIR`. Commands \
            that take --app default to the current folder.

            Set PARLEY_LOG_LEVEL (trace, debug, info, notice, warning, error, critical) to see \
            logs on standard error; secrets never appear in them.
            """,
        version: ParleyVersion.current,
        subcommands: [InitCommand.self, CheckCommand.self, SimulateCommand.self, TestCommand.self, FormatCommand.self, ServeCommand.self, WebhooksCommand.self, BenchCommand.self, VaultCommand.self, StoreCommand.self, FlexCommand.self]
    )
}
