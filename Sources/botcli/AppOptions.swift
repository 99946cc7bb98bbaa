import ArgumentParser
import FlexIntegration
import FlowDSL
import Foundation

/// The `--app DIR` option shared by commands that work on one bot app.
struct AppOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The bot app folder.", valueName: "dir"))
    var app: String = "."

    var url: URL { URL(fileURLWithPath: app) }
}

/// Every element type Parley knows: the built-in ones and each integration module's.
enum ParleyModules {
    static let registry: ElementRegistry = {
        var registry = ElementRegistry.standard
        FlexElements.register(in: &registry)
        return registry
    }()
}
