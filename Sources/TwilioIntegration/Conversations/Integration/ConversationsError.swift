import TwilioWire

/// What went wrong reading a Conversations integration's settings or calling Twilio for it.
/// Every description is safe to log and to show: it names settings and Twilio's error code and
/// message, never a credential.
public enum ConversationsError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A required setting is missing or is a vault placeholder whose value is not in the vault.
    case missingSetting(integration: String, field: String)
    /// A setting has a value the integration cannot use.
    case invalidSetting(integration: String, field: String, detail: String)
    /// Neither `api_key_sid` + `api_key_secret` nor `auth_token` is set.
    case missingCredentials(integration: String)
    /// A REST call failed.
    case call(TwilioCallError)

    public var description: String {
        switch self {
        case .missingSetting(let integration, let field):
            "the Twilio Conversations integration `\(integration)` has no value for `\(field)` (is its vault value uploaded?)"
        case .invalidSetting(let integration, let field, let detail):
            "the Twilio Conversations integration `\(integration)` has an unusable `\(field)`: \(detail)"
        case .missingCredentials(let integration):
            "the Twilio Conversations integration `\(integration)` needs `api_key_sid` and `api_key_secret`, or `auth_token`"
        case .call(let error):
            error.description
        }
    }
}
