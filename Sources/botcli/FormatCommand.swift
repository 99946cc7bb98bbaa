import ArgumentParser
import FlowDSL
import Foundation
import ParleyApp

/// `botcli format`: canonical indentation and spacing for an app's YAML.
struct FormatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "format",
        abstract: "Rewrite the app's YAML files with canonical indentation and spacing.",
        discussion: """
            Comments, key order and values are kept: a file is only rewritten when reading it \
            back gives the same data. A file that cannot be formatted without loss is left as \
            it is, with the reason. With --check nothing is written: the files that would \
            change are listed and the exit status is 1 if there are any.
            """
    )

    @OptionGroup var options: AppOptions

    @Flag(name: .long, help: "Only list the files that would change; exit 1 if any would.")
    var check = false

    func run() throws {
        let files = try AppFiles(root: options.url)
        let formatter = YAMLFormatter()
        var changed: [String] = [], unchanged = 0, skipped = 0
        for path in files.yamlFiles {
            let url = files.url(of: path)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                Terminal.error("\(path): warning: not formatted: cannot read it as UTF-8 text")
                skipped += 1
                continue
            }
            switch formatter.format(text) {
            case .unchanged:
                unchanged += 1
            case .formatted(let output):
                changed.append(path)
                if check {
                    print("would reformat \(path)")
                } else {
                    try Data(output.utf8).write(to: url, options: .atomic)
                    print("reformatted \(path)")
                }
            case .refused(let reason, let line):
                skipped += 1
                Terminal.error("\(path):\(line ?? 1):1: warning: not formatted: \(reason)")
            }
        }
        let verb = check ? "would be reformatted" : "reformatted"
        print("\(changed.count) file\(changed.count == 1 ? "" : "s") \(verb), \(unchanged) unchanged"
              + (skipped > 0 ? ", \(skipped) left as they are" : ""))
        if check && !changed.isEmpty { throw ExitCode(1) }
    }
}
