import FlowDSL

/// The results of a conversation test run, and their rendering for a terminal.
public struct ConversationTestReport: Sendable {
    /// One result per case run, in file and case order.
    public var results: [ConversationTestResult]
    /// Format errors of the test files (their cases were not run).
    public var diagnostics: [Diagnostic]

    public init(results: [ConversationTestResult], diagnostics: [Diagnostic] = []) {
        self.results = results
        self.diagnostics = diagnostics
    }

    public var passedCount: Int { results.count { $0.passed } }
    public var failedCount: Int { results.count { !$0.passed } }
    /// Every case passed and no test file had a format error.
    public var succeeded: Bool { failedCount == 0 && !diagnostics.hasErrors }

    /// `N passed, N failed`.
    public var summary: String { "\(passedCount) passed, \(failedCount) failed" }

    /// One line per case (`✔ name`, `✘ name (file:line)`), each failure's transcripts with the
    /// first difference marked, and the summary as the last line. Format errors are not part
    /// of it (print `diagnostics` as a compiler would).
    public func render(colour: Bool = false) -> String {
        let style = ConversationReportStyle(enabled: colour)
        var lines: [String] = []
        for result in results {
            let warnings = result.warnings.map { "    warning: " + $0 }
            guard let failure = result.failure else {
                lines.append(style.green("✔") + " \(result.name)")
                lines += warnings
                continue
            }
            lines.append(style.red("✘") + " \(result.name) (\(result.position.file):\(result.position.line))")
            lines += warnings
            lines += Self.describe(failure, style: style).map { "    " + $0 }
        }
        lines.append(summary)
        return lines.joined(separator: "\n")
    }

    /// A failure as text lines: the message, then the expected and the actual transcript, the
    /// first difference marked with `>` and a caret under the first differing character.
    public static func describe(_ failure: ConversationFailure, colour: Bool = false) -> [String] {
        describe(failure, style: ConversationReportStyle(enabled: colour))
    }

    static func describe(_ failure: ConversationFailure, style: ConversationReportStyle) -> [String] {
        var lines = ["\(failure.position): \(failure.message)" + (failure.origin.map { " (from \($0))" } ?? "")]
        func transcript(_ title: String, _ entries: [ConversationTranscriptLine], mark: Int, colour: (String) -> String) {
            lines.append(style.bold(title))
            for (index, entry) in entries.enumerated() {
                let text = entry.isNote ? style.dim(entry.description) : entry.description
                guard index == mark else {
                    lines.append("    " + text)
                    continue
                }
                let from = entry.origin.map { "   " + style.dim("← \($0)") } ?? ""
                lines.append(colour("  > " + entry.description) + from)
                if let caret = failure.caret { lines.append("    " + String(repeating: " ", count: caret) + style.bold("^")) }
            }
        }
        transcript("expected:", failure.expected, mark: failure.expectedMark, colour: style.green)
        transcript("actual:", failure.actual, mark: failure.actualMark, colour: style.red)
        return lines
    }
}

/// ANSI colours, or plain text.
struct ConversationReportStyle {
    var enabled: Bool

    private func paint(_ code: String, _ text: String) -> String { enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
    func green(_ text: String) -> String { paint("32", text) }
    func red(_ text: String) -> String { paint("31", text) }
    func bold(_ text: String) -> String { paint("1", text) }
    func dim(_ text: String) -> String { paint("2", text) }
}
