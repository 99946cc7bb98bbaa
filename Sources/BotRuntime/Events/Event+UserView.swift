import FlowDSL

/// What a user sees of one event: the one decision of what reaches users, and as what, that
/// every channel only formats (REST and WebSocket JSON, the simulator's lines, the Flex
/// transcript's bot lines; SMS text and TwiML next).
public enum UserView: Sendable, Equatable {
    /// A message from the bot or an agent (`say`, `ask`, `buttons`): its text (nil for buttons
    /// alone), the buttons and quick replies it offers, and the agent's display name.
    case message(text: String?, choices: [Choice], agentName: String?)
    /// A status line (`meya.text.event.status`), with the quick replies it offers (interactive
    /// in Meya, as `say` is).
    case status(String, choices: [Choice])
    /// An image from the bot or an agent (Meya's `meya.image.event`), with its alternative text
    /// and a caption when it has them.
    case image(url: String, alt: String?, text: String?)
    /// Something went wrong. The text is the engine's own, for developers; a channel facing
    /// users shows the app's message for users instead (`UserErrorText`).
    case error(String)
    /// The user's own say, click or form (their history, replayed to a reconnecting client).
    case userInput(text: String?, buttonID: String?)
    /// Anything else a client may act on by its type alone (typing, a mode change, an
    /// integration's event); it carries no text.
    case signal
}

extension Event {
    /// Event types kept from users whoever sends them: for agents only.
    public static let agentOnlyTypes: Set<String> = [EventTypes.note, EventTypes.agentCommand]

    /// Event types of a user's own that are shown back to them (their history).
    public static let userHistoryTypes: Set<String> = [EventTypes.say, EventTypes.click, EventTypes.formSubmit]

    /// What a user sees of this event; nil when it is kept from them (notes and agent
    /// commands, a user's own typing or media, a user's event of another kind).
    public var userView: UserView? {
        if Self.agentOnlyTypes.contains(type) { return nil }
        if sender == .user {
            guard Self.userHistoryTypes.contains(type) else { return nil }
            let buttonID: String? = if case .string(let id)? = data["button_id"] { id } else { nil }
            return .userInput(text: text, buttonID: buttonID)
        }
        switch type {
        case EventTypes.say, EventTypes.ask, EventTypes.buttons:
            guard sender == .bot || sender == .agent else { return .signal }
            let agentName: String? = if sender == .agent, case .string(let name)? = data["agent_name"], !name.isEmpty { name } else { nil }
            return .message(text: text, choices: choices, agentName: agentName)
        case EventTypes.status:
            return .status(text ?? "", choices: choices)
        case EventTypes.image:
            guard case .string(let url)? = data["url"] else { return .signal }
            let alt: String? = if case .string(let alt)? = data["alt"], !alt.isEmpty { alt } else { nil }
            return .image(url: url, alt: alt, text: text)
        case EventTypes.error:
            return .error(text ?? "")
        default:
            return .signal
        }
    }

    /// The buttons and quick replies this event offers, in order (every channel reads them here).
    public var choices: [Choice] {
        var choices: [Choice] = []
        for key in ["buttons", "quick_replies"] {
            guard case .list(let buttons)? = data[key] else { continue }
            for case .map(let button) in buttons {
                guard case .string(let text)? = button["text"] else { continue }
                var choice = Choice(text: text)
                if case .string(let id)? = button["button_id"] { choice.buttonID = id }
                if case .string(let url)? = button["url"] { choice.url = url }
                choices.append(choice)
            }
        }
        return choices
    }
}
