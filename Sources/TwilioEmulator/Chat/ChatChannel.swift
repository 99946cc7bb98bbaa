import Foundation

/// The chat of a handoff, with its messages: a Programmable Chat channel on the emulated Flex
/// chat service, or a Conversation (`conversation` holds what only a Conversation has).
struct ChatChannel: Sendable {
    var sid: String
    var friendlyName: String
    var uniqueName: String?
    /// The channel's attributes (JSON object text); Flex keeps `task_sid`, `from`, `status` there.
    var attributes: String
    var type = "private"
    var createdBy = "system"
    var flexFlowSid: String
    var userSid: String
    /// The end user's chat identity (`Identity` of `POST /v1/Channels`).
    var userIdentity: String
    var taskSid: String?
    var dateCreated: Date
    var dateUpdated: Date
    var messages: [ChatMessage] = []
    var nextIndex = 0
    /// Set for a Twilio Conversation (Flex Conversations); nil for a Programmable Chat channel.
    var conversation: ConversationDetails?

    /// `status` of the attributes (`ACTIVE` / `INACTIVE`), if any.
    var status: String? {
        (try? EmulatorJSON(parsing: attributes))?["status"]?.stringValue
    }
}

/// One message of a chat channel.
struct ChatMessage: Sendable {
    var sid: String
    var index: Int
    var from: String
    var body: String
    /// JSON object text, `{}` when unset.
    var attributes: String
    var mediaSid: String?
    var dateCreated: Date
    var dateUpdated: Date
    var lastUpdatedBy: String?
    /// Conversations: the author's participant (`MB…`), when the author is one.
    var participantSid: String?
    /// Conversations: the Content template sent instead of the body (`HX…`), and its variables.
    var contentSid: String?
    var contentVariables: String?
}

/// The chat user Flex creates for an end user's identity.
struct ChatUser: Sendable {
    var sid: String
    var identity: String
    var friendlyName: String
    var dateCreated: Date
}
