import BotRuntime
import FlowDSL

/// Server → client frames of the WebSocket channel: one JSON object per text frame, formatting
/// what the user sees of each event (`Event.userView`).
///
/// - an event of the thread: `{"id": SEQ, "type": TYPE, "sender": "bot" | "agent" | "user" |
///   "system", "text"?: TEXT, "buttons"?: [{"text": TEXT, "button_id"?: ID, "url"?: URL}],
///   "status"?: TEXT, "agent_name"?: NAME, "button_id"?: ID}` — `id` is the event's sequence
///   in the thread's ledger (the `after=` of a reconnect), `type` Meya's event type
///   (`meya.text.event.say`, `meya.button.event.ask`, `meya.text.event.status`,
///   `meya.presence.event.typing.on` …). Status lines carry `status` instead of `text`;
///   buttons and quick replies both come as `buttons`; a user's click carries `button_id`;
///   signals (typing, mode changes, an integration's events) carry no text. Tiles carry
///   `tiles` (`TileView.json`) and their quick replies as `buttons`; a form carries `form`
///   (`FormView.json`); what became of a form's answers, `form_id` and `errors` (field name →
///   why; empty: taken). What the bot shows may carry how to present it (`Presentation`):
///   `composer`, `header`, `markdown`.
/// - the end of the turn of a client frame that had a `message_id`, after that turn's events:
///   `{"ack": MESSAGE_ID, "id": SEQ}` with the client's event's own sequence, and
///   `"duplicate": true` when the id had been handled before (nothing ran again).
/// - a refused frame or request: `{"error": MESSAGE}` (no `id`); when a frame's turn failed,
///   with that frame's `"message_id"` if it had one (no ack follows).
///
/// Agent notes and agent commands are never sent: they are for agents, not users.
enum WebSocketOutput {
    /// The frame for `event` (what the user sees of it, `Event.userView`), or nil when users
    /// do not see it; an error event says `errorText` (the app's message for users,
    /// `UserErrorText`), not its details.
    static func frame(of event: Event, errorText: String) -> String? {
        guard let view = event.userView else { return nil }
        var frame: TemplateMap = ["id": .int(event.sequence), "type": .string(event.type), "sender": .string(event.sender.rawValue)]
        func offer(_ choices: [Choice]) {
            if !choices.isEmpty { frame["buttons"] = .list(choices.map(\.json)) }
        }
        switch view {
        case .message(let text, let choices, let agentName):
            if let text { frame["text"] = .string(text) }
            if let agentName { frame["agent_name"] = .string(agentName) }
            offer(choices)
        case .tiles(let text, let tiles, let replies):
            if let text { frame["text"] = .string(text) }
            frame["tiles"] = .list(tiles.map(\.json))
            offer(replies)
        case .form(let form):
            frame["form"] = form.json
        case .formResult(let form, let errors):
            frame["form_id"] = .string(form)
            frame["errors"] = FormFieldError.json(errors)
        case .image(let url, let alt, let text, let choices):
            frame["image"] = .string(url)
            if let alt { frame["alt"] = .string(alt) }
            if let text { frame["text"] = .string(text) }
            offer(choices)
        case .file(let url, let name, let text, let choices):
            frame["file"] = .string(url)
            if let name { frame["filename"] = .string(name) }
            if let text { frame["text"] = .string(text) }
            offer(choices)
        case .status(let text, let choices):
            frame["status"] = .string(text)
            offer(choices)
        case .error:
            frame["text"] = .string(errorText)
        case .userInput(let text, let buttonID):
            if let text { frame["text"] = .string(text) }
            if let buttonID { frame["button_id"] = .string(buttonID) }
        case .signal:
            break
        }
        if let presentation = event.presentation { frame.merge(presentation.json) { mine, _ in mine } }
        return TemplateValue.map(frame).jsonText
    }

    /// `{"ack": messageID, "id": id}`, with `"duplicate": true` for a repeated message id.
    static func ack(messageID: String, id: Int, duplicate: Bool) -> String {
        var frame: TemplateMap = ["ack": .string(messageID), "id": .int(id)]
        if duplicate { frame["duplicate"] = .bool(true) }
        return TemplateValue.map(frame).jsonText
    }

    /// `{"error": message}`, with the `message_id` of the frame whose turn failed when it had one.
    static func error(_ message: String, messageID: String? = nil, status: Int? = nil) -> String {
        var frame: TemplateMap = ["error": .string(message)]
        if let messageID { frame["message_id"] = .string(messageID) }
        if let status { frame["status"] = .int(status) }
        return TemplateValue.map(frame).jsonText
    }
}
