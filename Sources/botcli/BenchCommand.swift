import ArgumentParser

/// `botcli bench`: benchmarks that print figures.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Parley's speed; build with `-c release` for meaningful figures.",
        subcommands: [BenchLoadCommand.self, BenchEngineCommand.self, BenchHTTPCommand.self, BenchGrowthCommand.self]
    )
}
