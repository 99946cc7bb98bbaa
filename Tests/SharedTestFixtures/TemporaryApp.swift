import Foundation

/// A bot app folder written from file texts, for tests that load, check or serve an app from disk.
public enum TemporaryApp {
    /// Writes `files` (path relative to the app → text) into a new folder in the temporary
    /// directory, named `prefix-UUID`, and returns it. The caller removes it.
    public static func write(_ files: [String: String], prefix: String = "parley-app") throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return root
    }
}
