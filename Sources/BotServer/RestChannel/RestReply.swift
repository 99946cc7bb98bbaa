import BotRuntime
import FlowDSL

/// A turn's outputs in Rasa's REST channel shape: a JSON array with one object per message.
///
/// - say / ask: `{"recipient_id": ID, "text": TEXT}`
/// - buttons and quick replies: `"buttons": [{"title": TEXT, "payload": BUTTON_ID or TEXT}]`
///   (and `"url"` for a link button) on the message that offers them
/// - status lines: `{"recipient_id": ID, "status": TEXT}`
/// - errors: `{"recipient_id": ID, "error": TEXT}`
///
/// Events a user does not see (typing, notes, mode changes) are left out.
enum RestReply {
    static func messages(of outputs: [Event], recipient: String) -> [TemplateValue] {
        outputs.compactMap { message(of: $0, recipient: recipient) }
    }

    static func json(of outputs: [Event], recipient: String) -> String {
        TemplateValue.list(messages(of: outputs, recipient: recipient)).jsonText
    }

    static func message(of event: Event, recipient: String) -> TemplateValue? {
        var message: TemplateMap = ["recipient_id": .string(recipient)]
        switch event.type {
        case EventTypes.say, EventTypes.ask, EventTypes.buttons:
            guard event.sender == .bot || event.sender == .agent else { return nil }
            if let text = event.text { message["text"] = .string(text) }
            if event.sender == .agent, case .string(let name)? = event.data["agent_name"], !name.isEmpty {
                message["agent_name"] = .string(name)
            }
        case EventTypes.status:
            message["status"] = .string(event.text ?? "")
        case EventTypes.error:
            message["error"] = .string(event.text ?? "")
        default:
            return nil
        }
        let buttons = buttons(of: event)
        if !buttons.isEmpty { message["buttons"] = .list(buttons) }
        return message.count > 1 ? .map(message) : nil
    }

    /// Rasa's buttons: the payload is what the client sends back — the button id when the
    /// button has one, else its text (which the bot takes as typed).
    private static func buttons(of event: Event) -> [TemplateValue] {
        event.choices.map { choice in
            var button: TemplateMap = ["title": .string(choice.text), "payload": .string(choice.buttonID ?? choice.text)]
            if let url = choice.url { button["url"] = .string(url) }
            return .map(button)
        }
    }
}
