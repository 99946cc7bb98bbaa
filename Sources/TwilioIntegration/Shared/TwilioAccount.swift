import FlowDSL
import TwilioWire

/// The account part of every Twilio integration element's settings: whose account, how REST
/// calls authenticate (an API key, preferred, else the account's auth token), the token that
/// verifies webhook signatures, and where REST calls go (`api_base_url`: the local emulator in
/// development, else Twilio's hosts).
///
/// It holds credentials: never log, store or emit it.
struct TwilioAccount: Sendable {
    var accountSid: String
    var credentials: TwilioBasicAuth
    /// Verifies webhook signatures; nil when the app gives none (webhooks are then refused).
    var authToken: String?
    /// Every REST call goes to this base URL when set (no trailing slash).
    var apiBaseURL: String?

    /// What the fields lack.
    enum Missing: Error, Equatable {
        /// A required field has no value (`account_sid`).
        case field(String)
        /// Neither `api_key_sid` + `api_key_secret` nor `auth_token`.
        case credentials
    }

    /// Reads `account_sid`, `api_key_sid` + `api_key_secret` or `auth_token`, `auth_token`
    /// and `api_base_url` from an element's rendered fields.
    init(fields: TemplateMap) throws(Missing) {
        func text(_ name: String) -> String? { TwilioSettingText.text(fields[name]) }
        guard let accountSid = text("account_sid") else { throw .field("account_sid") }
        self.accountSid = accountSid
        authToken = text("auth_token")
        if let key = text("api_key_sid"), let secret = text("api_key_secret") {
            credentials = TwilioBasicAuth(username: key, password: secret)
        } else if let authToken {
            credentials = TwilioBasicAuth(username: accountSid, password: authToken)
        } else {
            throw .credentials
        }
        apiBaseURL = text("api_base_url").map { url in
            var url = url
            while url.hasSuffix("/") { url.removeLast() }
            return url
        }
    }

    /// The base URL of one of Twilio's products (`https://conversations.twilio.com`), or the
    /// account's `api_base_url`.
    func baseURL(_ twilioHost: String) -> String { apiBaseURL ?? twilioHost }

    /// Which kind of credential it has, for descriptions (never the credential).
    var credentialKind: String { credentials.username.hasPrefix("SK") ? "API key" : "auth token" }
}
