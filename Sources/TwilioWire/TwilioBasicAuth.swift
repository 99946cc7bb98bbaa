import Foundation

/// HTTP Basic credentials as Twilio's REST API takes them: `AccountSid:AuthToken` or
/// `SK…ApiKeySid:ApiKeySecret`.
///
/// It exists so the REST client writes and the emulator reads the same header; its
/// `description` never shows the password.
public struct TwilioBasicAuth: Sendable, Equatable, CustomStringConvertible {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// Reads an `Authorization: Basic …` header value.
    public init(authorizationHeader: String) throws(TwilioWireError) {
        let parts = authorizationHeader.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
              let data = Data(base64Encoded: parts[1].trimmingCharacters(in: .whitespaces)),
              let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { throw .malformedBasicAuth }
        username = String(text[..<colon])
        password = String(text[text.index(after: colon)...])
    }

    /// `Basic base64(username:password)`.
    public var authorizationHeader: String {
        "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
    }

    public var description: String { "\(username):••••••" }
}
