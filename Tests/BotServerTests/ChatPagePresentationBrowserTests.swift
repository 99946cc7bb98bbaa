import BotRuntime
import Foundation
import HeadlessBrowser
import Testing

/// Meya's composer, header and markdown on the chat page in a real headless Chromium: the
/// header's title, steps, progress and links; markdown drawn (HTML in it shown, never run); a
/// placeholder and a hidden composer; the defaults back once a message sets none. Screenshots
/// at desktop and phone widths.
@Suite("Chat page: composer, header and markdown", .serialized)
struct ChatPagePresentationBrowserTests {
    static let app = ChatPageBrowserTests.juniper(welcome: """
              - header:
                  title: Returns
                  progress:
                    value: 40
                    show_percent: true
                  milestones: [Order, {text: Reason, current: true}, Label]
                  buttons:
                    - text: Help
                      url: https://example.com/help
              - say: "**Welcome back.** Read <b>our</b> [policy](https://example.com/policy), then quote `RMA-7`."
                markdown: true
              - ask: Your order number?
                composer:
                  placeholder: Order number, e.g. A-17
                  focus: text
              - say: "Got **it**: (@ flow.result )"
              - ask: Is it damaged?
                buttons: [Yes, No]
                composer:
                  visibility: hide
              - header:
              - say: Thanks, (@ flow.result ).
            """)

    @Test("a message sets the header and the composer, and its markdown is drawn with HTML escaped; one that sets none puts the defaults back")
    func headerComposerMarkdown() async throws {
        let engine = try LiveServer.engine(files: Self.app)
        try await LiveServer.with(engine: engine, configure: { $0.clientAuthentication = .token(sharedSecret: nil) }) { server in
            try await ChatPageBrowserTests.eachViewport(port: server.port) { page, suffix in
                try await page.waitUntil("document.getElementById('text').placeholder === 'Order number, e.g. A-17'",
                                         description: "the ask's placeholder")
                let header = try await page.evaluate("""
                    [document.getElementById('title').textContent,
                     [...document.querySelectorAll('#milestones li')].map((m) => m.textContent + (m.classList.contains('current') ? '*' : '')).join(' '),
                     String(document.getElementById('progress-bar').value), document.getElementById('progress-text').textContent,
                     [...document.querySelectorAll('#header-links a')].map((a) => `${a.textContent} ${a.href} ${a.target}`).join(' ')]
                    """)
                #expect(header == ["Returns", "Order Reason* Label", "40", "40%", "Help https://example.com/help _blank"], "\(header)")

                let markdown = try await page.evaluate("""
                    (() => { const text = document.querySelector('#log .bubble .text.markdown');
                             return text ? [text.querySelector('strong')?.textContent, text.querySelector('code')?.textContent,
                                            text.querySelector('a')?.href, text.querySelector('a')?.rel, String(text.querySelector('b') === null),
                                            text.textContent.trim()] : null; })()
                    """)
                #expect(markdown == ["Welcome back.", "RMA-7", "https://example.com/policy", "noopener noreferrer", "true",
                                     "Welcome back. Read <b>our</b> policy, then quote RMA-7."], "\(markdown)")
                #expect(try await page.evaluate("document.activeElement.id") == "text")
                try await ChatPageBrowserTests.screenshot(page, "chat-page-header-markdown-\(suffix).png")

                // The next message sets no markdown: its text is shown as written; its ask hides the composer.
                try await page.type("A-17", into: "#text")
                try await page.click("#send")
                try await page.waitUntil("document.getElementById('composer').hidden", description: "the composer hidden")
                let said = try await ChatPageBrowserTests.transcript(of: page)
                #expect(said.suffix(2) == ["bot (Juniper): Got **it**: A-17", "bot (Juniper): Is it damaged?"], "\(said)")
                #expect(try await page.evaluate("getComputedStyle(document.getElementById('composer')).display") == "none")
                // The header stays the configured one until it is removed.
                #expect(try await page.evaluate("document.getElementById('title').textContent") == "Returns")

                try await page.click(".buttons:not(.answered) button.choice")
                try await ChatPageBrowserTests.waitForTranscript(page, endingWith: ["bot (Juniper): Thanks, Yes."])
                let back = try await page.evaluate("""
                    [document.getElementById('title').textContent, String(document.getElementById('progress').hidden),
                     String(document.getElementById('milestones').hidden), String(document.getElementById('composer').hidden),
                     document.getElementById('text').placeholder]
                    """)
                #expect(back == ["Juniper", "true", "true", "false", "Type a message…"], "\(back)")
            }
        }
    }
}
