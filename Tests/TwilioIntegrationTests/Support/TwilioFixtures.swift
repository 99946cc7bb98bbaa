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

    /// A fixture file's text.
    static func text(_ name: String) throws -> String {
        try FixtureFiles.text("\(FixtureFiles.twilioFixtures)/\(name)")
    }

    /// A recorded `.http` request.
    static func request(_ name: String) throws -> RecordedRequest {
        try FixtureFiles.twilioRequest(name)
    }

    /// Every signed Chat and TaskRouter webhook fixture, by name.
    static func webhookNames() throws -> [String] {
        try FixtureFiles.twilioRequestNames().filter { $0.hasPrefix("chat-on") || $0.hasPrefix("taskrouter-") }
    }
}
