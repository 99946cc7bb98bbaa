import BotRuntime
import FlowDSL

/// Another Flex to talk to than the one the app's settings name: the local Flex emulator, with
/// its own account, for `botcli simulate --flex`. It replaces the app's REST base URL and
/// credentials (so real ones never reach a development tool); everything else — agent names,
/// transcript options, the command prefix — still comes from the app.
public struct FlexTarget: Sendable, Equatable {
    public var apiBaseURL: String
    public var accountSid: String
    public var authToken: String
    public var apiKeySid: String
    public var apiKeySecret: String
    public var flexFlowSid: String
    public var chatServiceSid: String

    public init(apiBaseURL: String, accountSid: String, authToken: String, apiKeySid: String, apiKeySecret: String,
                flexFlowSid: String, chatServiceSid: String) {
        self.apiBaseURL = apiBaseURL
        self.accountSid = accountSid
        self.authToken = authToken
        self.apiKeySid = apiKeySid
        self.apiKeySecret = apiKeySecret
        self.flexFlowSid = flexFlowSid
        self.chatServiceSid = chatServiceSid
    }

    /// An integration element's rendered fields, pointed at this target.
    func apply(to fields: TemplateMap) -> TemplateMap {
        var fields = fields
        fields["api_base_url"] = .string(apiBaseURL)
        fields["account_sid"] = .string(accountSid)
        fields["auth_token"] = .string(authToken)
        fields["api_key_sid"] = .string(apiKeySid)
        fields["api_key_secret"] = .string(apiKeySecret)
        fields["flex_flow_sid"] = .string(flexFlowSid)
        fields["flex_chat_service_sid"] = .string(chatServiceSid)
        return fields
    }
}

extension FlexIntegration {
    /// The rendered settings of an integration element, pointed at `target` when one is set.
    func targeted(_ fields: TemplateMap) -> TemplateMap {
        target.map { $0.apply(to: fields) } ?? fields
    }

    /// The fields of the integration `id` rendered with the engine's vault, pointed at `target`.
    func fields(of id: String, engine: BotEngine) throws -> TemplateMap {
        targeted(try engine.integrationSettings(id))
    }

    /// The settings of the integration `id` as the engine's vault renders them, pointed at `target`.
    func settings(of id: String, engine: BotEngine) throws -> FlexSettings {
        try FlexSettings(integrationID: id, fields: fields(of: id, engine: engine))
    }
}
