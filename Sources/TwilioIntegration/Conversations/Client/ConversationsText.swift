import BotRuntime
import FlowDSL

/// What a customer on SMS, WhatsApp or a Conversations chat gets of one event, from the shared
/// model of what users see (`UserView`): plain text, with the choices the bot offers as numbered
/// lines (`1. Hardware`), which the customer answers by number or by text
/// (`ConversationsEventMapper.chosen`). A link button shows its link. An agent relayed by the
/// bot is named (`Ana: …`); a status line is a line of text. Errors reach no customer (the
/// app's flows decide what to tell them; the details are in the log and the ledger), nor do
/// signals (typing, mode changes).
enum ConversationsText {
    /// The message for `event`, or nil when the customer sees nothing of it.
    static func message(for event: Event) -> ConversationsAPI.Message? {
        let body: String
        let view = event.userView
        switch view {
        case .message(let text, let choices, let agentName)?:
            let said = text.flatMap { $0.isEmpty ? nil : $0 }
            body = lines(said.map { said in agentName.map { "\($0): \(said)" } ?? said }, choices)
        case .status(let text, let choices)?:
            body = lines(text, choices)
        case .image(let url, let alt, let text, let choices)?:
            // A link: Conversations takes media only as uploads to its Media Content Service.
            body = lines([text, alt, url].compactMap { $0 }.joined(separator: "\n"), choices)
        case .file(let url, let name, let text, let choices)?:
            body = lines([text, name, url].compactMap { $0 }.joined(separator: "\n"), choices)
        case .tiles?, .form?, .formResult?:
            guard let (text, choices, _) = view?.textMessage else { return nil }
            body = lines(text, choices)
        default:
            return nil
        }
        // No author yet: `bot_author` is a setting, read with the vault when the message goes.
        var message = ConversationsAPI.Message(author: "", body: body)
        if event.type == EventTypes.say, case .string(let content)? = event.data["content_sid"], !content.isEmpty {
            message.contentSid = content
            // Twilio's variables are text: `{"1": "Ana"}`.
            if case .map(let variables)? = event.data["content_variables"] {
                message.contentVariables = TemplateValue.map(variables.mapValues { .string($0.pythonString) }).jsonText
            }
        }
        guard !message.body.isEmpty || message.contentSid != nil else { return nil }
        return message
    }

    /// `text`, then the choices as numbered lines (`1. Hardware`), which the customer answers by number or text.
    private static func lines(_ text: String?, _ choices: [Choice]) -> String {
        var lines = text.map { [$0] } ?? []
        for (index, choice) in choices.enumerated() {
            lines.append("\(index + 1). \(choice.text)" + (choice.url.map { " (\($0))" } ?? ""))
        }
        return lines.joined(separator: "\n")
    }

    /// The message as an outbox payload keeps it (no credential, no author: the integration's
    /// id names the settings it is sent with).
    static func payload(_ message: ConversationsAPI.Message, conversation: String, integrationID: String) -> TemplateMap {
        var payload: TemplateMap = ["integration_id": .string(integrationID), "conversation_sid": .string(conversation),
                                    "body": .string(message.body)]
        if let content = message.contentSid { payload["content_sid"] = .string(content) }
        if let variables = message.contentVariables { payload["content_variables"] = .string(variables) }
        return payload
    }

    /// The message an outbox payload holds (its author still to be set), with the conversation
    /// it goes to.
    static func message(payload: TemplateMap) -> (ConversationsAPI.Message, conversation: String)? {
        func text(_ key: String) -> String? { if case .string(let value)? = payload[key] { value } else { nil } }
        guard let conversation = text("conversation_sid"), let body = text("body") else { return nil }
        return (ConversationsAPI.Message(author: "", body: body, contentSid: text("content_sid"),
                                         contentVariables: text("content_variables")), conversation)
    }
}
