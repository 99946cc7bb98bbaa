import FlowDSL
import Foundation

public typealias FlowDSLDiagnostic = Diagnostic

/// Printing for commands: errors to standard error, colour only on a terminal.
public enum Terminal {
    public static let stderrIsTerminal = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil

    public static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// A diagnostic as `file:line:col: error: message`, with the severity coloured on a terminal.
    public static func format(_ diagnostic: FlowDSLDiagnostic) -> String {
        guard stderrIsTerminal else { return diagnostic.description }
        let colour = diagnostic.severity == .error ? "\u{1B}[1;31m" : "\u{1B}[1;33m"
        return diagnostic.description.replacingOccurrences(
            of: ": \(diagnostic.severity.rawValue): ", with: ": \(colour)\(diagnostic.severity.rawValue):\u{1B}[0m ")
    }
}
