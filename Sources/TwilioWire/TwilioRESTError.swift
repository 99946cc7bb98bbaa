/// Twilio's standard REST error body {"code","message","more_info","status"}.
///
/// It exists because both sides of the wire need it: the Flex integration decodes it from a
/// failed call to report what Twilio said, and the emulator answers with it so that clients
/// (including twilio-python) see the errors they would see from Twilio.
public struct TwilioRESTError: Error, Codable, Sendable, Equatable, CustomStringConvertible {
    /// Twilio's error code, e.g. 20404; https://www.twilio.com/docs/errors/CODE explains it.
    public var code: Int
    public var message: String
    public var moreInfo: String?
    /// The HTTP status it came with.
    public var status: Int

    public init(code: Int, message: String, moreInfo: String? = nil, status: Int) {
        self.code = code
        self.message = message
        self.moreInfo = moreInfo ?? "https://www.twilio.com/docs/errors/\(code)"
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case code, message, status
        case moreInfo = "more_info"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(Int.self, forKey: .code)
        message = try container.decodeIfPresent(String.self, forKey: .message) ?? ""
        moreInfo = try container.decodeIfPresent(String.self, forKey: .moreInfo)
        status = try container.decodeIfPresent(Int.self, forKey: .status) ?? 0
    }

    /// Always writes all four keys (`more_info` as null when absent), the shape Twilio sends.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(message, forKey: .message)
        try container.encode(moreInfo, forKey: .moreInfo)
        try container.encode(status, forKey: .status)
    }

    public var description: String {
        "Twilio error \(code) (HTTP \(status)): \(message)"
    }

    /// 404, code 20404: `The requested resource PATH was not found`.
    public static func notFound(path: String) -> TwilioRESTError {
        TwilioRESTError(code: 20404, message: "The requested resource \(path) was not found", status: 404)
    }

    /// 401, code 20003: wrong or missing credentials.
    public static let authenticationFailed = TwilioRESTError(code: 20003, message: "Authenticate", status: 401)

    /// 400, code 20001: `Missing required parameter NAME in the post body`.
    public static func missingParameter(_ name: String) -> TwilioRESTError {
        TwilioRESTError(code: 20001, message: "Missing required parameter \(name) in the post body", status: 400)
    }

    /// 400, code 20001: `Invalid NAME: DETAIL`.
    public static func invalidParameter(_ name: String, _ detail: String) -> TwilioRESTError {
        TwilioRESTError(code: 20001, message: "Invalid \(name): \(detail)", status: 400)
    }
}
