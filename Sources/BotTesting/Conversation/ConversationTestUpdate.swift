import BotRuntime
import FlowDSL

/// `botcli test --update`: a test file's text with what its failing cases expect to be shown
/// replaced by what the bot showed, in place.
///
/// Only the expectation steps (`bot:`, `status:`, `error:`, `buttons:`) after each input are
/// rewritten; inputs, scope checks, comments, blank lines and the rest of the file keep their
/// text and layout. An expectation that still matches what was shown (a `{regex: …}` too) keeps
/// its own line; the others are written anew, at the input's indentation.
public struct ConversationTestUpdate: Sendable {
    /// One rewritten case: the lines taken out and put in, for the diff printed to the author.
    public struct Change: Sendable, Equatable {
        public var caseName: String
        public var removed: [String]
        public var added: [String]

        /// The change as unified-diff lines: ` ` kept, `-` removed, `+` added (a longest common
        /// subsequence of the few lines involved).
        public var diffLines: [String] {
            let a = removed, b = added
            var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
            for i in stride(from: a.count - 1, through: 0, by: -1) {
                for j in stride(from: b.count - 1, through: 0, by: -1) {
                    table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
                }
            }
            var lines: [String] = [], i = 0, j = 0
            while i < a.count || j < b.count {
                if i < a.count, j < b.count, a[i] == b[j] {
                    lines.append(" " + a[i]); i += 1; j += 1
                } else if i < a.count, j == b.count || table[i + 1][j] >= table[i][j + 1] {
                    lines.append("-" + a[i]); i += 1
                } else {
                    lines.append("+" + b[j]); j += 1
                }
            }
            return lines
        }
    }

    public private(set) var text: String
    public private(set) var changes: [Change] = []

    /// `recordings`: for each failing case of `file`, the lines shown after each of its inputs
    /// (`ConversationTestRunner.record`).
    public init(file: ConversationTestFile, recordings: [(ConversationTestCase, [Int: [String]])]) {
        var lines = file.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let caseStarts = file.cases.map(\.position.line)
        // Bottom to top, so earlier line numbers stay right.
        var edits: [(start: Int, end: Int, lines: [String], caseName: String)] = []
        for (testCase, shown) in recordings {
            let next = caseStarts.first { $0 > testCase.position.line } ?? lines.count + 1
            edits += Self.edits(for: testCase, shown: shown, lines: lines, caseEnd: next - 1)
        }
        for edit in edits.sorted(by: { $0.start > $1.start }) {
            // Lines start...end go (none when end is start - 1: an insertion before `start`).
            let range = (edit.start - 1)..<edit.end
            changes.insert(Change(caseName: edit.caseName, removed: Array(lines[range]), added: edit.lines), at: 0)
            lines.replaceSubrange(range, with: edit.lines)
        }
        text = lines.joined(separator: "\n")
    }

    /// The replacements one case needs: for each input whose expectations differ from what was
    /// shown, its expectation lines (start...end, 1-based; end = start - 1 to insert) and theirs.
    private static func edits(for testCase: ConversationTestCase, shown: [Int: [String]], lines: [String],
                              caseEnd: Int) -> [(start: Int, end: Int, lines: [String], caseName: String)] {
        let steps = testCase.steps
        var result: [(Int, Int, [String], String)] = []
        // A step's lines: from its own to the next step's, the comments and blank lines after
        // it included only when `trailing` (so a kept line keeps the comment that follows it).
        func span(_ index: Int, trailing: Bool = false) -> ClosedRange<Int> {
            let start = steps[index].position.line
            var end = index + 1 < steps.count ? steps[index + 1].position.line - 1 : caseEnd
            while !trailing, end > start, isLayout(lines[end - 1]) { end -= 1 }
            return start...end
        }
        for (index, step) in steps.enumerated() {
            guard case .input = step.kind, let recorded = shown[index] else { continue }
            let following = steps.indices.dropFirst(index + 1).prefix { if case .input = steps[$0].kind { false } else { true } }
            let expectations = following.filter { steps[$0].isExpectation }
            // Expectations between scope checks are not rewritten: the layout would not survive.
            guard expectations.isEmpty || expectations == Array(expectations.first!...expectations.last!) else { continue }
            let indent = String(lines[step.position.line - 1].prefix { $0 == " " })
            var written: [String] = [], old = expectations[...]
            for unit in units(recorded) {
                // The next old expectation that still matches keeps its line; those it skips go.
                if let kept = old.firstIndex(where: { steps[$0].matches(unit) }) {
                    written += span(old[kept], trailing: old[kept] != expectations.last).map { lines[$0 - 1] }
                    old = old[(kept + 1)...]
                } else {
                    written.append(indent + unit.yamlStep)
                }
            }
            let current = expectations.flatMap { span($0, trailing: $0 != expectations.last).map { lines[$0 - 1] } }
            guard written != current else { continue }
            if let first = expectations.first, let last = expectations.last {
                result.append((span(first).lowerBound, span(last).upperBound, written, testCase.name))
            } else {
                let after = span(index).upperBound
                result.append((after + 1, after, written, testCase.name))
            }
        }
        return result
    }

    /// A blank or comment line.
    private static func isLayout(_ line: String) -> Bool {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        return trimmed.isEmpty || trimmed.hasPrefix("#")
    }

    /// One expectation step's worth of shown lines: a line, or a run of buttons.
    enum Unit: Equatable {
        case line(kind: String, text: String)
        case buttons([String])

        var yamlStep: String {
            switch self {
            case .line(let kind, let text): "- \(kind): \(YAMLText.scalar(text))"
            case .buttons(let texts): "- buttons: [\(texts.map(YAMLText.flowScalar).joined(separator: ", "))]"
            }
        }
    }

    static func units(_ shown: [String]) -> [Unit] {
        var units: [Unit] = []
        for line in shown {
            if line.hasPrefix("button: ") {
                let text = String(line.dropFirst("button: ".count))
                if case .buttons(let texts)? = units.last {
                    units[units.count - 1] = .buttons(texts + [text])
                } else {
                    units.append(.buttons([text]))
                }
            } else if let colon = line.range(of: ": ") {
                units.append(.line(kind: String(line[..<colon.lowerBound]), text: String(line[colon.upperBound...])))
            }
        }
        return units
    }
}

extension ConversationStep {
    var isExpectation: Bool {
        switch kind {
        case .expect, .buttons: true
        default: false
        }
    }

    func matches(_ unit: ConversationTestUpdate.Unit) -> Bool {
        switch (kind, unit) {
        case (.expect(let expectation), .line(let kind, let text)): expectation.matches("\(kind): \(text)")
        case (.buttons(let expected), .buttons(let shown)): expected == shown
        default: false
        }
    }
}

/// YAML text for a value written into a test file: plain when YAML reads it back as the same
/// string, else double-quoted (JSON escapes are YAML's).
enum YAMLText {
    static func scalar(_ text: String) -> String {
        isPlain(text, inFlow: false) ? text : quoted(text)
    }

    static func flowScalar(_ text: String) -> String {
        isPlain(text, inFlow: true) ? text : quoted(text)
    }

    private static func isPlain(_ text: String, inFlow: Bool) -> Bool {
        guard let first = text.first, let last = text.last, first != " ", last != " ", last != ":" else { return false }
        if "-?:,[]{}#&*!|>'\"%@`".contains(first) { return false }
        if text.contains(": ") || text.contains(" #") || text.contains(where: { $0.isNewline || $0 == "\t" }) { return false }
        if inFlow, text.contains(where: { ",[]{}".contains($0) }) { return false }
        // Words YAML reads as something else than text.
        let lowered = text.lowercased()
        if ["true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"].contains(lowered) || Double(text) != nil { return false }
        return true
    }

    /// A JSON string is a YAML double-quoted scalar.
    private static func quoted(_ text: String) -> String {
        TemplateValue.string(text).jsonText
    }
}
