import BotRuntime
import Foundation
import HeadlessBrowser
import Testing

/// Meya's tiles and pages on the chat page in a real headless Chromium: cards with an image,
/// rows and buttons whose click answers the step; a form whose refused answer is said under
/// its field, then taken. Screenshots at desktop and phone widths.
@Suite("Chat page: tiles and forms", .serialized)
struct ChatPageCardsBrowserTests {
    static let app = ChatPageBrowserTests.juniper(welcome: """
              - tiles:
                  - title: Super Nintendo
                    description: 100,000 points
                    image:
                      url: \(ChatPageMediaBrowserTests.logo)
                      alt: The console
                    rows:
                      - - cell: Stock
                          value: 3
                    buttons:
                      - text: Order
                        result: nintendo
                  - title: Skip
                    description: Maybe later
                    result: nothing
                ask: Pick a prize
              - say: You chose (@ flow.result ).
              - page:
                  - info: About you
                  - type: text_input
                    label: Your name
                    required: true
                  - type: email_address_input
                    label: Your email
                    required: true
                  - choices:
                      - Dog
                      - text: Cat
                        value: cat
                    label: Your pet
                  - checkbox: Send me news
                submit:
                  text: Next
              - say: Thanks (@ flow.result[0] ), (@ flow.result[1] ), (@ flow.result[2] ), (@ flow.result[3] ).
            """)

    @Test("tiles are cards whose button answers the step; a form shows why an answer was refused, then takes the corrected one")
    func tilesAndForm() async throws {
        let engine = try LiveServer.engine(files: Self.app)
        try await LiveServer.with(engine: engine, configure: { $0.clientAuthentication = .token(sharedSecret: nil) }) { server in
            try await ChatPageBrowserTests.eachViewport(port: server.port, desktopHeight: 900) { page, suffix in
                try await page.waitUntil("document.querySelectorAll('#log .tile').length === 2", description: "two tiles")
                let cards = try await page.evaluate("""
                    [...document.querySelectorAll('#log .tile')].map((t) => [t.querySelector('.tile-title')?.textContent,
                      t.querySelector('.tile-description')?.textContent, t.querySelector('img')?.alt ?? '',
                      [...t.querySelectorAll('.tile-row span')].map((s) => s.textContent).join(' '),
                      [...t.querySelectorAll('button.choice')].map((b) => b.textContent).join('|')])
                    """)
                #expect(cards == [["Super Nintendo", "100,000 points", "The console", "Stock 3", "Order"],
                                  ["Skip", "Maybe later", "", "", "Skip"]], "\(cards)")
                try await page.waitUntil("document.querySelector('#log .tile img').naturalWidth > 0", description: "the tile's image")
                try await ChatPageBrowserTests.screenshot(page, "chat-page-tiles-\(suffix).png")
                try await page.click("#log .tile button.choice")
                try await page.waitUntil("document.querySelector('#log form.card-form') !== null", description: "the form")
                let said = try await ChatPageBrowserTests.transcript(of: page)
                #expect(said.contains("bot (Juniper): You chose nintendo."), "\(said)")

                // A wrong address: refused under its field, nothing else lost.
                try await page.type("Ana", into: "#log form.card-form input[type=text]")
                try await page.type("not-an-address", into: "#log form.card-form input[type=email]")
                try await page.click("#log form.card-form input[value=Cat]")
                try await page.click("#log form.card-form .form-submit")
                try await page.waitUntil("[...document.querySelectorAll('#log .form-error')].some((e) => e.textContent !== '')",
                                         description: "the refused field's message")
                let errors = try await page.evaluate("[...document.querySelectorAll('#log .form-error')].map((e) => e.textContent)")
                #expect(errors == ["", "Please enter a valid email address.", "", ""], "\(errors)")
                try await ChatPageBrowserTests.screenshot(page, "chat-page-form-\(suffix).png")

                try await page.evaluate("document.querySelector('#log form.card-form input[type=email]').value = ''")
                try await page.type("ana@example.com", into: "#log form.card-form input[type=email]")
                try await page.click("#log form.card-form input[type=checkbox]")
                try await page.click("#log form.card-form .form-submit")
                try await page.waitUntil("document.querySelector('#log form.card-form.done') !== null", description: "the form taken")
                try await ChatPageBrowserTests.waitForTranscript(page, endingWith: ["bot (Juniper): Thanks Ana, ana@example.com, cat, True."])
            }
        }
    }
}
