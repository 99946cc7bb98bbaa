/// One problem found in a bot app, with its place and an optional hint.
///
/// Loading never stops at the first problem: it gathers all of them, so one `botcli check`
/// run shows every mistake, each as `<file>:<line>:<col>: error: <message>`.
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    /// How bad it is: errors make the app unusable, warnings do not.
    public enum Severity: String, Sendable, Hashable {
        case error, warning
    }

    public var severity: Severity
    public var position: SourcePosition
    public var message: String
    /// A suggestion such as "did you mean `salutation`?", appended after the message.
    public var hint: String?

    public init(_ severity: Severity, at position: SourcePosition, _ message: String, hint: String? = nil) {
        self.severity = severity
        self.position = position
        self.message = message
        self.hint = hint
    }

    public static func error(at position: SourcePosition, _ message: String, hint: String? = nil) -> Diagnostic {
        Diagnostic(.error, at: position, message, hint: hint)
    }

    public static func warning(at position: SourcePosition, _ message: String, hint: String? = nil) -> Diagnostic {
        Diagnostic(.warning, at: position, message, hint: hint)
    }

    public var description: String {
        let text = "\(position): \(severity.rawValue): \(message)"
        guard let hint else { return text }
        return "\(text); \(hint)"
    }
}

extension Array where Element == Diagnostic {
    /// Whether any diagnostic is an error.
    public var hasErrors: Bool { contains { $0.severity == .error } }

    /// Sorted by file, line and column, the order a reader wants.
    public func sortedByPosition() -> [Diagnostic] {
        sorted { ($0.position, $0.message) < ($1.position, $1.message) }
    }
}
