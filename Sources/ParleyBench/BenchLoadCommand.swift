import ArgumentParser
import FlowDSL
import Foundation
import ParleyApp

/// `parley-bench load`: app loading and template rendering speed.
struct BenchLoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Time loading + validating a generated app, and template renders per second.",
        discussion: """
            Generates an app of --flows flows in a temporary folder, loads and validates it \
            --runs times (reading the files each time) and prints the best and median times; \
            then renders `Hello (@ user.name )` and a filter chain for about --seconds each and \
            prints renders per second. Targets on 2 cores, release build: 1,000 flows under \
            0.5 s; over 1,000,000 simple renders per second.
            """
    )

    @Option(help: "Number of flows in the generated app.")
    var flows = 1_000

    @Option(help: "How many times to load the app.")
    var runs = 5

    @Option(help: "Seconds to spend on each render benchmark.")
    var seconds = 1.0

    func run() throws {
        #if DEBUG
        print("note: this is a debug build; build with `swift build -c release` for real figures")
        #endif
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try SyntheticApp.write(flows: flows, to: directory)

        var times: [Double] = []
        var summary = ""
        for _ in 0..<max(1, runs) {
            let start = ContinuousClock.now
            let result = AppLoader(registry: ParleyIntegrations.standardRegistry).load(directory)
            times.append((ContinuousClock.now - start).seconds)
            guard let app = result.app else {
                result.diagnostics.prefix(5).forEach { Terminal.error($0.description) }
                throw ValidationError("the generated app did not load")
            }
            summary = app.summary.description
        }
        times.sort()
        print("load+validate \(flows) flows (\(summary)): best \(Self.ms(times[0])), median \(Self.ms(times[times.count / 2])) over \(times.count) runs")

        let context = TemplateContext(["user": .map(["name": .string("Ana")])])
        for source in ["Hello (@ user.name )", "(@ user.name | default('friend') | upper | trim )"] {
            let template = try Template(source)
            let rate = try Self.rendersPerSecond(template, context: context, seconds: seconds)
            print("render \(source): \(Int(rate).formatted()) renders/s")
        }
    }

    static func rendersPerSecond(_ template: Template, context: TemplateContext, seconds: Double) throws -> Double {
        var count = 0, checksum = 0
        let start = ContinuousClock.now
        var elapsed = 0.0
        while elapsed < seconds {
            for _ in 0..<10_000 {
                if case .string(let text) = try template.render(context) { checksum &+= text.utf8.count }
            }
            count += 10_000
            elapsed = (ContinuousClock.now - start).seconds
        }
        precondition(checksum > 0, "renders produced no text")
        return Double(count) / elapsed
    }

    static func ms(_ seconds: Double) -> String { String(format: "%.1f ms", seconds * 1000) }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
