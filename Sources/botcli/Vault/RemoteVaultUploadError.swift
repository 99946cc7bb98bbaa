/// Why `botcli vault upload --to` stored nothing on the server, said for the person who ran it.
/// No case carries a value from the secrets file or the token.
enum RemoteVaultUploadError: Error, CustomStringConvertible {
    case badURL(String)
    case missingToken
    case connectionRefused(String)
    case timedOut(String)
    case cannotConnect(url: String, reason: String)
    case unauthorized(String)
    case adminAPIOff(String)
    case refused(url: String, status: Int, message: String?)
    case unexpectedAnswer(String)

    var description: String {
        switch self {
        case .badURL(let text):
            "--to needs the server's http:// or https:// URL, such as https://bot.example.com, not `\(text)`"
        case .missingToken:
            "--to needs the admin token: pass --admin-token-file FILE or set \(BearerSecretSource.admin.variable)"
        case .connectionRefused(let url):
            "cannot connect to \(url): connection refused; is `botcli serve` running there?"
        case .timedOut(let url):
            "no answer from \(url) in time; the upload may or may not be stored: run it again, which is safe"
        case let .cannotConnect(url, reason):
            "cannot reach \(url): \(reason)"
        case .unauthorized(let url):
            "\(url) refused the admin token (401); use the token the server was started with "
                + "(--admin-token-file or \(BearerSecretSource.admin.variable))"
        case .adminAPIOff(let url):
            "\(url) was not found (404): the server's admin API is off; start `botcli serve` with "
                + "--admin-token-file FILE or \(BearerSecretSource.admin.variable)"
        case let .refused(url, status, message):
            "\(url) answered \(status)" + (message.map { ": \($0)" } ?? "") + "; nothing was stored"
        case .unexpectedAnswer(let url):
            "\(url) answered 200 but not with {\"added\": […], \"changed\": […]}; is it a Parley server?"
        }
    }
}
