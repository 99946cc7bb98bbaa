import Foundation
import FlowDSL

/// How one conversation test went.
public struct ConversationTestResult: Sendable {
    public var name: String
    /// Where the case starts.
    public var position: SourcePosition
    /// Why the case failed; nil when it passed.
    public var failure: ConversationFailure?
    /// What went wrong in the bot's turns without stopping them, passed or not (a trigger's
    /// `when:` that did not render): the report shows each.
    public var warnings: [String]

    public init(name: String, position: SourcePosition, failure: ConversationFailure? = nil, warnings: [String] = []) {
        self.name = name
        self.position = position
        self.failure = failure
        self.warnings = warnings
    }

    public var passed: Bool { failure == nil }
}

/// The first difference between what a test expected and what the user was shown, with both
/// transcripts up to there (and what follows) and the difference marked in each.
public struct ConversationFailure: Sendable, Equatable {
    /// One sentence: "expected `bot: Hi`, got `bot: Hello`".
    public var message: String
    /// The step where the difference was found.
    public var position: SourcePosition
    /// The flow and step that produced the differing output (`flow.pre_chat step 3`), when the
    /// difference is something the bot showed.
    public var origin: String?
    /// The test's steps as transcript lines.
    public var expected: [ConversationTranscriptLine]
    /// What happened: the inputs and every line the user was shown.
    public var actual: [ConversationTranscriptLine]
    /// Index of the first differing line in `expected` and in `actual`.
    public var expectedMark: Int
    public var actualMark: Int
    /// Offset (in characters) of the first differing character in both marked lines, when
    /// they are comparable text.
    public var caret: Int?

    public init(message: String, position: SourcePosition, origin: String? = nil,
                expected: [ConversationTranscriptLine], expectedMark: Int,
                actual: [ConversationTranscriptLine], actualMark: Int, caret: Int? = nil) {
        self.message = message
        self.position = position
        self.origin = origin
        self.expected = expected
        self.expectedMark = expectedMark
        self.actual = actual
        self.actualMark = actualMark
        self.caret = caret
    }
}

/// A line of a transcript: an input (`user: Ana`), a shown line (`bot: Hi`), a scope check, or
/// a note in parentheses standing in for a line that is not there.
public struct ConversationTranscriptLine: Sendable, Equatable, CustomStringConvertible {
    public var text: String
    /// For lines the bot showed: the flow and step that emitted them.
    public var origin: String?
    /// A note (`(nothing more was shown)`), not a real line.
    public var isNote: Bool

    public init(_ text: String, origin: String? = nil, isNote: Bool = false) {
        self.text = text
        self.origin = origin
        self.isNote = isNote
    }

    static func note(_ text: String) -> ConversationTranscriptLine { .init("(\(text))", isNote: true) }

    /// The text on one line: newlines and tabs shown as `\n` and `\t`.
    public var description: String {
        text.replacingOccurrences(of: "\n", with: "\\n")
            .replacingOccurrences(of: "\t", with: "\\t")
    }
}
