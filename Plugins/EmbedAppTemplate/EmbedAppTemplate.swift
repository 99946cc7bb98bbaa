import Foundation
import PackagePlugin

/// Embeds the package's `app-template/` folder into the target that uses this plugin, as a
/// generated `AppTemplateFiles` type, so `botcli init` works from any directory.
@main
struct EmbedAppTemplate: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let template = context.package.directoryURL.appending(path: "app-template")
        let output = context.pluginWorkDirectoryURL.appending(path: "AppTemplateFiles.swift")
        var inputs: [URL] = []
        if let enumerator = FileManager.default.enumerator(at: template, includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let url as URL in enumerator where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
                inputs.append(url)
            }
        }
        return [
            .buildCommand(
                displayName: "Embedding the app template (\(inputs.count) files)",
                executable: try context.tool(named: "EmbedFilesTool").url,
                arguments: [template.path, output.path, "AppTemplateFiles"],
                inputFiles: inputs,
                outputFiles: [output]
            ),
        ]
    }
}
