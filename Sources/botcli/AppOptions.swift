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

    /// The app as messages name it: as given, except `.`, `..` and the like, which name nothing
    /// to a reader: then its folder's name (`my-bot`).
    var name: String {
        let trimmed = app.hasSuffix("/") && app.count > 1 ? String(app.dropLast()) : app
        guard trimmed.split(separator: "/").allSatisfy({ $0 == "." || $0 == ".." }) else { return app }
        return url.standardizedFileURL.lastPathComponent
    }

    /// Loads the app with every registered element type and prints its diagnostics; when it
    /// has errors, says so (and what they prevent) and exits 1. A folder that is not an app at
    /// all (the repository's root, a home folder) is said to be so, with the app folders below it.
    func loadApp(toDo purpose: String? = nil) throws -> BotApp {
        try requireAppFolder()
        let result = AppLoader(registry: ParleyIntegrations.standardRegistry).load(url)
        for diagnostic in result.diagnostics { Terminal.error(Terminal.format(diagnostic)) }
        guard let loaded = result.app else {
            let errors = result.diagnostics.filter { $0.severity == .error }.count
            Terminal.error("\(errors) error\(errors == 1 ? "" : "s") in \(name)" + (purpose.map { "; fix them (see `botcli check`) to \($0)" } ?? ""))
            throw ExitCode(1)
        }
        return loaded
    }

    /// Whether `folder` looks like a bot app: a `bot/`, `flow/` or `integration/` folder, a
    /// `config.yaml` or `vault.yaml`, or a flow at its top (a YAML file with `steps:`).
    static func isAppFolder(_ folder: URL) -> Bool {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        if files.contains(where: { ["bot", "flow", "integration", "config.yaml", "vault.yaml"].contains($0) }) { return true }
        return files.contains { name in
            guard name.hasSuffix(".yaml") || name.hasSuffix(".yml"),
                  let text = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) else { return false }
            return text.split(separator: "\n").contains { $0.hasPrefix("steps:") }
        }
    }

    /// Exits 1 with a hint when `--app` names an existing folder that is not an app.
    func requireAppFolder() throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue,
              !Self.isAppFolder(url) else { return }
        let name = app == "." ? "this folder (\(url.standardizedFileURL.lastPathComponent))" : app
        Terminal.error("error: \(name) is not a bot app: it has no bot/, flow/ or integration/ folder, no config.yaml or vault.yaml, "
                       + "and no flow at its top")
        let below = Self.appFolders(below: url).prefix(3)
        if let first = below.first {
            Terminal.error("hint: app folders here: \(below.joined(separator: ", ")); try `--app \(first)`")
        } else {
            Terminal.error("hint: make one with `botcli init my-bot`, then pass `--app my-bot`")
        }
        throw ExitCode(1)
    }

    /// App folders within three levels below `root` (relative paths, nearest first), skipping
    /// hidden and build folders.
    static func appFolders(below root: URL) -> [String] {
        var found: [String] = []
        var level = [""]
        for _ in 0..<3 {
            var next: [String] = []
            for relative in level {
                let folder = relative.isEmpty ? root : root.appendingPathComponent(relative)
                let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
                for name in names where !name.hasPrefix(".") && !["node_modules", "Sources", "build"].contains(name) {
                    let path = relative.isEmpty ? name : "\(relative)/\(name)"
                    var isFolder: ObjCBool = false
                    guard FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path, isDirectory: &isFolder),
                          isFolder.boolValue else { continue }
                    if isAppFolder(root.appendingPathComponent(path)) { found.append(path) } else { next.append(path) }
                }
            }
            level = next
        }
        return found
    }
}
