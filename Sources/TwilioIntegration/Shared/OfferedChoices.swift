import BotRuntime
import FlowDSL

/// The choices (buttons, quick replies) the bot last offered on a thread, for channels where
/// the user answers them in words or digits: an SMS `2`, a caller's "Software" or key 2.
enum OfferedChoices {
    /// The choices the bot last offered in `events` (oldest first) that the user has not
    /// answered since: none once the user wrote after them.
    static func last(in events: [Event]) -> [Choice] {
        for event in events.reversed() {
            if event.sender == .user, Event.userHistoryTypes.contains(event.type) || event.type == EventTypes.media { return [] }
            if let choices = event.textMessage?.choices, !choices.isEmpty { return choices }
        }
        return []
    }

    /// The choice `typed` names by its number (`2`), when it is not a choice's own text
    /// (which the engine matches as typed).
    static func numbered(_ typed: String, among offered: [Choice]) -> Choice? {
        let typed = typed.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let number = Int(typed), offered.indices.contains(number - 1),
              !offered.contains(where: { $0.text.lowercased() == typed.lowercased() }) else { return nil }
        return offered[number - 1]
    }
}
