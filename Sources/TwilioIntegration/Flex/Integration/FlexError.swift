import FlowDSL
import TwilioWire

/// What went wrong talking to Twilio Flex or reading the integration's settings. Every
/// description is safe to log and to show in an event: it names settings and Twilio's error
/// code and message, never a credential.
public enum FlexError: Error, CustomStringConvertible, Sendable, Equatable, TwilioSettingsProblem {
    /// The app has no Flex integration with this id (or none at all when nil).
    case unknownIntegration(String?)
    /// A required setting is missing or is a vault placeholder whose value is not in the vault.
    case missingSetting(integration: String, field: String)
    /// A setting has a value the integration cannot use (`detail` says why and what would do).
    case invalidSetting(integration: String, field: String, detail: String)
    /// Neither `api_key_sid` + `api_key_secret` nor `auth_token` is set.
    case missingCredentials(integration: String)
    /// A REST call failed (Twilio refused it, could not be reached, or answered nonsense).
    case call(TwilioCallError)
    /// The thread has no Flex chat for this operation (end_chat outside a handoff).
    case noChat
    /// The thread is already handed to Flex (start_chat twice).
    case chatAlreadyStarted(channelSid: String)

    public var description: String {
        switch self {
        case .unknownIntegration(let id?):
            "the app has no Twilio Flex integration `\(id)`"
        case .unknownIntegration(nil):
            "the app has no Twilio Flex integration (meya.twilio.flex.integration)"
        case .missingSetting(let integration, let field):
            "the Twilio Flex integration `\(integration)` has no value for `\(field)` (is its vault value uploaded?)"
        case .invalidSetting(let integration, let field, let detail):
            "the Twilio Flex integration `\(integration)` has an unusable `\(field)`: \(detail)"
        case .missingCredentials(let integration):
            "the Twilio Flex integration `\(integration)` needs `api_key_sid` and `api_key_secret`, or `auth_token`"
        case .call(let error):
            error.description
        case .noChat:
            "this thread has no Twilio Flex chat"
        case .chatAlreadyStarted(let channel):
            "this thread is already in the Twilio Flex chat \(channel)"
        }
    }

    /// The fields `flow.result` carries for a failure: Twilio's `code`, `message`, `more_info`
    /// and `status` when Twilio answered, else a message (and no code), with `ok: false`.
    var resultFields: TemplateMap {
        switch self {
        case .call(.twilio(_, let error)):
            ["ok": .bool(false), "code": .int(error.code), "message": .string(error.message),
             "more_info": error.moreInfo.map(TemplateValue.string) ?? .none, "status": .int(error.status)]
        default:
            ["ok": .bool(false), "code": .none, "message": .string(description), "more_info": .none, "status": .none]
        }
    }

    /// The data of the `meya.twilio.flex.event.error` this failure files: its text and the
    /// operation, with Twilio's `code` and `status` when Twilio answered.
    func eventData(operation: String) -> TemplateMap {
        var data: TemplateMap = ["text": .string(description), "operation": .string(operation)]
        if case .call(.twilio(_, let twilio)) = self {
            data["code"] = .int(twilio.code)
            data["status"] = .int(twilio.status)
        }
        return data
    }
}
