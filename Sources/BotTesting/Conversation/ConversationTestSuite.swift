import FlowDSL
import Foundation

/// The conversation test files chosen for a run: given files, and every `*.yaml` / `*.yml`
/// below given folders (dot-files skipped), in sorted order.
public struct ConversationTestSuite: Sendable {
    public var files: [ConversationTestFile]

    public init(files: [ConversationTestFile]) {
        self.files = files
    }

    /// Reads the test files at `paths`; a file inside `appRoot` is named relative to it
    /// (`tests/greeting.yaml`), any other as given.
    public init(reading paths: [URL], appRoot: URL) throws(ConversationTestSuiteError) {
        let root = appRoot.standardizedFileURL.path
        var found: [(url: URL, name: String)] = []
        for path in paths {
            let url = path.standardizedFileURL
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
                throw ConversationTestSuiteError(message: "\(path.relativePath): no such test file or folder")
            }
            let urls = isDirectory.boolValue ? Self.yamlFiles(below: url) : [url]
            for file in urls {
                let name = file.path.hasPrefix(root + "/") ? String(file.path.dropFirst(root.count + 1)) : file.path
                if !found.contains(where: { $0.url.path == file.path }) { found.append((file, name)) }
            }
        }
        var files: [ConversationTestFile] = []
        for (url, name) in found {
            guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
                files.append(ConversationTestFile(path: name, cases: [], diagnostics: [
                    .error(at: SourcePosition(file: name, line: 1, column: 1), "cannot read the file as UTF-8 text"),
                ]))
                continue
            }
            var file = ConversationTestFile(parsing: text, path: name)
            file.url = url
            files.append(file)
        }
        self.files = files
    }

    /// Format errors of every file, in file order.
    public var diagnostics: [Diagnostic] { files.flatMap(\.diagnostics) }

    /// Every case, in file order.
    public var cases: [ConversationTestCase] { files.flatMap(\.cases) }

    private static func yamlFiles(below directory: URL) -> [URL] {
        var result: [URL] = []
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
        for name in names where !name.hasPrefix(".") {
            let url = directory.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                result += yamlFiles(below: url)
            } else if name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                result.append(url)
            }
        }
        return result
    }
}

/// A test path that does not exist.
public struct ConversationTestSuiteError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
