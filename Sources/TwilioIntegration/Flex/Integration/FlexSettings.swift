import BotRuntime
import FlowDSL
import Foundation
import TwilioWire

/// One Flex integration element's settings, rendered with the real vault values (spec §10.1).
///
/// It holds credentials: never log, store or emit it. Its `description` names only the
/// integration and which kind of credential it has.
public struct FlexSettings: Sendable, CustomStringConvertible {
    /// Transcript options (`transcript:`): how many events, and the line prefixes.
    public struct TranscriptOptions: Sendable, Equatable {
        public var count = 25
        public var userPrefix = "user"
        public var botPrefix = "bot"
        public var agentPrefix = "agent"
        public var notePrefix = "📝"

        public init() {}
    }

    /// The integration element's id (`integration.twilio.flex`).
    public var integrationID: String
    public var accountSid: String
    public var flexFlowSid: String
    public var chatServiceSid: String
    /// Who the REST calls authenticate as: an API key (preferred) or the account and its token.
    public var credentials: TwilioBasicAuth
    /// Verifies webhook signatures; nil when the app gives none (webhooks are then refused).
    public var authToken: String?
    public var agentCommandPrefix: String
    public var transcript: TranscriptOptions
    public var agentName: AgentNameFormat
    /// Every REST call goes to this base URL when set (the Flex emulator); else Twilio's hosts.
    public var apiBaseURL: String?

    public var description: String {
        "FlexSettings(\(integrationID), account \(accountSid), \(credentials.username.hasPrefix("SK") ? "API key" : "auth token"))"
    }

    /// Reads rendered fields (`BotEngine.integrationSettings`, or a component's `renderSecret`).
    public init(integrationID: String, fields: TemplateMap) throws(FlexError) {
        self.integrationID = integrationID
        func text(_ name: String, in options: TemplateMap? = nil) -> String? {
            TwilioSettingText.text((options ?? fields)[name])
        }
        func required(_ name: String) throws(FlexError) -> String {
            guard let value = text(name) else { throw .missingSetting(integration: integrationID, field: name) }
            return value
        }
        accountSid = try required("account_sid")
        flexFlowSid = try required("flex_flow_sid")
        chatServiceSid = try required("flex_chat_service_sid")
        authToken = text("auth_token")
        if let key = text("api_key_sid"), let secret = text("api_key_secret") {
            credentials = TwilioBasicAuth(username: key, password: secret)
        } else if let authToken {
            credentials = TwilioBasicAuth(username: accountSid, password: authToken)
        } else {
            throw .missingCredentials(integration: integrationID)
        }
        agentCommandPrefix = text("agent_command_prefix") ?? "/"
        transcript = TranscriptOptions()
        if case .map(let options)? = fields["transcript"] {
            if case .int(let count)? = options["count"], count >= 0 { transcript.count = count }
            transcript.userPrefix = text("user_prefix", in: options) ?? transcript.userPrefix
            transcript.botPrefix = text("bot_prefix", in: options) ?? transcript.botPrefix
            transcript.agentPrefix = text("agent_prefix", in: options) ?? transcript.agentPrefix
            transcript.notePrefix = text("note_prefix", in: options) ?? transcript.notePrefix
        }
        var nameOption: String?
        if case .map(let agent)? = fields["agent"] { nameOption = text("name", in: agent) }
        agentName = AgentNameFormat(option: nameOption)
        apiBaseURL = text("api_base_url").map { url in
            var url = url
            while url.hasSuffix("/") { url.removeLast() }
            return url
        }
    }

    /// Base URL of Flex's API (`/v1/Channels`).
    var flexBaseURL: String { apiBaseURL ?? "https://flex-api.twilio.com" }
    /// Base URL of Programmable Chat (`/v2/Services/…`).
    var chatBaseURL: String { apiBaseURL ?? "https://chat.twilio.com" }
    /// Base URL of TaskRouter (`/v1/Workspaces/…`).
    var taskRouterBaseURL: String { apiBaseURL ?? "https://taskrouter.twilio.com" }
}

extension FlexIntegration {
    /// An integration element's rendered fields after the setup's override (the emulator's account).
    func targeted(_ fields: TemplateMap) -> TemplateMap {
        settingsOverride(elementType, fields)
    }

    /// The fields of the integration `id` rendered with the engine's vault, after the override.
    func fields(of id: String, engine: BotEngine) throws -> TemplateMap {
        targeted(try engine.integrationSettings(id))
    }

    /// The settings of the integration `id` as the engine's vault renders them, after the override.
    func settings(of id: String, engine: BotEngine) throws -> FlexSettings {
        try FlexSettings(integrationID: id, fields: fields(of: id, engine: engine))
    }
}
