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
    /// Which chat back end the Flex account has.
    public var mode: FlexMode
    public var accountSid: String
    /// Programmable Chat: the Flex Flow (`FO…`) and the chat service (`IS…`); empty otherwise.
    public var flexFlowSid: String
    public var chatServiceSid: String
    /// Flex Conversations: the TaskRouter workspace (`WS…`) and workflow (`WW…`) the
    /// interaction's task is routed by, and its task channel (`chat`); empty otherwise.
    public var workspaceSid: String
    public var workflowSid: String
    public var taskChannel: String
    /// The Conversations service (`IS…`) conversations are made in; nil: the account's default.
    public var conversationsServiceSid: String?
    /// Where Twilio sends a conversation's events (`onMessageAdded` …): `webhook_url`, else the
    /// server's public URL + `/webhooks/<id>` (nil when neither is known).
    public var webhookURL: String?
    /// The handoff summary: the user scope fields it names, and the optional summarizer.
    public var summary: FlexSummaryOptions
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

    /// Reads rendered fields (`BotEngine.integrationSettings`, or a component's `renderSecret`);
    /// `publicURL` is where the server is reached (for `webhookURL`'s default).
    public init(integrationID: String, fields: TemplateMap, publicURL: String? = nil) throws(FlexError) {
        self.integrationID = integrationID
        func text(_ name: String, in options: TemplateMap? = nil) -> String? {
            TwilioSettingText.text((options ?? fields)[name])
        }
        func required(_ name: String) throws(FlexError) -> String {
            guard let value = text(name) else { throw .missingSetting(integration: integrationID, field: name) }
            return value
        }
        let account = try TwilioAccount(fields: fields, integrationID: integrationID, as: FlexError.self)
        (accountSid, credentials, authToken, apiBaseURL) = (account.accountSid, account.credentials, account.authToken, account.apiBaseURL)
        guard let mode = FlexMode(explicit: text("mode"), fields: Set(fields.keys)) else {
            throw .invalidSetting(integration: integrationID, field: "mode",
                                  detail: FlexMode.problem(explicit: text("mode")))
        }
        self.mode = mode
        switch mode {
        case .conversations:
            (flexFlowSid, chatServiceSid) = ("", "")
            workspaceSid = try required("workspace_sid")
            workflowSid = try required("workflow_sid")
        case .programmableChat:
            flexFlowSid = try required("flex_flow_sid")
            chatServiceSid = try required("flex_chat_service_sid")
            (workspaceSid, workflowSid) = ("", "")
        }
        taskChannel = text("task_channel") ?? "chat"
        conversationsServiceSid = text("conversations_service_sid")
        webhookURL = text("webhook_url") ?? publicURL.map { url in
            (url.hasSuffix("/") ? String(url.dropLast()) : url) + "/webhooks/" + TwilioRESTClient.pathSegment(integrationID)
        }
        summary = try FlexSummaryOptions(integrationID: integrationID, fields: fields)
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
    }

    /// Base URL of Flex's API (`/v1/Channels`, `/v1/Interactions`).
    var flexBaseURL: String { apiBaseURL ?? "https://flex-api.twilio.com" }
    /// Conversations' REST resources, in the integration's service.
    func conversations(_ rest: TwilioRESTClient) -> ConversationsAPI {
        ConversationsAPI(rest: rest, baseURL: apiBaseURL ?? "https://conversations.twilio.com", serviceSid: conversationsServiceSid,
                         credentials: credentials)
    }
    /// Base URL of Programmable Chat (`/v2/Services/…`).
    var chatBaseURL: String { apiBaseURL ?? "https://chat.twilio.com" }
    /// Base URL of TaskRouter (`/v1/Workspaces/…`).
    var taskRouterBaseURL: String { apiBaseURL ?? "https://taskrouter.twilio.com" }
}

extension FlexIntegration {
    /// The settings of the integration `id` as the engine's vault renders them, after the override.
    func settings(of id: String, engine: BotEngine) throws -> FlexSettings {
        try FlexSettings(integrationID: id, fields: fields(of: id, engine: engine), publicURL: publicURL())
    }
}
