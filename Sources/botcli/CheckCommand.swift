import ArgumentParser
import FlowDSL
import ParleyApp

/// `botcli check`: validate a bot app and report every problem.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a bot app and list every problem with its file, line and column.",
        discussion: """
            Reads every flow, integration and the bot element, checks step and trigger fields, \
            templates, regular expressions, labels and references between flows. Exits 0 and \
            prints a one-line summary when the app is valid, or exits 1 after listing each \
            problem as `file:line:col: error: message`.

            --summary sizes a port of a Meya app: after the problems it prints how many flow \
            files and steps check clean, the types the app uses that Parley does not have, \
            the app's own (Python) components, and the other errors by step type.
            """
    )

    @OptionGroup var options: AppOptions

    @Flag(help: "After the problems, print how much of the app checks clean and what it uses that Parley lacks.")
    var summary = false

    func run() throws {
        guard summary else {
            let app = try options.loadApp()
            print("\(options.name): valid — \(app.summary)")
            return
        }
        try options.requireAppFolder()
        let registry = ParleyIntegrations.standardRegistry
        let result = AppLoader(registry: registry).load(options.url)
        for diagnostic in result.diagnostics { Terminal.error(Terminal.format(diagnostic)) }
        print("\(options.name):\n" + AppCheckSummary(result, registry: registry).text)
        if result.app == nil { throw ExitCode(1) }
    }
}
