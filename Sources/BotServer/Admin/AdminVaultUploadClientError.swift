/// Why an upload to a server's vault (`AdminVaultUploadClient`) stored nothing, said for the
/// person who ran it. No case carries a value from the secrets file or the token.
public enum AdminVaultUploadClientError: Error, CustomStringConvertible {
    case badURL(String)
    case connectionRefused(String)
    case timedOut(String)
    case cannotConnect(url: String, reason: String)
    case unauthorized(String)
    case adminAPIOff(String)
    case refused(url: String, status: Int, message: String?)
    case unexpectedAnswer(String)

    public var description: String {
        switch self {
        case .badURL(let text):
            "--to needs the server's http:// or https:// URL, such as https://bot.example.com, not `\(text)`"
        case .connectionRefused(let url):
            "cannot connect to \(url): connection refused; is `botcli serve` running there?"
        case .timedOut(let url):
            "no answer from \(url) in time; the upload may or may not be stored: run it again, which is safe"
        case let .cannotConnect(url, reason):
            "cannot reach \(url): \(reason)"
        case .unauthorized(let url):
            "\(url) refused the admin token (401); use the token the server was started with"
        case .adminAPIOff(let url):
            "\(url) was not found (404): the server's admin API is off; start it with an admin token"
        case let .refused(url, status, message):
            "\(url) answered \(status)" + (message.map { ": \($0)" } ?? "") + "; nothing was stored"
        case .unexpectedAnswer(let url):
            "\(url) answered 200 but not with {\"added\": […], \"changed\": […]}; is it a Parley server?"
        }
    }
}
