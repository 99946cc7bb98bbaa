/// The outcome of formatting one YAML file with ``YAMLFormatter``.
///
/// Exists so callers such as `botcli format` can tell apart the three things
/// they must do with a file: nothing, write the new text, or leave the file
/// alone and report why (it does not parse, or it cannot be reformatted
/// without changing its meaning or losing a comment).
public enum YAMLFormatResult: Sendable, Equatable {
    /// The text is already canonical; it must not be rewritten.
    case unchanged
    /// The canonical text. It parses to the same documents as the input,
    /// keeps every comment, and formatting it again yields `.unchanged`.
    case formatted(String)
    /// The file cannot be formatted without loss, or it does not parse.
    /// `line` is 1-based when known. The file must be left as it is.
    case refused(reason: String, line: Int?)
}

/// Internal error carrying a refusal out of the scanner, rewriter and
/// verifier; ``YAMLFormatter`` turns it into ``YAMLFormatResult/refused(reason:line:)``.
///
/// Exists so every stage can give up with a precise reason at the first
/// construct it cannot handle safely.
struct YAMLFormatRefusal: Error, Sendable {
    let reason: String
    /// 1-based line in the input, when known.
    let line: Int?

    init(_ reason: String, line: Int?) {
        self.reason = reason
        self.line = line
    }
}
