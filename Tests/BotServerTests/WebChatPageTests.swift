import BotServer
import Foundation
import HTTPTypes
import Testing

@Suite("Web chat page over HTTP")
struct WebChatPageTests {
    static let app: [String: String] = [
        "bot/default.yaml": "type: meya.bot.element\nname: Ana & <Bo>\n",
        "flow/hello.yaml": "triggers:\n  - keyword: hi\nsteps:\n  - say: Hello!\n",
    ]

    @Test("GET /chat serves the page as HTML, not cached, with a CSP allowing only this server and its WebSocket")
    func page() async throws {
        try await LiveServer.with(files: Self.app) { server in
            let reply = try await server.request(.get, "/chat")
            #expect(reply.status == 200)
            #expect(reply.contentType == "text/html; charset=utf-8")
            #expect(reply.headers[.cacheControl] == "no-cache")
            #expect(reply.headers[.xContentTypeOptions] == "nosniff")
            let policy = try #require(reply.headers[.contentSecurityPolicy])
            #expect(policy.contains("default-src 'none'"))
            #expect(policy.contains("script-src 'self'"))
            #expect(policy.contains("style-src 'self'"))
            #expect(policy.contains("connect-src 'self' ws://127.0.0.1 wss://127.0.0.1"), "\(policy)")
            #expect(!policy.contains("unsafe-inline") && !policy.contains("*"))
            // The bot's name, HTML-escaped, in the title and the header.
            #expect(reply.body.contains("<title>Ana &amp; &lt;Bo&gt; · Chat</title>"))
            #expect(reply.body.contains(#"<h1 class="title" id="title">Ana &amp; &lt;Bo&gt;</h1>"#))
            #expect(!reply.body.contains("{{bot_name}}"))
            // Its own files only: nothing from a CDN, no inline script or style.
            #expect(reply.body.contains(#"<link rel="stylesheet" href="/chat/chat.css">"#))
            #expect(reply.body.contains(#"<script src="/chat/chat.js" defer></script>"#))
            #expect(!reply.body.contains("https://") && !reply.body.contains("http://"))
            #expect(!reply.body.contains("<style") && !reply.body.contains("<script>"))
            #expect(reply.body.contains(#"role="log" aria-live="polite""#))
        }
    }

    @Test("the page's files come with their content types; other names are 404")
    func assets() async throws {
        try await LiveServer.with(files: Self.app) { server in
            for (path, type, marker) in [
                ("/chat/chat.css", "text/css; charset=utf-8", ".bubble"),
                ("/chat/chat.js", "text/javascript; charset=utf-8", "page_open"),
                ("/chat/icon.svg", "image/svg+xml", "<svg"),
                ("/chat/chat-presentation.js", "text/javascript; charset=utf-8", "parleyPresentation"),
                ("/chat/chat-cards.js", "text/javascript; charset=utf-8", "parleyCards"),
                // The system's markdown-it (libjs-markdown-it), or the stand-in saying it is not installed.
                ("/chat/markdown-it.js", "text/javascript; charset=utf-8", "markdown-it"),
            ] {
                let reply = try await server.request(.get, path)
                #expect(reply.status == 200, "\(path)")
                #expect(reply.contentType == type, "\(path)")
                #expect(reply.headers[.cacheControl] == "no-cache", "\(path)")
                #expect(reply.headers[.contentSecurityPolicy] != nil, "\(path)")
                #expect(reply.body.contains(marker), "\(path)")
            }
            for path in ["/chat/missing.js", "/chat/chat.html", "/chat/..%2FPackage.swift"] {
                let reply = try await server.request(.get, path)
                #expect(reply.status == 404, "\(path)")
                #expect(reply.error != nil, "\(path)")
            }
        }
    }

    @Test("the page is served before the bot is ready, with a default name")
    func notReady() async throws {
        try await LiveServer.with(files: nil) { server in
            let reply = try await server.request(.get, "/chat")
            #expect(reply.status == 200)
            #expect(reply.body.contains("<title>Parley · Chat</title>"))
        }
    }
}
