import Foundation
import PackagePlugin

/// Embeds folders of files into the target that uses this plugin, as generated Swift types,
/// so a binary carries them and works from any directory — `botcli init`'s app template, the
/// chat page that `botcli serve` answers at `/chat`. SwiftPM resources (`Bundle.module`) would
/// need the resource bundle installed beside the binary; an embedded file cannot go missing.
///
/// The target says what to embed in an `embed.json` in its source folder (exclude that file
/// and the embedded folders from the target in `Package.swift`):
///
/// ```json
/// [{"folder": "WebChat/Assets", "type": "WebChatAssets"},
///  {"folder": "../../app-template", "type": "AppTemplateFiles", "exclude": [".parley/", "vault.secret.yaml"]}]
/// ```
///
/// `folder` is relative to the target's folder; `type` names the generated enum, whose
/// `files` lists each file's path (relative to the folder) and contents; `exclude` leaves out
/// paths (a name ending in `/` is a folder). `EmbedFilesTool` writes the source.
@main
struct EmbedFiles: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let manifestURL = target.directoryURL.appending(path: EmbedManifest.fileName)
        let manifest = try EmbedManifest(contentsOf: manifestURL)
        let tool = try context.tool(named: "EmbedFilesTool").url
        return manifest.entries.map { entry in
            let folder = target.directoryURL.appending(path: entry.folder).standardizedFileURL
            let output = context.pluginWorkDirectoryURL.appending(path: "\(entry.type).swift")
            let inputs = Self.files(in: folder)
            return .buildCommand(
                displayName: "Embedding \(entry.folder) as \(entry.type) (\(inputs.count) files)",
                executable: tool,
                arguments: [folder.path, output.path, entry.type] + (entry.exclude ?? []).flatMap { ["--exclude", $0] },
                inputFiles: inputs + [manifestURL],
                outputFiles: [output]
            )
        }
    }

    /// Every regular file below `folder`: the command runs again when one of them changes.
    static func files(in folder: URL) -> [URL] {
        var files: [URL] = []
        if let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let url as URL in enumerator where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
                files.append(url)
            }
        }
        return files.sorted { $0.path < $1.path }
    }
}

/// A target's `embed.json`: which folders to embed, under which type names.
struct EmbedManifest {
    static let fileName = "embed.json"

    struct Entry: Decodable {
        var folder: String
        var type: String
        var exclude: [String]?
    }

    var entries: [Entry]

    init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw EmbedFilesError.missingManifest(path: url.path)
        }
        do {
            entries = try JSONDecoder().decode([Entry].self, from: data)
        } catch {
            throw EmbedFilesError.invalidManifest(path: url.path, reason: "\(error)")
        }
    }
}

/// Why the plugin could not plan its commands.
enum EmbedFilesError: Error, CustomStringConvertible {
    case missingManifest(path: String)
    case invalidManifest(path: String, reason: String)

    var description: String {
        switch self {
        case .missingManifest(let path):
            "a target using the EmbedFiles plugin needs \(path) listing the folders to embed"
        case .invalidManifest(let path, let reason):
            "\(path) is not a list of {\"folder\", \"type\", \"exclude\"?}: \(reason)"
        }
    }
}
