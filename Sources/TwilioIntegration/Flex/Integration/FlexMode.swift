/// The chat back end a Flex account hands conversations over with.
///
/// Programmable Chat for Flex reached its end of life on 2026-06-01 ("If you're new to Flex or
/// currently using Programmable Chat, build with Flex Conversations or migrate"); Flex
/// Conversations is on by default for accounts made since. Both are spoken, so an app moves
/// when its account does.
public enum FlexMode: String, Sendable, CaseIterable {
    /// Twilio Conversations plus the Interactions API (`POST /v1/Interactions`).
    case conversations
    /// Programmable Chat through a Flex Flow (`POST /v1/Channels`).
    case programmableChat = "programmable_chat"

    /// The date Twilio ended Programmable Chat for Flex.
    public static let programmableChatEndOfLife = "2026-06-01"

    /// The mode an integration element means: `mode:` when given, else Conversations when it
    /// names a `workspace_sid`, else Programmable Chat when it names a `flex_flow_sid`; nil when
    /// `mode:` is not a mode or the element names neither.
    init?(explicit: String?, fields: Set<String>) {
        if let explicit {
            self.init(rawValue: explicit)
        } else if fields.contains("workspace_sid") {
            self = .conversations
        } else if fields.contains("flex_flow_sid") {
            self = .programmableChat
        } else {
            return nil
        }
    }

    /// Why `init(explicit:fields:)` found no mode, in words that say what to write.
    static func problem(explicit: String?) -> String {
        if let explicit {
            return "`\(explicit)` is not a mode; use `conversations` or `programmable_chat`"
        }
        return "give `workspace_sid` and `workflow_sid` (Flex Conversations), or `flex_flow_sid` and "
            + "`flex_chat_service_sid` (Programmable Chat, which ended on \(programmableChatEndOfLife))"
    }

    /// The fields this mode needs besides the account and credentials.
    var requiredFields: [String] {
        switch self {
        case .conversations: ["workspace_sid", "workflow_sid"]
        case .programmableChat: ["flex_flow_sid", "flex_chat_service_sid"]
        }
    }
}
