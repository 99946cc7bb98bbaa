import FlowDSL
import OrderedCollections

extension Event {
    /// The event as a user reads it, one line per thing shown, in the simulator's plain format:
    /// `bot: TEXT`, `button: TEXT`, `status: TEXT`, `agent: TEXT` (`agent(NAME): TEXT`),
    /// `error: TEXT`. Events a user does not see (notes, typing, mode changes) give no lines.
    public var plainLines: [String] {
        var lines: [String] = []
        let text = self.text
        switch type {
        case EventTypes.say where sender == .agent:
            if case .string(let name)? = data["agent_name"], !name.isEmpty {
                lines.append("agent(\(name)): \(text ?? "")")
            } else {
                lines.append("agent: \(text ?? "")")
            }
        case EventTypes.say, EventTypes.ask, EventTypes.buttons:
            guard sender == .bot else { return [] }
            if let text { lines.append("bot: \(text)") }
        case EventTypes.status:
            lines.append("status: \(text ?? "")")
        case EventTypes.error:
            lines.append("error: \(text ?? "")")
        default:
            return []
        }
        lines += choices.map { "button: \($0.text)" }
        return lines
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

extension TurnResult {
    /// What the user sees from this turn, in the plain format (an agent's message included).
    public var plainLines: [String] {
        (inbound.sender == .agent ? inbound.plainLines : []) + outputs.flatMap(\.plainLines)
    }
}
