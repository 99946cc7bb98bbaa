import ArgumentParser
import FlowDSL

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
            """
    )

    @OptionGroup var options: AppOptions

    func run() throws {
        let result = AppLoader(registry: ParleyModules.registry).load(options.url)
        for diagnostic in result.diagnostics { Terminal.error(Terminal.format(diagnostic)) }
        guard let app = result.app else {
            let errors = result.diagnostics.filter { $0.severity == .error }.count
            Terminal.error("\(errors) error\(errors == 1 ? "" : "s") in \(options.app)")
            throw ExitCode(1)
        }
        print("\(options.app): valid — \(app.summary)")
    }
}
