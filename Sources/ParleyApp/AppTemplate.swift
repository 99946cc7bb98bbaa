import Foundation

/// The template app, as `botcli init` writes it (the repository's `app-template/`, embedded at
/// build time by EmbedFiles, without its `.parley/` state and `vault.secret.yaml`); the
/// benchmarks run its conversation.
public enum AppTemplate {
    /// Relative path and contents of each file, sorted by path.
    public static var files: [(path: String, contents: Data)] { AppTemplateFiles.files }
}
