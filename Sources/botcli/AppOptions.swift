import ArgumentParser
import BotRuntime
import FlexIntegration
import FlowDSL
import Foundation

/// The `--app DIR` option shared by commands that work on one bot app.
struct AppOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The bot app folder.", valueName: "dir"))
    var app: String = "."

    var url: URL { URL(fileURLWithPath: app) }

    /// Loads the app with every registered element type and prints its diagnostics; when it
    /// has errors, says so (and what they prevent) and exits 1.
    func loadApp(toDo purpose: String? = nil) throws -> BotApp {
        let result = AppLoader(registry: ParleyModules.registry).load(url)
        for diagnostic in result.diagnostics { Terminal.error(Terminal.format(diagnostic)) }
        guard let loaded = result.app else {
            let errors = result.diagnostics.filter { $0.severity == .error }.count
            Terminal.error("\(errors) error\(errors == 1 ? "" : "s") in \(app)" + (purpose.map { "; fix them (see `botcli check`) to \($0)" } ?? ""))
            throw ExitCode(1)
        }
        return loaded
    }
}

/// Every element type Parley knows: the built-in ones and each integration module's.
enum ParleyModules {
    /// The integrations a serving engine runs, made fresh for one server (they hold HTTP
    /// clients): pass `all` to the engine and the server, `shutdown()` when it stops.
    struct Integrations {
        let flex: FlexIntegration
        var all: [any Integration] { [flex] }

        func shutdown() async {
            await flex.shutdown()
        }
    }

    static func integrations() -> Integrations {
        Integrations(flex: FlexIntegration(logger: ParleyLogging.logger("parley.flex")))
    }

    static let registry: ElementRegistry = {
        var registry = ElementRegistry.standard
        FlexElements.register(in: &registry)
        return registry
    }()
}
