import TwilioWire

/// One webhook the emulator sent (or is sending): what, where, and how each attempt went.
///
/// It exists so that a developer can see, in the agent console and in
/// `GET /emulator/api/events`, whether the bot received each Flex event, and so tests can
/// await a delivery instead of sleeping.
public struct WebhookDelivery: Sendable, Equatable, Codable {
    /// Which Twilio product sent it, and so which URL it went to.
    public enum Target: String, Sendable, Codable {
        /// Programmable Chat post-event webhook (the service's `PostWebhookUrl`).
        case chat
        /// TaskRouter event callback (the workspace's `EventCallbackUrl`).
        case taskrouter
        /// A Conversations conversation-scoped webhook (`WebhookSid` in its form).
        case conversations
        /// A call's webhooks: its number's voice URL and status callback, a `<Gather>` or
        /// `<Connect>` action, a virtual agent's statusCallback.
        case voice
    }

    /// Where a delivery stands.
    public enum Status: String, Sendable, Codable {
        /// Waiting its turn or being retried.
        case pending
        /// A 2xx answer came back.
        case delivered
        /// Refused (a 4xx other than 429) or out of retries.
        case failed
        /// No URL was configured for its target; nothing was sent.
        case skipped
    }

    /// One HTTP attempt: when, and the status code or the connection error.
    public struct Attempt: Sendable, Equatable, Codable {
        /// ISO 8601 with milliseconds.
        public var at: String
        public var statusCode: Int?
        public var error: String?

        enum CodingKeys: String, CodingKey {
            case at, error
            case statusCode = "status_code"
        }
    }

    /// Increasing from 1 in the order events happened.
    public var id: Int
    /// `EventType`: `task-queue.entered`, `onMessageSent`, …
    public var eventType: String
    public var target: Target
    /// The URL posted to; nil when skipped.
    public var url: String?
    /// The task (`WT…`), channel (`CH…`) or call (`CA…`) the event is about.
    public var resourceSid: String
    /// The chat channel of the handoff, or the call; deliveries of one channel go out one at a time, in order.
    public var channelSid: String
    /// `I-Twilio-Idempotency-Token`: the same on every attempt of this delivery.
    public var idempotencyToken: String
    public var status: Status
    public var attempts: [Attempt]
    /// The form fields of the last attempt, in order.
    public var fields: [TwilioFormField]

    /// The first value of the form field `name`.
    public subscript(field name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    enum CodingKeys: String, CodingKey {
        case id, target, url, status, attempts, fields
        case eventType = "event_type"
        case resourceSid = "resource_sid"
        case channelSid = "channel_sid"
        case idempotencyToken = "idempotency_token"
    }

    public init(id: Int, eventType: String, target: Target, url: String?, resourceSid: String, channelSid: String,
                idempotencyToken: String, status: Status, attempts: [Attempt] = [], fields: [TwilioFormField]) {
        self.id = id
        self.eventType = eventType
        self.target = target
        self.url = url
        self.resourceSid = resourceSid
        self.channelSid = channelSid
        self.idempotencyToken = idempotencyToken
        self.status = status
        self.attempts = attempts
        self.fields = fields
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Int.self, forKey: .id)
        eventType = try container.decode(String.self, forKey: .eventType)
        target = try container.decode(Target.self, forKey: .target)
        url = try container.decodeIfPresent(String.self, forKey: .url)
        resourceSid = try container.decode(String.self, forKey: .resourceSid)
        channelSid = try container.decode(String.self, forKey: .channelSid)
        idempotencyToken = try container.decode(String.self, forKey: .idempotencyToken)
        status = try container.decode(Status.self, forKey: .status)
        attempts = try container.decode([Attempt].self, forKey: .attempts)
        fields = try container.decode([[String]].self, forKey: .fields).map { TwilioFormField(name: $0.first ?? "", value: $0.dropFirst().first ?? "") }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(eventType, forKey: .eventType)
        try container.encode(target, forKey: .target)
        try container.encode(url, forKey: .url)
        try container.encode(resourceSid, forKey: .resourceSid)
        try container.encode(channelSid, forKey: .channelSid)
        try container.encode(idempotencyToken, forKey: .idempotencyToken)
        try container.encode(status, forKey: .status)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(fields.map { [$0.name, $0.value] }, forKey: .fields)
    }
}
