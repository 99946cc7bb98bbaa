/// Why a piece of Twilio wire data could not be read.
///
/// It exists so that callers (webhook handlers, the emulator's REST routes) can answer a bad
/// request with a message that names the offending part instead of a generic failure.
public enum TwilioWireError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A form part with a broken `%` escape or bytes that are not UTF-8; the part as received.
    case malformedForm(String)
    /// A URL that cannot be taken apart (no scheme or host); the URL as given.
    case malformedURL(String)
    /// An `Authorization` header that is not HTTP Basic with `user:password` in base64.
    case malformedBasicAuth

    public var description: String {
        switch self {
        case .malformedForm(let part):
            "malformed form data: `\(part)` is not valid application/x-www-form-urlencoded UTF-8"
        case .malformedURL(let url):
            "malformed URL `\(url)`: expected scheme://host[:port]/path[?query]"
        case .malformedBasicAuth:
            "malformed Authorization header: expected `Basic base64(user:password)`"
        }
    }
}
