import FlowDSL

extension Event {
    /// The event as a user reads it (`userView`), one line per thing shown, in the simulator's
    /// plain format: `bot: TEXT`, `agent: TEXT` (`agent(NAME): TEXT`), `button: TEXT`,
    /// `image: URL (ALT)`, `status: TEXT`, `error: TEXT`. Events a user does not see, the user's own and signals
    /// (typing, mode changes) give no lines.
    public var plainLines: [String] {
        switch userView {
        case .message(let text, let choices, let agentName)?:
            var lines: [String] = []
            if sender == .agent {
                lines.append("\(agentName.map { "agent(\($0))" } ?? "agent"): \(text ?? "")")
            } else if let text {
                lines.append("bot: \(text)")
            }
            return lines + choices.map { "button: \($0.text)" }
        case .image(let url, let alt, let text)?:
            return (text.map { ["bot: \($0)"] } ?? []) + ["image: \(url)" + (alt.map { " (\($0))" } ?? "")]
        case .status(let text, let choices)?:
            return ["status: \(text)"] + choices.map { "button: \($0.text)" }
        case .error(let text)?:
            return ["error: \(text)"]
        case .userInput?, .signal?, nil:
            return []
        }
    }
}

extension TurnResult {
    /// What the user sees from this turn, in the plain format (an agent's message included).
    public var plainLines: [String] {
        (inbound.sender == .agent ? inbound.plainLines : []) + outputs.flatMap(\.plainLines)
    }
}
