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
        for key in ["buttons", "quick_replies"] {
            guard case .list(let buttons)? = data[key] else { continue }
            for case .map(let button) in buttons {
                if case .string(let label)? = button["text"] { lines.append("button: \(label)") }
            }
        }
        return lines
    }

    /// The buttons and quick replies offered by this event: text and button id.
    public var choices: [(text: String, buttonID: String?)] {
        var choices: [(String, String?)] = []
        for key in ["buttons", "quick_replies"] {
            guard case .list(let buttons)? = data[key] else { continue }
            for case .map(let button) in buttons {
                guard case .string(let label)? = button["text"] else { continue }
                if case .string(let id)? = button["button_id"] { choices.append((label, id)) } else { choices.append((label, nil)) }
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
