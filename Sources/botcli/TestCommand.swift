import ArgumentParser
import BotRuntime
import BotTesting
import FlowDSL
import Foundation
import ParleyApp
import ParleyPostgres

/// `botcli test`: run the app's conversation tests.
struct TestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the app's conversation tests (YAML files under tests/).",
        discussion: """
            A test file is a YAML list of cases, each a `name:` and `steps:`. Steps are inputs \
            (`user: TEXT`, `click: BUTTON TEXT`, `event: page_open` or `{type: TYPE, data: {…}}`, \
            `agent: TEXT`), the lines the user must be shown next, in order (`bot: TEXT` or \
            `bot: {regex: PATTERN}`, `buttons: [A, B]`, `status: TEXT`, `error: TEXT`), and \
            scope checks (`thread: {mode: agent}`, `user: {name: Ana}`). Every line shown must \
            be expected: an extra or missing line fails the case. See docs/testing.md.

            Each case runs on a fresh in-memory bot, in parallel with the others (with --store, \
            on that database, each case a thread and a user of its own); `delay:` \
            steps do not wait and the vault is not opened: `(@ vault.KEY )` shows as \
            `[vault.KEY]`. The report has one line per case (✔ or ✘ with its file:line); a \
            failure shows the expected and the actual transcript with the first difference \
            marked `>` and the flow step that showed it. The last line is `N passed, N failed`. \
            Exits 1 when a case fails, a test file has a format error (`file:line:col: error: \
            …`) or the app does not load.

            With PATHs, only those test files, or the files in those folders, are run.

            --update rewrites, in place, what each failing case expects to be shown with what \
            the bot showed (inputs, scope checks, comments and layout stay; an expectation that \
            still matches keeps its line), prints the change as a diff, and runs the tests \
            again. A wording change in a flow is then one command; read the diff before you \
            commit it. A case whose inputs no longer work (a click on a button that is gone) \
            is left as it is.
            """
    )

    @OptionGroup var options: AppOptions

    @Argument(help: ArgumentHelp("Test files or folders to run (default: the app's tests/ folder).", valueName: "path"))
    var paths: [String] = []

    @Flag(help: "Rewrite what failing cases expect with what the bot showed, print the diff, and run again.")
    var update = false

    @Option(name: .customLong("store"),
            help: ArgumentHelp("Run the cases on this store instead of in memory: a postgres:// URL (as `botcli serve --store` "
                               + "takes), to check that the app behaves the same on the database replicas share.",
                               valueName: "url"))
    var store: String?

    func run() async throws {
        _ = ParleyLogging.level
        let app = try options.loadApp(toDo: "run its tests")

        let testsFolder = options.url.appendingPathComponent("tests")
        if paths.isEmpty, !FileManager.default.fileExists(atPath: testsFolder.path) {
            Terminal.error("note: \(options.name) has no tests/ folder; add conversation tests there (see docs/testing.md)")
            print("0 passed, 0 failed")
            return
        }
        let suite: ConversationTestSuite
        do {
            suite = try ConversationTestSuite(reading: paths.isEmpty ? [testsFolder] : paths.map(resolve), appRoot: options.url)
        } catch {
            Terminal.error("error: \(error)")
            throw ExitCode(1)
        }
        for diagnostic in suite.diagnostics { Terminal.error(Terminal.format(diagnostic)) }
        if suite.files.isEmpty { Terminal.error("note: no test files (*.yaml) found") }

        // `http_call:` steps call their services for real, as they do when the bot serves.
        let http = HTTPCallComponent(logger: ParleyLogging.logger("parley.http"))
        defer { Task { await http.shutdown() } }
        var runner = ConversationTestRunner(app: app, components: [http])
        runner.store = try await openStore()
        var report = await runner.run(suite.files)
        if update, !report.succeeded, try await rewrite(suite.files, failed: report, runner: runner) {
            let rerun = try ConversationTestSuite(reading: suite.files.compactMap(\.url), appRoot: options.url)
            report = await runner.run(rerun.files)
        }
        await runner.store?.close()
        let colour = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        print(report.render(colour: colour))
        if !report.succeeded { throw ExitCode(1) }
    }

    /// The store of --store, opened; nil without it (the tests run in memory: `PARLEY_DATABASE_URL`
    /// is not read here).
    private func openStore() async throws -> (any BotStore)? {
        guard let location = try StoreLocation.resolved(store, environment: [:]) else { return nil }
        guard case .postgres(let settings) = location else { throw ValidationError("--store takes a postgres:// URL; without it the tests run in memory") }
        return try await PostgresStore.openForCommand(settings)
    }

    /// `--update`: writes what the failing cases' bot showed into their files and prints the
    /// diff; whether any file changed.

    private func rewrite(_ files: [ConversationTestFile], failed report: ConversationTestReport,
                         runner: ConversationTestRunner) async throws -> Bool {
        let failing = Set(report.results.filter { !$0.passed }.map { "\($0.position)" })
        var changed = false
        for file in files where file.diagnostics.isEmpty {
            guard let url = file.url else { continue }
            var recordings: [(ConversationTestCase, [Int: [String]])] = []
            for testCase in file.cases where failing.contains("\(testCase.position)") {
                if let shown = await runner.record(testCase) {
                    recordings.append((testCase, shown))
                } else {
                    Terminal.error("note: \(file.path): `\(testCase.name)` left as it is: its inputs no longer work (see the report)")
                }
            }
            let updated = ConversationTestUpdate(file: file, recordings: recordings)
            guard !updated.changes.isEmpty else { continue }
            do {
                try updated.text.write(to: url, atomically: true, encoding: .utf8)
            } catch {
                Terminal.error("error: cannot write \(file.path): \(error.localizedDescription)")
                throw ExitCode(1)
            }
            changed = true
            print("--- \(file.path)\n+++ \(file.path) (updated)")
            for change in updated.changes {
                print("@@ \(change.caseName)")
                for line in change.diffLines { print(line) }
            }
        }
        if changed { print("") }
        return changed
    }

    /// A PATH as given, or inside the app folder when it only exists there.
    private func resolve(_ path: String) -> URL {
        let given = URL(fileURLWithPath: path)
        if FileManager.default.fileExists(atPath: given.path) { return given }
        let inApp = options.url.appendingPathComponent(path)
        return FileManager.default.fileExists(atPath: inApp.path) ? inApp : given
    }
}
