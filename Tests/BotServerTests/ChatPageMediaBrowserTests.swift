import BotRuntime
import Foundation
import HeadlessBrowser
import Testing

/// Meya's richer events on the chat page in a real headless Chromium: an image the bot shows
/// (Meya's `image:` step), a file to download (`file:`) and a status line that offers quick replies (Meya's status is
/// interactive). Screenshots at desktop and phone widths.
@Suite("Chat page: images and interactive status lines", .serialized)
struct ChatPageMediaBrowserTests {
    static let logo = "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHdpZHRoPSIyNDAiIGhlaWdodD0iMTIwIj48cmVjdCB3aWR0aD0iMjQwIiBoZWlnaHQ9IjEyMCIgcng9IjEyIiBmaWxsPSIjM2I2ZmQ4Ii8+PHRleHQgeD0iMTIwIiB5PSI3MCIgZm9udC1zaXplPSIyOCIgdGV4dC1hbmNob3I9Im1pZGRsZSIgZmlsbD0id2hpdGUiIGZvbnQtZmFtaWx5PSJzYW5zLXNlcmlmIj5QYXJsZXk8L3RleHQ+PC9zdmc+"

    static let app = ChatPageBrowserTests.juniper(welcome: """
              - say: Here is our logo.
              - image: \(logo)
                alt: The Parley logo
                text: Parley, in blue
              - file: https://example.com/guide.pdf
                name: guide.pdf
              - status: Looking up your order…
                quick_replies:
                  - text: Cancel
                    action:
                      jump: cancel
              - say: Found it.
              - end
              - (cancel)
              - say: Canceled.
            """)

    @Test("an image is drawn with its alternative text and caption; a status line's quick replies are buttons that answer it")
    func imageAndStatus() async throws {
        let engine = try LiveServer.engine(files: Self.app)
        try await LiveServer.with(engine: engine, configure: { $0.clientAuthentication = .token(sharedSecret: nil) }) { server in
            try await ChatPageBrowserTests.eachViewport(port: server.port) { page, suffix in
                try await page.waitUntil("document.querySelector('#log .buttons .choice') !== null", description: "the status line's quick reply")
                let alt = try await page.evaluate("document.querySelector('#log img.picture')?.alt")
                #expect(alt == "The Parley logo", "\(alt)")
                try await page.waitUntil("document.querySelector('#log img.picture').naturalWidth > 0", description: "the image to load")
                let texts = try await page.evaluate("[...document.querySelectorAll('#log .bubble .text, #log .notice')].map((n) => n.textContent)")
                #expect(texts == ["Here is our logo.", "Parley, in blue", "Looking up your order…"], "\(texts)")
                let file = try await page.evaluate("[document.querySelector('#log a.file')?.href, document.querySelector('#log a.file')?.textContent]")
                #expect(file == ["https://example.com/guide.pdf", "📄 guide.pdf"], "\(file)")
                try await ChatPageBrowserTests.screenshot(page, "chat-page-image-\(suffix).png")
                try await page.click("#log .buttons .choice")
                try await page.waitUntil("[...document.querySelectorAll('#log .bubble .text')].some((n) => n.textContent === 'Canceled.')",
                                         description: "the quick reply's answer")
            }
        }
    }
}
