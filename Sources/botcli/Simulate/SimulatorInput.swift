import BotRuntime
import BotTesting
import FlowDSL
import Foundation

/// One line typed into `botcli simulate`, understood: a message for the bot or a `:command`.
///
/// A line is a command when it starts with `:` and a letter (`:state`); `::text` sends
/// `:text` as a message, and lines such as `:)` are messages as typed.
enum SimulatorInput: Equatable {
    /// Text for the bot (it may click an offered button; see `OfferedButtons`).
    case message(String)
    case help, reset, state, quit
    /// `:event TYPE [JSON]`: an event from the user with this type and data.
    case event(type: String, data: TemplateMap)
    /// `:agent TEXT` / `:agent(NAME) TEXT`: a human agent's message.
    case agent(text: String, name: String?)
    /// `:agent /cmd …`: an agent command (the whole text, slash included).
    case agentCommand(String)
    /// A command the simulator does not know (its name, colon included).
    case unknownCommand(String)
    /// A known command used wrongly: what is wrong.
    case invalid(String)
    /// Nothing to do (a blank line).
    case empty

    /// The commands, for `:help` and for hints after an unknown command.
    static let commandNames = [":help", ":reset", ":state", ":event", ":agent", ":quit"]

    /// Short names `:event` accepts (page_open, chat_open, chat_close): the ones conversation
    /// tests accept for `event:`.
    static var eventAliases: [String: String] { ConversationInput.eventAliases }

    init(line raw: String) {
        let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !line.isEmpty else { self = .empty; return }
        if line.hasPrefix("::") { self = .message(String(line.dropFirst())); return }
        guard line.hasPrefix(":"), let second = line.dropFirst().first, second.isLetter else {
            self = .message(line)
            return
        }
        let body = line.dropFirst()
        let name = String(body.prefix { $0.isLetter || $0 == "_" || $0 == "-" }).lowercased()
        let rest = body.dropFirst(name.count)
        let argument = String(rest).trimmingCharacters(in: .whitespacesAndNewlines)
        switch name {
        case "help", "h": self = argument.isEmpty ? .help : .invalid("`:help` takes nothing after it")
        case "reset": self = argument.isEmpty ? .reset : .invalid("`:reset` takes nothing after it")
        case "state": self = argument.isEmpty ? .state : .invalid("`:state` takes nothing after it")
        case "quit", "exit", "q": self = .quit
        case "event": self = Self.event(argument)
        case "agent": self = Self.agent(rest)
        default: self = .unknownCommand(":" + name)
        }
    }

    /// `TYPE [JSON]`.
    private static func event(_ argument: String) -> SimulatorInput {
        let usage = "write `:event TYPE [JSON]`, TYPE a Meya event type or one of "
            + eventAliases.keys.sorted().joined(separator: ", ")
        guard !argument.isEmpty else { return .invalid("`:event` needs an event type: " + usage) }
        let word = String(argument.prefix { !$0.isWhitespace })
        let json = String(argument.dropFirst(word.count)).trimmingCharacters(in: .whitespacesAndNewlines)
        let type: String
        if let full = eventAliases[word.lowercased()] {
            type = full
        } else if word.contains(".") {
            type = word
        } else {
            return .invalid("`\(word)` is not an event type; " + usage)
        }
        guard !json.isEmpty else { return .event(type: type, data: [:]) }
        do {
            guard case .map(let data) = try TemplateValue(jsonText: json) else {
                return .invalid("the data of `:event` must be a JSON object such as {\"text\": \"hi\"}, not `\(json)`")
            }
            return .event(type: type, data: data)
        } catch {
            return .invalid("the data of `:event` is not valid JSON: \(error) in `\(json)`")
        }
    }

    /// `TEXT`, `(NAME) TEXT` or `/cmd …` (what follows `:agent`).
    private static func agent(_ rest: Substring) -> SimulatorInput {
        var rest = rest
        var name: String?
        if rest.first == "(" {
            guard let close = rest.firstIndex(of: ")") else { return .invalid("`:agent(NAME)` is missing its `)`") }
            name = String(rest[rest.index(after: rest.startIndex)..<close]).trimmingCharacters(in: .whitespacesAndNewlines)
            rest = rest[rest.index(after: close)...]
        }
        let text = String(rest).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return .invalid("`:agent` needs the agent's message: `:agent TEXT` or `:agent(NAME) TEXT`") }
        if text.hasPrefix("/") { return .agentCommand(text) }
        return .agent(text: text, name: name?.isEmpty == false ? name : nil)
    }
}

/// The buttons and quick replies the bot offered last, and which one a typed line picks.
struct OfferedButtons {
    /// What a typed line sends.
    enum Reply: Equatable {
        /// Click the button with this id (its text goes along, as a chat widget sends it).
        case click(buttonID: String, text: String)
        case say(String)
    }

    private(set) var choices: [Choice] = []

    /// Takes the buttons of a turn: a turn where the bot spoke replaces the offer (with no
    /// buttons, it withdraws it); a turn where it did not (a status, an error, nothing) keeps it.
    mutating func update(with result: TurnResult) { update(shown: result.shownEvents) }

    /// The same for events shown in a turn (those with plain lines, in order).
    mutating func update(shown: [Event]) {
        let offers = shown.contains { event in
            guard let choices = event.textMessage?.choices else { return false }
            return event.sender == .bot || !choices.isEmpty
        }
        guard offers else { return }
        choices = shown.flatMap(\.choices)
    }

    mutating func clear() { choices = [] }

    /// A button's text (any case) or its number (`1` is the first shown) clicks it when it has
    /// an id; a button without one is said as its text. Any other line is said as typed.
    func reply(to line: String) -> Reply {
        let typed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        let choice = choices.first { $0.text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() == typed.lowercased() }
            ?? Int(typed).flatMap { $0 >= 1 && $0 <= choices.count ? choices[$0 - 1] : nil }
        guard let choice else { return .say(typed) }
        guard let id = choice.buttonID else { return .say(choice.text) }
        return .click(buttonID: id, text: choice.text)
    }
}

extension TurnResult {
    /// The events the user is shown, in the order of `plainLines` (an agent's message first).
    var shownEvents: [Event] {
        ((inbound.sender == .agent ? [inbound] : []) + outputs).filter { !$0.plainLines.isEmpty }
    }
}
