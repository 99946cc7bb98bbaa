import FlowDSL
import Foundation

/// A conversation test file: a YAML list of cases (`name:` and `steps:`), read with positions
/// so that every mistake is reported as `tests/greeting.yaml:12:7: error: …`.
public struct ConversationTestFile: Sendable {
    /// The file as it is named in reports (relative to the app folder when inside it).
    public var path: String
    public var cases: [ConversationTestCase]
    /// Format errors; a file with any is not run.
    public var diagnostics: [Diagnostic]
    /// The file's text as read, and where it is on disk (for `botcli test --update`).
    public var text = ""
    public var url: URL?

    public init(path: String, cases: [ConversationTestCase], diagnostics: [Diagnostic] = []) {
        self.path = path
        self.cases = cases
        self.diagnostics = diagnostics
    }

    /// Reads a test file's text; `path` names it in positions.
    public init(parsing text: String, path: String) {
        self.path = path
        self.text = text
        var parser = ConversationTestParser(file: path)
        let read = YAMLReader.documents(in: text, file: path)
        parser.diagnostics = read.diagnostics
        if read.diagnostics.isEmpty {
            for document in read.documents { parser.readFile(document) }
            if read.documents.isEmpty {
                parser.error(SourcePosition(file: path, line: 1, column: 1), "the file is empty; expected a list of test cases")
            }
        }
        cases = parser.cases
        diagnostics = parser.diagnostics.sortedByPosition()
    }
}
