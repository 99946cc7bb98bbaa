import BotRuntime
import FlowDSL

/// A turn's outputs in Rasa's REST channel shape: a JSON array with one object per message,
/// formatting what the user sees of each event (`Event.userView`).
///
/// - messages: `{"recipient_id": ID, "text": TEXT}`, with `"agent_name"` for an agent's
/// - buttons and quick replies: `"buttons": [{"title": TEXT, "payload": BUTTON_ID or TEXT}]`
///   (and `"url"` for a link button) on the message that offers them
/// - status lines: `{"recipient_id": ID, "status": TEXT}`
/// - errors: `{"recipient_id": ID, "error": TEXT}`, TEXT being the app's message for users
///   (`UserErrorText`), not the error's details
/// - files: `"attachment": {"type": "file", "url", "name"?}`, a caption as `text`
/// - tiles and forms: as text with buttons (`Event.textMessage`, what a client that draws only
///   text and buttons can show), and whole under Rasa's `"custom"`: `{"tiles": [TileView.json]}`,
///   `{"form": FormView.json}`; what became of a form's answers, `{"form_id", "errors"}` (with
///   the reasons as `text` when refused)
///
/// Signals (typing, mode changes) and the user's own events are left out.
enum RestReply {
    /// The answer's JSON, written straight into bytes (every REST turn answers with it).
    /// `errorText` is asked for only when the turn has an error to show.
    static func json(of outputs: [Event], recipient: String, errorText: () -> String) -> [UInt8] {
        var json = JSONWriter(capacity: 512)
        json.raw("[")
        var first = true
        for event in outputs {
            let key: String, text: String?, agentName: String?, buttons: [Choice]
            var image: String?, custom: TemplateValue?, attachment: TemplateValue?
            let view = event.userView
            switch view {
            case .message(let said, let choices, let name)?:
                guard said != nil || name != nil || !choices.isEmpty else { continue }
                (key, text, agentName, buttons) = ("text", said, name, choices)
            case .image(let url, _, let caption, let choices)?:
                // Rasa's REST channel answers an image as `{"recipient_id", "image": URL}`.
                (key, text, agentName, buttons, image) = ("text", caption, nil, choices, url)
            case .file(let url, let name, let caption, let choices)?:
                // Rasa's attachment: `{"recipient_id", "attachment": …}`.
                (key, text, agentName, buttons) = ("text", caption, nil, choices)
                var file: TemplateMap = ["type": "file", "url": .string(url)]
                if let name { file["name"] = .string(name) }
                attachment = .map(file)
            case .status(let status, let choices)?:
                (key, text, agentName, buttons) = ("status", status, nil, choices)
            case .error?:
                (key, text, agentName, buttons) = ("error", errorText(), nil, [])
            case .tiles(_, let tiles, _)?:
                // As text with every button for Rasa's clients; whole under `custom` for those that draw cards.
                let message = view?.textMessage
                (key, text, agentName, buttons) = ("text", message?.text, nil, message?.choices ?? [])
                custom = .map(["tiles": .list(tiles.map(\.json))])
            case .form(let form)?:
                let asked = form.asText
                (key, text, agentName, buttons) = ("text", asked.text.nilIfEmpty, nil, asked.choices)
                custom = .map(["form": form.json])
            case .formResult(let form, let errors)?:
                (key, text, agentName, buttons) = ("text", view?.textMessage?.text, nil, [])
                custom = .map(["form_id": .string(form), "errors": FormFieldError.json(errors)])
            case .userInput?, .signal?, nil:
                continue
            }
            if !first { json.raw(",") }
            first = false
            json.raw(#"{"recipient_id":"#)
            json.write(recipient)
            if let image {
                json.raw(#","image":"#)
                json.write(image)
            }
            if let text {
                json.raw(",")
                json.write(key)
                json.raw(":")
                json.write(text)
            }
            if let agentName {
                json.raw(#","agent_name":"#)
                json.write(agentName)
            }
            if let custom {
                json.raw(#","custom":"#)
                json.write(custom)
            }
            if let attachment {
                json.raw(#","attachment":"#)
                json.write(attachment)
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
}
