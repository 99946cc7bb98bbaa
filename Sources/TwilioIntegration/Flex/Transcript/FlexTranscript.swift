import BotRuntime
import FlowDSL

/// Turns ledger events into the text a Flex agent reads (spec §10.4): `user: …`, `bot: …`,
/// `agent: …` lines, buttons and quick replies as `--> [text]` (` - url` for links), form
/// submits as `key: value` lines, notes with the note prefix. The bot's messages are what the
/// user saw of them (`Event.userView`); status lines, errors, signals (mode changes,
/// integration events) and agent commands are left out. A virtual agent's turn on a call
/// (`parley.twilio.voice.event.virtual_agent_turn`) is what the caller said and what the
/// virtual agent answered. Vault values stay the `[vault.KEY]` placeholders the ledger keeps.
public struct FlexTranscript: Sendable {
    public var options: FlexSettings.TranscriptOptions

    public init(options: FlexSettings.TranscriptOptions = .init()) {
        self.options = options
    }

    /// The transcript of the last `options.count` events that have lines, oldest first;
    /// nil when there is nothing to send.
    public func render(_ events: [Event]) -> String? {
        guard options.count > 0 else { return nil }
        var blocks: [[String]] = []
        for (index, event) in events.enumerated() {
            guard let lines = lines(for: event, history: events[..<index]), !lines.isEmpty else { continue }
            blocks.append(lines)
        }
        let kept = blocks.suffix(options.count)
        return kept.isEmpty ? nil : kept.flatMap { $0 }.joined(separator: "\n")
    }

    /// The transcript as chat messages, oldest first (the last `count` events that say
    /// something, `options.count` by default): who said it (`.user`, or `.bot` for the bot and
    /// earlier agents, whose lines keep the agent prefix) and the text, without the sender's
    /// prefix (the author shows it).
    public func messages(_ events: [Event], last count: Int? = nil) -> [Line] {
        let count = count ?? options.count
        guard count > 0 else { return [] }
        let lines = events.indices.flatMap { index -> [Line] in
            if let turn = Self.virtualAgentTurn(events[index]) {
                return [Line(sender: .user, text: turn.heard), Line(sender: .bot, text: "\(Self.virtualAgentName): \(turn.said)")]
            }
            return message(for: events[index], history: events[..<index]).map { [$0] } ?? []
        }
        return Array(lines.suffix(count))
    }

    /// One event as a chat message (`messages`), relayed live or in a transcript; nil for
    /// events a transcript leaves out.
    public func message(for event: Event, history: ArraySlice<Event>) -> Line? {
        switch event.sender {
        case .user:
            return Self.userText(event, history: history).map { Line(sender: .user, text: $0) }
        case .bot where event.type != EventTypes.note:
            if case .image(let url, _, let caption, _)? = event.userView {
                return Line(sender: .bot, text: ((caption.map { [$0] } ?? []) + ["[image] \(url)"]).joined(separator: "\n"))
            }
            if case .file(let url, let name, let caption, _)? = event.userView {
                return Line(sender: .bot, text: ((caption.map { [$0] } ?? []) + ["[file] " + [name, url].compactMap { $0 }.joined(separator: " ")])
                    .joined(separator: "\n"))
            }
            guard let (text, choices, _) = event.textMessage else { return nil }
            let lines = (text.map { [$0] } ?? []) + choices.map(Self.choiceLine)
            return lines.isEmpty ? nil : Line(sender: .bot, text: lines.joined(separator: "\n"))
        case .agent:
            return lines(for: event, history: history).map { Line(sender: .bot, text: $0.joined(separator: "\n")) }
        default:
            return nil
        }
    }

    /// One message of a transcript posted message by message.
    public struct Line: Sendable, Equatable {
        /// `.user` or `.bot`.
        public var sender: Sender
        public var text: String
    }

    /// The lines for one event, prefixed by who sent it; nil for events a transcript leaves out.
    /// `history` (the events before it) names the button a click chose.
    public func lines(for event: Event, history: ArraySlice<Event>) -> [String]? {
        switch event.sender {
        case .user:
            guard let text = Self.userText(event, history: history) else { return nil }
            return prefixed(options.userPrefix, text)
        case .agent:
            guard case .message(let text?, _, _)? = event.userView else { return nil }
            return prefixed(options.agentPrefix, text)
        case .bot:
            // Notes are for the agent live; the transcript leaves CSP events out (spec §10.4).
            return event.type == EventTypes.note ? nil : botLines(event)
        case .system:
            guard let turn = Self.virtualAgentTurn(event) else { return nil }
            return prefixed(options.userPrefix, turn.heard) + prefixed(Self.virtualAgentName, turn.said)
        }
    }

    /// A bot message as relayed live (what the user saw of it, `Event.userView`): its lines
    /// with the bot prefix, buttons below; a note (for the agent only) with the note prefix.
    public func botLines(_ event: Event) -> [String]? {
        if event.type == EventTypes.note {
            return event.text.map { prefixed(options.notePrefix, $0, separator: " ") }
        }
        guard let (text, choices, _) = event.textMessage else { return nil }
        var lines = text.map { prefixed(options.botPrefix, $0) } ?? []
        lines += choices.map(Self.choiceLine)
        return lines.isEmpty ? nil : lines
    }

    /// Who a virtual agent's answers are from, in a transcript.
    static let virtualAgentName = "virtual agent"

    /// What the caller said and the virtual agent answered in one of its turns.
    static func virtualAgentTurn(_ event: Event) -> (heard: String, said: String)? {
        guard event.type == VoiceElements.Event.virtualAgentTurn, case .string(let heard)? = event.data["resolved_input"],
              case .string(let said)? = event.data["reply_text"] else { return nil }
        return (heard, said)
    }

    /// A button or quick reply as the agent reads it: `--> [text]`, ` - url` for a link.
    static func choiceLine(_ choice: Choice) -> String {
        "--> [\(choice.text)]" + (choice.url.map { " - \($0)" } ?? "")
    }

    /// What a user's event says, as the agent should read it: typed text, the text of the
    /// button clicked (found among the buttons offered in `history`), a form's `key: value`
    /// lines, an attachment's link. Nil for events that say nothing (page open, typing).
    public static func userText(_ event: Event, history: some BidirectionalCollection<Event>) -> String? {
        switch event.type {
        case EventTypes.say:
            return event.text
        case EventTypes.click:
            if let choice = chosenButton(event, history: history) { return choice.text }
            if case .string(let id)? = event.data["button_id"] { return event.text ?? id }
            return event.text
        case EventTypes.formSubmit:
            guard case .map(let fields)? = event.data["fields"] ?? event.data["form"] ?? event.data["data"] else { return event.text }
            // Each field by the label the user saw (the form is in `history`), else by its name.
            let form = history.last { $0.type == EventTypes.formAsk && $0.data["form_id"] == event.data["form_id"] }?.formView
            return fields.map { name, value in
                let label = form?.fields.first { $0.name == name }.flatMap { $0.label ?? $0.placeholder } ?? name
                return "\(label): \(Self.plain(value))"
            }.joined(separator: "\n")
        case EventTypes.media:
            let url = event.data["url"].map(Self.plain)
            let name = event.data["filename"].map(Self.plain)
            return [name, url].compactMap { $0 }.joined(separator: " ").nilIfEmpty ?? event.text
        default:
            return nil
        }
    }

    /// The button a click chose, among the buttons the bot offered in `history` (latest first).
    public static func chosenButton(_ event: Event, history: some BidirectionalCollection<Event>) -> Choice? {
        guard event.type == EventTypes.click, case .string(let id)? = event.data["button_id"] else { return nil }
        for earlier in history.reversed() where earlier.sender != .user {
            if let choice = earlier.choices.first(where: { $0.buttonID == id }) { return choice }
        }
        return nil
    }

    private func prefixed(_ prefix: String, _ text: String, separator: String = ": ") -> [String] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let first = lines.first else { return [] }
        let head = prefix.isEmpty ? first : "\(prefix)\(separator)\(first)"
        return [head] + lines.dropFirst()
    }

    private static func plain(_ value: TemplateValue) -> String {
        if case .string(let text) = value { return text }
        return value.pythonString
    }
}
