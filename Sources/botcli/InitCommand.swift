import ArgumentParser
import Foundation
import ParleyApp

/// `botcli init`: a new bot app from the template shipped inside botcli.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new bot app from Parley's template.",
        discussion: """
            Writes a small working app into DIR: the bot element, config.yaml, vault.yaml with \
            placeholders, a .gitignore for secrets and local state, flows (a pre-chat that greets \
            and asks what the user needs, and a few that show jumps, sub-flows and templates) and \
            conversation tests under tests/. DIR must not exist or be empty. Then:

              cd DIR && botcli test        # run its conversation tests
              botcli simulate              # talk to it
            """
    )

    @Argument(help: ArgumentHelp("The folder to create the app in.", valueName: "dir"))
    var directory: String

    func run() throws {
        let root = URL(fileURLWithPath: directory)
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: root.path, isDirectory: &isDirectory) {
            let contents = isDirectory.boolValue ? try manager.contentsOfDirectory(atPath: root.path) : []
            guard isDirectory.boolValue, contents.isEmpty else {
                Terminal.error(isDirectory.boolValue
                    ? "error: \(directory) is not empty (\(contents.count) item\(contents.count == 1 ? "" : "s")); nothing was written. Choose a new or empty folder."
                    : "error: \(directory) exists and is not a folder")
                throw ExitCode(1)
            }
        }
        for file in AppTemplate.files {
            let url = root.appendingPathComponent(file.path)
            try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try file.contents.write(to: url, options: .withoutOverwriting)
        }
        print("Created a Parley bot app in \(directory) (\(AppTemplate.files.count) files). Next:")
        print("  cd \(directory)")
        print("  botcli test        # run its conversation tests")
        print("  botcli simulate    # talk to it")
        print("  botcli simulate --flex   # …and hand the chat to a human agent in a local Flex emulator")
    }
}
