import BotRuntime
import FlowDSL
import TwilioWire

/// One Conversations integration element's settings, rendered with the real vault values.
///
/// It holds credentials: never log, store or emit it. Its `description` names only the
/// integration and which kind of credential it has.
struct ConversationsSettings: Sendable, CustomStringConvertible {
    /// The default of `reply_timeout` (read per thread in `ConversationsIntegration.prepare`):
    /// Twilio's virtual-agent widget times out after 48 hours without a customer reply.
    static let defaultReplyTimeout: Double = 48 * 3_600

    var integrationID: String
    var account: TwilioAccount
    /// The Conversations service (`IS…`); nil: the account's default.
    var serviceSid: String?
    /// The `Author` of the bot's messages.
    var botAuthor: String

    var description: String {
        "ConversationsSettings(\(integrationID), account \(account.accountSid), \(account.credentialKind))"
    }

    /// Reads rendered fields; `botName` is the default author.
    init(integrationID: String, fields: TemplateMap, botName: String) throws(ConversationsError) {
        self.integrationID = integrationID
        account = try TwilioAccount(fields: fields, integrationID: integrationID, as: ConversationsError.self)
        serviceSid = TwilioSettingText.text(fields["conversations_service_sid"])
        botAuthor = TwilioSettingText.text(fields["bot_author"]) ?? botName
    }

    /// Conversations' REST resources, in the integration's service.
    func conversations(_ rest: TwilioRESTClient) -> ConversationsAPI {
        ConversationsAPI(rest: rest, baseURL: account.baseURL("https://conversations.twilio.com"), serviceSid: serviceSid,
                         credentials: account.credentials)
    }

    /// Where a media item (`ME…`) of the service `chatService` is downloaded from (Twilio's Media
    /// Content Service; the emulator's when the account points elsewhere).
    func mediaURL(service chatService: String, media: String) -> String {
        account.baseURL("https://mcs.us1.twilio.com") + "/v1/Services/\(TwilioRESTClient.pathSegment(chatService))/Media/"
            + TwilioRESTClient.pathSegment(media)
    }
}
