import ArgumentParser
import BotRuntime
import FlowDSL
import Foundation
import ParleyApp

/// The `--app DIR` option shared by commands that work on one bot app.
struct AppOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The bot app folder.", valueName: "dir"))
    var app: String = "."

    var url: URL { URL(fileURLWithPath: app) }

    /// Loads the app with every registered element type and prints its diagnostics; when it
    /// has errors, says so (and what they prevent) and exits 1.
    func loadApp(toDo purpose: String? = nil) throws -> BotApp {
        let result = AppLoader(registry: ParleyIntegrations.standardRegistry).load(url)
        for diagnostic in result.diagnostics { Terminal.error(Terminal.format(diagnostic)) }
        guard let loaded = result.app else {
            let errors = result.diagnostics.filter { $0.severity == .error }.count
            Terminal.error("\(errors) error\(errors == 1 ? "" : "s") in \(app)" + (purpose.map { "; fix them (see `botcli check`) to \($0)" } ?? ""))
            throw ExitCode(1)
        }
        return loaded
    }
}
