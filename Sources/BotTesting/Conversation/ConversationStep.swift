import BotRuntime
import FlowDSL

/// One step of a conversation test, with where it was written.
public struct ConversationStep: Sendable {
    /// What the step does.
    public enum Kind: Sendable {
        /// Something happens to the bot: the user types or clicks, an event arrives, an agent writes.
        case input(ConversationInput)
        /// The next line shown to the user must match.
        case expect(ConversationExpectation)
        /// The buttons of the latest bot message, in order (the next `button:` lines shown).
        case buttons([String])
        /// Keys of the thread or user scope must have these values.
        case scope(ConversationScope, TemplateMap)
    }

    public var kind: Kind
    public var position: SourcePosition

    public init(_ kind: Kind, at position: SourcePosition) {
        self.kind = kind
        self.position = position
    }

    /// The step as transcript lines (`user: Ana`, `bot: Hi`, one `button: X` per button).
    public var transcriptLines: [String] {
        switch kind {
        case .input(let input): [input.transcriptLine]
        case .expect(let expectation): [expectation.transcriptLine]
        case .buttons(let texts): texts.map { "button: \($0)" }
        case .scope(let scope, let values): [ConversationScope.transcriptLine(scope, values)]
        }
    }
}

/// Something a test makes happen.
public enum ConversationInput: Sendable {
    /// The user types text (`user: TEXT`).
    case user(String)
    /// The user clicks a button the bot offered (`click: TEXT`).
    case click(String)
    /// An event arrives (`event: page_open`, `event: {type: TYPE, data: {…}, sender: user}`).
    case event(type: String, data: TemplateMap, sender: Sender)
    /// A human agent writes (`agent: TEXT`); text starting with `/` is an agent command.
    case agent(String)

    /// Short names accepted for `event:` types.
    public static let eventAliases: [String: String] = [
        "page_open": EventTypes.pageOpen, "chat_open": EventTypes.chatOpen, "chat_close": EventTypes.chatClose,
    ]

    /// The input as a transcript line.
    public var transcriptLine: String {
        switch self {
        case .user(let text): return "user: \(text)"
        case .click(let text): return "click: \(text)"
        case .agent(let text): return "agent: \(text)"
        case .event(let type, let data, let sender):
            let name = Self.eventAliases.first { $0.value == type }?.key ?? type
            var line = "event: \(name)"
            if !data.isEmpty { line += " \(TemplateMap.flowStyle(data))" }
            if sender != .user { line += " (from \(sender.rawValue))" }
            return line
        }
    }
}

/// A line the user must be shown next: `bot:`, `status:` or `error:`.
public struct ConversationExpectation: Sendable {
    /// The kind of line: `bot`, `status` or `error`.
    public var kind: String
    public var text: ConversationTextMatcher

    public init(kind: String, text: ConversationTextMatcher) {
        self.kind = kind
        self.text = text
    }

    /// Whether a shown plain line (`bot: Hi`) is this one.
    public func matches(_ line: String) -> Bool {
        let prefix = "\(kind): "
        guard line.hasPrefix(prefix) else { return false }
        return text.matches(String(line.dropFirst(prefix.count)))
    }

    public var transcriptLine: String { "\(kind): \(text.description)" }
}

/// Exact text, or a Python regular expression searched for in the text.
public enum ConversationTextMatcher: Sendable, CustomStringConvertible {
    case exact(String)
    /// `{regex: PATTERN}`: Python `re.search` with no flags (case-sensitive, spaces count).
    case regex(PythonRegex)

    public func matches(_ text: String) -> Bool {
        switch self {
        case .exact(let expected): expected == text
        case .regex(let regex): regex.firstMatch(in: text) != nil
        }
    }

    public var description: String {
        switch self {
        case .exact(let text): text
        case .regex(let regex): "{regex: \(regex.pattern)}"
        }
    }
}

/// The persistent scopes a test can check.
public enum ConversationScope: String, Sendable {
    case thread, user

    static func transcriptLine(_ scope: ConversationScope, _ values: TemplateMap) -> String {
        "\(scope.rawValue): \(TemplateMap.flowStyle(values))"
    }
}
