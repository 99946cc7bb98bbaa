import BotRuntime
import FlowDSL

/// A turn's outputs in Rasa's REST channel shape: a JSON array with one object per message.
///
/// - say / ask: `{"recipient_id": ID, "text": TEXT}`
/// - buttons and quick replies: `"buttons": [{"title": TEXT, "payload": BUTTON_ID or TEXT}]`
///   (and `"url"` for a link button) on the message that offers them
/// - status lines: `{"recipient_id": ID, "status": TEXT}`
/// - errors: `{"recipient_id": ID, "error": TEXT}`, TEXT being the app's message for users
///   (`UserErrorText`), not the error's details
///
/// Events a user does not see (typing, notes, mode changes) are left out.
enum RestReply {
    /// The answer's JSON, written straight into bytes (every REST turn answers with it).
    /// `errorText` is asked for only when the turn has an error to show.
    static func json(of outputs: [Event], recipient: String, errorText: () -> String) -> [UInt8] {
        var json = JSONWriter(capacity: 512)
        json.raw("[")
        var first = true
        for event in outputs {
            guard let field = shownField(of: event, errorText: errorText) else { continue }
            let buttons = event.choices
            let agentName: String? = if event.sender == .agent, case .string(let name)? = event.data["agent_name"], !name.isEmpty { name } else { nil }
            guard field.text != nil || agentName != nil || !buttons.isEmpty else { continue }
            if !first { json.raw(",") }
            first = false
            json.raw(#"{"recipient_id":"#)
            json.write(recipient)
            if let text = field.text {
                json.raw(",")
                json.write(field.key)
                json.raw(":")
                json.write(text)
            }
            if let agentName {
                json.raw(#","agent_name":"#)
                json.write(agentName)
            }
            if !buttons.isEmpty {
                json.raw(#","buttons":["#)
                for (index, choice) in buttons.enumerated() {
                    if index > 0 { json.raw(",") }
                    json.raw(#"{"title":"#)
                    json.write(choice.text)
                    json.raw(#","payload":"#)
                    json.write(choice.buttonID ?? choice.text)
                    if let url = choice.url {
                        json.raw(#","url":"#)
                        json.write(url)
                    }
                    json.raw("}")
                }
                json.raw("]")
            }
            json.raw("}")
        }
        json.raw("]")
        return json.bytes
    }

    /// Which field carries the event's text (`text`, `status` or `error`) and the text; nil
    /// for events the user does not see.
    private static func shownField(of event: Event, errorText: () -> String) -> (key: String, text: String?)? {
        switch event.type {
        case EventTypes.say, EventTypes.ask, EventTypes.buttons:
            guard event.sender == .bot || event.sender == .agent else { return nil }
            return ("text", event.text)
        case EventTypes.status:
            return ("status", event.text ?? "")
        case EventTypes.error:
            return ("error", errorText())
        default:
            return nil
        }
    }
}
