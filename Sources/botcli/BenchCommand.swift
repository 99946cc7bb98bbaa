import ArgumentParser
import Foundation

/// `botcli bench …`: runs `parley-bench` (the benchmarks' own program, built beside botcli)
/// with the same arguments, in place of this process.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Parley's speed (runs parley-bench: load, engine, http, growth).",
        discussion: """
            `botcli bench engine --store sqlite` is `parley-bench engine --store sqlite`; \
            `botcli bench help engine` lists a benchmark's options. parley-bench is built \
            beside botcli (`swift build -c release --product parley-bench`); build with \
            `-c release` for meaningful figures. `scripts/bench` runs them all with the peer.
            """
    )

    @Argument(parsing: .captureForPassthrough, help: "The benchmark and its options (load, engine, http, growth).")
    var arguments: [String] = []

    func run() throws {
        let botcli = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let bench = botcli.deletingLastPathComponent().appendingPathComponent("parley-bench")
        guard FileManager.default.isExecutableFile(atPath: bench.path) else {
            throw ValidationError("parley-bench is not built beside \(botcli.path): run "
                                  + "`swift build -c release --product parley-bench` (or `--product parley-bench` for a debug build)")
        }
        let argv = ([bench.path] + arguments).map { strdup($0) } + [nil]
        execv(bench.path, argv)
        throw ValidationError("cannot run \(bench.path): \(String(cString: strerror(errno)))")
    }
}
