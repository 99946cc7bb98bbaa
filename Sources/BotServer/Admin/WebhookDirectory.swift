import BotRuntime
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
        /// What to register at the vendor, one line each (`Integration.setupGuide`).
        public var setup: [String] = []
    }

    /// The address the server is reached at when none is given.
    public static let defaultPublicURL = "http://127.0.0.1:5005"
    /// The name the web chat entry is listed under.
    public static let webChatName = "web chat (REST)"

    /// One entry per integration element, in the app's order.
    public var integrations: [Entry]
    /// The web chat REST channel's URL.
    public var webChat: Entry

    /// The webhooks of `app` served at `publicURL` (a trailing `/` is ignored), each with the
    /// setup `integrations` give for it.
    public init(app: BotApp, publicURL: String = defaultPublicURL, integrations types: [any Integration.Type] = []) {
        var base = publicURL
        while base.hasSuffix("/") { base.removeLast() }
        integrations = app.integrations.values.map { element in
            let id = element.id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? element.id
            let url = "\(base)/webhooks/\(id)"
            let setup = types.flatMap { $0.setupGuide(for: element, in: app, publicURL: base, webhookURL: url) }
            return Entry(name: element.id, type: element.type, url: url, setup: setup)
        }
        webChat = Entry(name: Self.webChatName, type: nil, url: base + RestChannel.webhookPath)
    }
}
