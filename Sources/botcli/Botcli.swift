import ArgumentParser

/// `botcli`: the command line for Parley bot apps.
@main
struct Botcli: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "botcli",
        abstract: "Build, check and run Parley chatbots written as Meya-style YAML flows.",
        discussion: """
            A bot app is a folder of YAML flows. Start with `botcli check --app DIR` to validate it \
            and `botcli format --app DIR` to tidy its YAML.
            """,
        subcommands: [InitCommand.self, CheckCommand.self, SimulateCommand.self, TestCommand.self, FormatCommand.self, BenchCommand.self, VaultCommand.self]
    )
}
