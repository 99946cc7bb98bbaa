import ArgumentParser

/// `parley-bench`: benchmarks that print figures (`botcli bench` runs it).
@main
struct ParleyBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley-bench",
        abstract: "Measure Parley's speed; build with `-c release` for meaningful figures.",
        discussion: """
            `scripts/bench` runs them all, with the Bot Framework peer side by side. \
            `botcli bench …` runs this program (built beside botcli) with the same arguments.
            """,
        subcommands: [BenchLoadCommand.self, BenchEngineCommand.self, BenchHTTPCommand.self, BenchGrowthCommand.self]
    )
}
