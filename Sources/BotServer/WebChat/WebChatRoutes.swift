import FlowDSL
import Foundation
import Hummingbird

/// The web chat page: `GET /chat` answers a small chat client (plain HTML, CSS and
/// JavaScript, no build step, nothing loaded from elsewhere) that talks to the bot over the
/// WebSocket channel (`GET /ws`), and `GET /chat/NAME` its files — and `markdown-it.js`, the
/// system's copy of markdown-it, which draws the text a message marks as markdown.
///
/// The files live in `WebChat/Assets/` and are embedded in the binary at build time (the
/// `EmbedFiles` plugin), so `botcli serve` serves them from any directory. The page's header
/// shows the app's bot name (`bot/default.yaml`'s `name:`). Every answer says `Cache-Control:
/// no-cache` (the browser revalidates, so a new binary's page is used at once) and carries a
/// Content-Security-Policy that lets the page load only its own files and connect only to
/// this server (its WebSocket included).
struct WebChatRoutes {
    static let path = "/chat"
    /// The page's file, served at `/chat` itself.
    static let pageName = "chat.html"
    /// Replaced in the page by the bot's name, HTML-escaped.
    static let botNamePlaceholder = "{{bot_name}}"
    /// The name shown while the app is not ready or has no bot name.
    static let defaultBotName = "Parley"

    /// The page's markdown renderer: markdown-it from Debian's `libjs-markdown-it` (a browser
    /// bundle), served as `/chat/markdown-it.js`.
    static let markdownItPath = "/usr/share/javascript/markdown-it/markdown-it.js"
    /// Served in its place when it is not installed: the page then shows text as written.
    static let markdownItMissing = Data("/* markdown-it is not installed (apt-get install libjs-markdown-it): text is shown as written. */\n".utf8)

    let state: ServingState
    let files: [String: Data]

    init(state: ServingState, files: [(path: String, contents: Data)] = WebChatAssets.files, markdownIt: String = markdownItPath) {
        self.state = state
        var files = Dictionary(files.map { ($0.path, $0.contents) }, uniquingKeysWith: { first, _ in first })
        files["markdown-it.js"] = FileManager.default.contents(atPath: markdownIt) ?? Self.markdownItMissing
        self.files = files
    }

    func register(on router: Router<BasicRequestContext>) {
        router.get(RouterPath(Self.path)) { request, _ in page(request) }
        router.get(RouterPath("\(Self.path)/:name")) { request, context in
            asset(named: context.parameters.get("name") ?? "", request: request)
        }
    }

    /// The chat page, with the bot's name in its title and header.
    func page(_ request: Request) -> Response {
        guard let template = files[Self.pageName] else {
            return JSONResponse.error("the chat page was not built into this binary", status: .notFound)
        }
        let html = String(decoding: template, as: UTF8.self)
            .replacingOccurrences(of: Self.botNamePlaceholder, with: Self.escapeHTML(botName))
        return Self.response(Data(html.utf8), contentType: Self.contentType(of: Self.pageName), request: request)
    }

    /// One of the page's files (not the page's template itself); 404 for any other name.
    func asset(named name: String, request: Request) -> Response {
        guard name != Self.pageName, let contents = files[name] else {
            return JSONResponse.error("no chat file named \"\(name)\"", status: .notFound)
        }
        return Self.response(contents, contentType: Self.contentType(of: name), request: request)
    }

    /// The app's bot name, or `defaultBotName`.
    var botName: String {
        guard let bot = state.engine?.app.bot, case .string(let name)? = try? bot["name"]?.render(TemplateContext()),
              !name.trimmingCharacters(in: .whitespaces).isEmpty else { return Self.defaultBotName }
        return name
    }

    // MARK: Responses

    static func response(_ contents: Data, contentType: String, request: Request) -> Response {
        var buffer = ByteBuffer()
        buffer.writeBytes(contents)
        let headers: HTTPFields = [
            .contentType: contentType,
            .cacheControl: "no-cache",
            .contentSecurityPolicy: contentSecurityPolicy(host: request.head.authority),
            .xContentTypeOptions: "nosniff",
            .init("Referrer-Policy")!: "no-referrer",
        ]
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: buffer))
    }

    /// Only this server's files, and connections to this server: `'self'` and, for browsers
    /// that do not count WebSockets as `'self'`, `ws://` and `wss://` on the requested host
    /// (when it is a plain host name or address with an optional port).
    static func contentSecurityPolicy(host: String?) -> String {
        var connect = "'self'"
        if let host, isPlainHost(host) { connect += " ws://\(host) wss://\(host)" }
        return ["default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
                "connect-src \(connect)", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'"]
            .joined(separator: "; ")
    }

    /// A host name, an IPv4 address or a bracketed IPv6 address, with an optional port —
    /// nothing that could end the policy's directive.
    static func isPlainHost(_ host: String) -> Bool {
        !host.isEmpty && host.count <= 255 && host.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || ".-:[]".unicodeScalars.contains($0)
        }
    }

    static func contentType(of name: String) -> String {
        switch name.split(separator: ".").last.map({ $0.lowercased() }) {
        case "html": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "json": "application/json; charset=utf-8"
        default: "application/octet-stream"
        }
    }

    static func escapeHTML(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
