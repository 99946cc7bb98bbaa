import FlowDSL
import Foundation

/// Where a served app's webhooks are: what `botcli webhooks` prints, for pasting into each
/// service's console (Twilio, …), as Meya's `meya webhooks` does.
///
/// Each integration element gets `<public URL>/webhooks/<integration id>`; the web chat REST
/// channel is at `<public URL>/webhooks/rest/webhook`.
public struct WebhookDirectory: Sendable, Equatable {
    /// One webhook: who receives it and its full URL.
    public struct Entry: Sendable, Equatable {
        /// The integration's element id (`integration.twilio`), or `web chat (REST)`.
        public var name: String
        /// The integration's element type; nil for the web chat.
        public var type: String?
        public var url: String
    }

    /// The address the server is reached at when none is given.
    public static let defaultPublicURL = "http://127.0.0.1:5005"
    /// The name the web chat entry is listed under.
    public static let webChatName = "web chat (REST)"

    /// One entry per integration element, in the app's order.
    public var integrations: [Entry]
    /// The web chat REST channel's URL.
    public var webChat: Entry

    /// The webhooks of `app` served at `publicURL` (a trailing `/` is ignored).
    public init(app: BotApp, publicURL: String = defaultPublicURL) {
        var base = publicURL
        while base.hasSuffix("/") { base.removeLast() }
        integrations = app.integrations.values.map { element in
            let id = element.id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? element.id
            return Entry(name: element.id, type: element.type, url: "\(base)/webhooks/\(id)")
        }
        webChat = Entry(name: Self.webChatName, type: nil, url: base + RestChannel.webhookPath)
    }
}
