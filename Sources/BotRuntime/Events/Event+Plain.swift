import FlowDSL

extension Event {
    /// The event as a user reads it (`userView`), one line per thing shown, in the simulator's
    /// plain format: `bot: TEXT`, `agent: TEXT` (`agent(NAME): TEXT`), `button: TEXT`,
    /// `image: URL (ALT)`, `file: URL (NAME)`, `status: TEXT`, `error: TEXT`; a tile as `tile: TITLE — DESCRIPTION`
    /// with its rows (`row: CELL: VALUE`), image and buttons below; a form as its first question
    /// (`FormView.asText`) with its options as buttons, refused answers as `bot: WHY`. Events a
    /// user does not see, the user's own and signals (typing, mode changes) give no lines.
    public var plainLines: [String] {
        let view = userView
        switch view {
        case .message(let text, let choices, let agentName)?:
            var lines: [String] = []
            if sender == .agent {
                lines.append("\(agentName.map { "agent(\($0))" } ?? "agent"): \(text ?? "")")
            } else if let text {
                lines.append("bot: \(text)")
            }
            return lines + choices.map { "button: \($0.text)" }
        case .image(let url, let alt, let text, let choices)?:
            return (text.map { ["bot: \($0)"] } ?? []) + ["image: \(url)" + (alt.map { " (\($0))" } ?? "")] + choices.map { "button: \($0.text)" }
        case .file(let url, let name, let text, let choices)?:
            return (text.map { ["bot: \($0)"] } ?? []) + ["file: \(url)" + (name.map { " (\($0))" } ?? "")] + choices.map { "button: \($0.text)" }
        case .status(let text, let choices)?:
            return ["status: \(text)"] + choices.map { "button: \($0.text)" }
        case .error(let text)?:
            return ["error: \(text)"]
        case .tiles(let text, let tiles, let replies)?:
            var lines = text.map { ["bot: \($0)"] } ?? []
            for tile in tiles {
                lines.append("tile: \(tile.heading ?? "")")
                lines += tile.rowLines.map { "row: \($0)" }
                if let url = tile.imageURL { lines.append("image: \(url)" + (tile.imageAlt.map { " (\($0))" } ?? "")) }
                lines += tile.buttons.map { "button: \($0.text)" }
            }
            return lines + replies.map { "button: \($0.text)" }
        case .form?, .formResult?:
            guard let (text, choices, _) = view?.textMessage else { return [] }
            return (text.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map { "bot: \($0)" } } ?? [])
                + choices.map { "button: \($0.text)" }
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
