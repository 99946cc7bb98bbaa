/// What is wrong with a Conversations integration's settings (a REST call's failure is
/// `TwilioCallError`). Every description is safe to log and to show: it names settings, never
/// a credential.
public enum ConversationsError: Error, CustomStringConvertible, Sendable, Equatable, TwilioSettingsProblem {
    /// A required setting is missing or is a vault placeholder whose value is not in the vault.
    case missingSetting(integration: String, field: String)
    /// Neither `api_key_sid` + `api_key_secret` nor `auth_token` is set.
    case missingCredentials(integration: String)

    public var description: String {
        switch self {
        case .missingSetting(let integration, let field):
            "the Twilio Conversations integration `\(integration)` has no value for `\(field)` (is its vault value uploaded?)"
        case .missingCredentials(let integration):
            "the Twilio Conversations integration `\(integration)` needs `api_key_sid` and `api_key_secret`, or `auth_token`"
        }
    }
}
