import BotRuntime
import FlowDSL

/// Another Twilio to talk to than the one the app's settings name: the local Twilio emulator,
/// with its own account, for `botcli simulate --flex`. It replaces the REST base URL,
/// credentials and the emulator's resource sids in every Twilio integration element's settings
/// (so real ones never reach a development tool); everything else (agent names, transcript
/// options, the command prefix) still comes from the app. Give it to integrations as
/// `IntegrationSetup.settingsOverride` (`settingsOverride`).
public struct TwilioTarget: Sendable, Equatable {
    public var apiBaseURL: String
    public var accountSid: String
    public var authToken: String
    public var apiKeySid: String
    public var apiKeySecret: String
    public var flexFlowSid: String
    public var chatServiceSid: String
    public var workspaceSid: String
    public var workflowSid: String

    public init(apiBaseURL: String, accountSid: String, authToken: String, apiKeySid: String, apiKeySecret: String,
                flexFlowSid: String, chatServiceSid: String, workspaceSid: String, workflowSid: String) {
        self.apiBaseURL = apiBaseURL
        self.accountSid = accountSid
        self.authToken = authToken
        self.apiKeySid = apiKeySid
        self.apiKeySecret = apiKeySecret
        self.flexFlowSid = flexFlowSid
        self.chatServiceSid = chatServiceSid
        self.workspaceSid = workspaceSid
        self.workflowSid = workflowSid
    }

    /// An integration element's rendered fields, pointed at this target: its account, and the
    /// target's sids for the Flex mode the element means (`FlexMode`), so the mode stays.
    public func apply(to fields: TemplateMap) -> TemplateMap {
        var fields = fields
        fields["api_base_url"] = .string(apiBaseURL)
        fields["account_sid"] = .string(accountSid)
        fields["auth_token"] = .string(authToken)
        fields["api_key_sid"] = .string(apiKeySid)
        fields["api_key_secret"] = .string(apiKeySecret)
        switch FlexMode(explicit: TwilioSettingText.text(fields["mode"]), fields: Set(fields.keys)) {
        case .programmableChat?:
            fields["flex_flow_sid"] = .string(flexFlowSid)
            fields["flex_chat_service_sid"] = .string(chatServiceSid)
        default:
            fields["workspace_sid"] = .string(workspaceSid)
            fields["workflow_sid"] = .string(workflowSid)
            if fields["conversations_service_sid"] != nil { fields["conversations_service_sid"] = .string(chatServiceSid) }
        }
        return fields
    }
}

extension TwilioTarget {
    /// Element types this target applies to: Meya's (`meya.twilio.…`) and Parley's own Twilio ones.
    public static func isTwilio(_ elementType: String) -> Bool {
        elementType.hasPrefix("meya.twilio.") || elementType.hasPrefix("parley.twilio.")
    }

    /// The override for `IntegrationSetup`: Twilio elements' settings pointed at this target.
    public var settingsOverride: @Sendable (String, TemplateMap) -> TemplateMap {
        { [self] type, fields in Self.isTwilio(type) ? apply(to: fields) : fields }
    }
}
