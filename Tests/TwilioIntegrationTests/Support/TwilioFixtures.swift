import Foundation
import SharedTestFixtures
import Testing

/// The Twilio fixtures (`Tests/Fixtures/twilio`, made by `scripts/twilio-fixtures`).
enum TwilioFixtures {
    /// The auth token every fixture is signed with (fixtures README).
    static let authToken = "5ca1ab1e0ddba11d0e5c0ffee0ba5eba"
    static let accountSid = "AC57fd0608be32bc7b399f485192bb8be8"
    static let publicURL = "https://bot.example.com"
    static let channelSid = "CH4cc93c3d17c6d8d86d0906d02b7c15be"
    static let taskSid = "WT48ea0197e2f4c01c13db484b6e6d4746"
    static let flexFlowSid = "FO37c42c8ba36d0b96bd670468b7ad0531"
    static let chatServiceSid = "ISfeefe7297470ecb2343d2c48c3076989"
    /// The Flex Conversations story: the conversation, and the interaction's task
    /// (`flex-interactions-create.response.json`, `conversations-taskrouter-*.http`).
    static let conversationSid = "CHc09a2e763cb996b820fe21d526d13572"
    static let interactionTaskSid = "WTffc7e412a974d8311de3dc1496060570"
    static let workspaceSid = "WS92b03edeb0f9b34002ac3a5c09570018"
    static let workflowSid = "WWd35e5f285f2a106c6cb6c342105aa47a"

    /// A fixture file's text.
    static func text(_ name: String) throws -> String {
        try FixtureFiles.text("\(FixtureFiles.twilioFixtures)/\(name)")
    }

    /// A recorded `.http` request.
    static func request(_ name: String) throws -> RecordedRequest {
        try FixtureFiles.twilioRequest(name)
    }

    /// Every signed Chat, Conversations and TaskRouter webhook fixture, by name.
    static func webhookNames() throws -> [String] {
        try FixtureFiles.twilioRequestNames().filter { ["chat-on", "taskrouter-", "conversations-"].contains(where: $0.hasPrefix) }
    }
}
