/// One HTTP delivery to an integration, free of any HTTP library: the server that received it
/// fills it in, the integration verifies and decodes it.
public struct WebhookRequest: Sendable {
    public var method: String
    /// The request path as received (`/webhooks/integration.twilio.flex`).
    public var path: String
    /// The query string as received, still percent-encoded, without `?` (nil when absent).
    public var query: String?
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Where the service reaches this server (`https://bot.example.com`), without a trailing
    /// `/`: signatures are computed over this URL, not the address a proxy forwarded to.
    public var publicBaseURL: String

    public init(method: String, path: String, query: String? = nil, headers: [(name: String, value: String)] = [],
                body: [UInt8], publicBaseURL: String) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.publicBaseURL = publicBaseURL
    }

    /// The full URL the service requested: public base, path and query.
    public var publicURL: String {
        publicBaseURL + path + (query.map { "?" + $0 } ?? "")
    }

    /// The first value of a header, by case-insensitive name.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }
}

/// An integration's answer to a webhook.
public struct WebhookResponse: Sendable, Equatable {
    public var status: Int
    public var contentType: String?
    public var body: [UInt8]

    public init(status: Int, contentType: String? = nil, body: [UInt8] = []) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    /// A JSON answer.
    public init(status: Int, json: String) {
        self.init(status: status, contentType: "application/json", body: Array(json.utf8))
    }

    /// `204 No Content`: accepted.
    public static let noContent = WebhookResponse(status: 204)
}
