import BotRuntime
import FlowDSL

/// One voice integration element's settings, rendered with the vault. It holds the auth
/// token: never log it; its `description` names only the integration.
struct VoiceSettings: Sendable, CustomStringConvertible {
    var integrationID: String
    /// `<Say voice>` and `language`; nil: Twilio's defaults.
    var voice: String?
    var language: String?
    var speechModel: String?
    /// `<Gather speechTimeout>`: `auto` unless set.
    var speechTimeout: String
    /// The TaskRouter workflow a call handed to Flex is enqueued with; nil: the Flex integration's.
    var workflowSid: String?

    var description: String { "VoiceSettings(\(integrationID))" }

    init(integrationID: String, fields: TemplateMap) {
        self.integrationID = integrationID
        voice = TwilioSettingText.text(fields["voice"])
        language = TwilioSettingText.text(fields["language"])
        speechModel = TwilioSettingText.text(fields["speech_model"])
        speechTimeout = TwilioSettingText.text(fields["speech_timeout"]) ?? "auto"
        workflowSid = TwilioSettingText.text(fields["workflow_sid"])
    }
}
