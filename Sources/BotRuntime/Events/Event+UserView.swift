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
    /// and a caption when it has them, and the quick replies it offers.
    case image(url: String, alt: String?, text: String?, choices: [Choice])
    /// A file to download (Meya's `meya.file.event`), with its name and a caption when it has
    /// them, and the quick replies it offers.
    case file(url: String, name: String?, text: String?, choices: [Choice])
    /// Tiles (Meya's `meya.tile.event.ask`): text above them, the cards, and quick replies.
    case tiles(text: String?, tiles: [TileView], quickReplies: [Choice])
    /// A form (`meya.form.event.ask`): a page of fields or one field alone.
    case form(FormView)
    /// What became of a form's answers (`meya.form.event.error` / `.ok`): why each refused
    /// field was refused, in field order; none when they were taken.
    case formResult(form: String, errors: [FormFieldError])
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
            return .image(url: url, alt: alt, text: text, choices: choices)
        case EventTypes.file:
            guard case .string(let url)? = data["url"] else { return .signal }
            let name: String? = if case .string(let name)? = data["filename"], !name.isEmpty { name } else { nil }
            return .file(url: url, name: name, text: text, choices: choices)
        case EventTypes.error:
            return .error(text ?? "")
        case EventTypes.tiles:
            return .tiles(text: text, tiles: tileViews, quickReplies: buttons(in: "quick_replies"))
        case EventTypes.rating:
            let title: String? = if case .string(let title)? = data["title"] { title } else { nil }
            return .message(text: title, choices: choices, agentName: nil)
        case EventTypes.info:
            let info: String? = if case .string(let info)? = data["info"] { info } else { nil }
            return .message(text: info, choices: choices, agentName: nil)
        case EventTypes.hero:
            // The title, and under it the description: Meya's Orb draws them large, every Parley channel as a message.
            let lines = ["title", "description"].compactMap { key -> String? in
                if case .string(let line)? = data[key], !line.isEmpty { line } else { nil }
            }
            return .message(text: lines.isEmpty ? nil : lines.joined(separator: "\n"), choices: choices, agentName: nil)
        case EventTypes.formAsk:
            return formView.map(UserView.form) ?? .signal
        case EventTypes.formError, EventTypes.formOK:
            guard case .string(let form)? = data["form_id"] else { return .signal }
            var errors: [FormFieldError] = []
            if case .map(let fields)? = data["fields"] {
                for (name, message) in fields { errors.append(FormFieldError(name: name, message: message.pythonString)) }
            }
            return .formResult(form: form, errors: errors)
        default:
            return .signal
        }
    }

    /// What a channel that shows only text makes of this event (`UserView.textMessage`).
    public var textMessage: (text: String?, choices: [Choice], agentName: String?)? { userView?.textMessage }

    /// The buttons and quick replies this event offers, in order (every channel reads them
    /// here): a button ask's buttons, every tile's (the tile itself first when it is one), a
    /// rating's options, a form's first field's options and its extra buttons; then the quick
    /// replies. The engine numbers a step's answers in the same order (`ButtonItem.answers`).
    public var choices: [Choice] {
        let own: [Choice] = switch type {
        case EventTypes.tiles: tileViews.flatMap(\.buttons)
        case EventTypes.rating: buttons(in: "options")
        case EventTypes.formAsk: formView.map { $0.asText.choices } ?? []
        default: buttons(in: "buttons")
        }
        return type == EventTypes.formAsk ? own : own + buttons(in: "quick_replies")
    }

    /// The buttons listed under `key` in the event's data.
    func buttons(in key: String, of data: TemplateMap? = nil) -> [Choice] {
        guard case .list(let buttons)? = (data ?? self.data)[key] else { return [] }
        return buttons.compactMap { entry in
            guard case .map(let button) = entry, case .string(let text)? = button["text"] else { return nil }
            var choice = Choice(text: text)
            if case .string(let id)? = button["button_id"] { choice.buttonID = id }
            if case .string(let url)? = button["url"] { choice.url = url }
            return choice
        }
    }
}

extension UserView {
    /// A message, tiles or a form as a channel that shows only text and numbered choices
    /// (SMS, voice, the Flex transcript) has them: tiles as lines (title — description, rows,
    /// image link) with every button of every tile and the quick replies as choices; a form
    /// as its first question (`FormView.asText`); a form's refused answers as their reasons.
    /// Nil for other views.
    public var textMessage: (text: String?, choices: [Choice], agentName: String?)? {
        switch self {
        case .message(let text, let choices, let agentName):
            return (text, choices, agentName)
        case .tiles(let text, let tiles, let replies):
            var lines = text.map { [$0] } ?? []
            for tile in tiles {
                if let heading = tile.heading { lines.append(heading) }
                lines += tile.rowLines
                if let url = tile.imageURL { lines.append(url) }
            }
            return (lines.joined(separator: "\n").nilIfEmpty, tiles.flatMap(\.buttons) + replies, nil)
        case .form(let form):
            let asked = form.asText
            return (asked.text.nilIfEmpty, asked.choices, nil)
        case .formResult(_, let errors) where !errors.isEmpty:
            return (errors.map(\.message).joined(separator: "\n"), [], nil)
        default:
            return nil
        }
    }
}
