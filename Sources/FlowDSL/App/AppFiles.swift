import Foundation

/// Finds the files of a bot app: element sources, `config.yaml`, `vault.yaml`.
///
/// Every `*.yaml` / `*.yml` below the app folder is an element source (spec §1) except
/// dot-files and dot-folders, `config[.*].yaml`, `vault[.*].yaml`, the `tests/` folder (Parley's
/// conversation tests) and paths matched by the app's `.gitignore` or `.meyaignore`.
public struct AppFiles: Sendable {
    /// The app folder.
    public let root: URL
    /// Element source files relative to `root`, sorted.
    public let elementFiles: [String]
    /// Every YAML file of the app that `botcli format` may touch, relative to `root`, sorted.
    public let yamlFiles: [String]
    /// The app's Python files (a Meya app's own components), relative to `root`, sorted.
    public let pythonFiles: [String]

    public init(root: URL) throws(AppFilesError) {
        self.root = root.standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: self.root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw AppFilesError(message: "\(root.path): no such app folder")
        }
        let ignore = IgnoreRules(root: self.root)
        var yaml: [String] = [], python: [String] = []
        Self.walk(self.root, relative: "", ignore: ignore, yaml: &yaml, python: &python)
        yamlFiles = yaml.sorted()
        pythonFiles = python.sorted()
        elementFiles = yamlFiles.filter { !Self.isSpecialFile($0) && !$0.hasPrefix("tests/") }
    }

    /// `config.yaml`, `config.prod.yaml`, `vault.yaml`, `vault.secret.yaml` at the app root.
    static func isSpecialFile(_ path: String) -> Bool {
        guard !path.contains("/") else { return false }
        return path.hasPrefix("config.") || path.hasPrefix("vault.")
    }

    public func url(of relativePath: String) -> URL { root.appendingPathComponent(relativePath) }

    private static func walk(_ directory: URL, relative: String, ignore: IgnoreRules, yaml: inout [String], python: inout [String]) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names where !name.hasPrefix(".") {
            let path = relative.isEmpty ? name : "\(relative)/\(name)"
            let url = directory.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
            if ignore.isIgnored(path, isDirectory: isDirectory.boolValue) { continue }
            if isDirectory.boolValue {
                walk(url, relative: path, ignore: ignore, yaml: &yaml, python: &python)
            } else if name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                yaml.append(path)
            } else if name.hasSuffix(".py") {
                python.append(path)
            }
        }
    }
}

/// The app folder cannot be read.
public struct AppFilesError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
