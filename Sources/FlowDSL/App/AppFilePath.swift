import Foundation

/// A text file of an app that a flow reads (`file_path:`), found the one way both `botcli check`
/// and the running bot use: relative to the app's folder, and never a file that could hold a
/// secret or lie outside the app — a path that leaves the folder (`..`, an absolute path, a
/// link pointing out), a hidden file or folder (`.parley/` keeps the state and the vault's
/// keys) or the vault's files (`vault.yaml`, `vault.secret.yaml`). A path rendered from what a
/// user typed meets the same rules.
public enum AppFilePath {
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// The file's URL inside `root`, or why the path is refused or names no file.
    public static func resolve(_ path: String, in root: String) -> Result<URL, Refusal> {
        let refuse = { (why: String) in Result<URL, Refusal>.failure(Refusal(message: "`\(path)` \(why)")) }
        guard !path.isEmpty else { return .failure(Refusal(message: "the file path is empty")) }
        guard !path.hasPrefix("/") else { return refuse("is absolute: write it relative to the app's folder") }
        guard !path.split(separator: "/").contains("..") else { return refuse("leads outside the app's folder") }
        if let why = refusal(of: path) { return refuse(why) }
        let base = URL(fileURLWithPath: root).standardizedFileURL.resolvingSymlinksInPath()
        let file = base.appendingPathComponent(path).standardizedFileURL.resolvingSymlinksInPath()
        let prefix = base.path.hasSuffix("/") ? base.path : base.path + "/"
        guard file.path.hasPrefix(prefix) else { return refuse("leads outside the app's folder") }
        // Links followed: what the path names in the end meets the same rules.
        if let why = refusal(of: String(file.path.dropFirst(prefix.count))) { return refuse(why) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory) else { return refuse("is not a file of the app") }
        guard !isDirectory.boolValue else { return refuse("is a folder, not a file") }
        return .success(file)
    }

    /// Why a path inside the app may not be read (a hidden file or folder, the vault's files), or nil.
    private static func refusal(of path: String) -> String? {
        let parts = path.split(separator: "/").filter { $0 != "." }
        if parts.contains(where: { $0.hasPrefix(".") }) { return "names a hidden file or folder, which flows may not read" }
        if parts.count == 1, parts[0].hasPrefix("vault.") { return "is the vault's file, which flows may not read" }
        return nil
    }

    /// The file's text (UTF-8), or why it cannot be read.
    public static func read(_ path: String, in root: String) -> Result<String, Refusal> {
        resolve(path, in: root).flatMap { url in
            guard let data = FileManager.default.contents(atPath: url.path) else {
                return .failure(Refusal(message: "`\(path)` cannot be read"))
            }
            guard let text = String(data: data, encoding: .utf8) else { return .failure(Refusal(message: "`\(path)` is not UTF-8 text")) }
            return .success(text)
        }
    }
}
