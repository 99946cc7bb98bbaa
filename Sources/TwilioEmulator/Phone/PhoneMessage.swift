/// One text on an emulated customer phone: what the customer sent to a configured address, or
/// what reached them (or failed to) from the conversation.
///
/// It exists so a developer (the console, `GET /emulator/api/phone/messages`) and tests can see
/// exactly what a customer's phone shows, and what a phone would not have received.
public struct PhoneMessage: Sendable, Equatable, Codable {
    /// `inbound` (the customer wrote) or `outbound` (to the customer).
    public var direction: String
    /// The customer's address (`+15558675310`, `whatsapp:+447700900123`).
    public var customer: String
    /// The business's address the conversation runs on.
    public var business: String
    /// `sms`, `whatsapp`, … (the Address Configuration's type).
    public var channel: String
    public var body: String
    /// The Content template sent instead of a body (`HX…`), and its variables (JSON text).
    public var contentSid: String?
    public var contentVariables: String?
    public var mediaSid: String?
    /// The conversation message's author (`outbound`): the bot's `Author`, an agent's identity.
    public var author: String
    /// `received` (inbound), `delivered`, or `undelivered` with `errorCode`.
    public var status: String
    public var errorCode: Int?
    public var conversationSid: String
    public var messageSid: String
    /// ISO 8601 on the emulator's clock.
    public var dateCreated: String

    enum CodingKeys: String, CodingKey {
        case direction, customer, business, channel, body, author, status
        case contentSid = "content_sid"
        case contentVariables = "content_variables"
        case mediaSid = "media_sid"
        case errorCode = "error_code"
        case conversationSid = "conversation_sid"
        case messageSid = "message_sid"
        case dateCreated = "date_created"
    }
}
