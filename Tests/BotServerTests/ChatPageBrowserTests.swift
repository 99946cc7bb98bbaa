import BotRuntime
import BotServer
import FlowDSL
import Foundation
import HeadlessBrowser
import Testing

/// The chat page in a real headless Chromium against a real server: what a person sees and
/// does. Needs Chromium (`scripts/install-deps` installs it; CI does); without it the test
/// fails and says so.
@Suite("Chat page in a real browser", .serialized)
struct ChatPageBrowserTests {
    /// An app whose bot is Juniper and whose flow `welcome` starts when the page opens, with
    /// these `steps` (YAML list items, `  - say: …`). The chat-page tests' apps are all of this shape.
    static func juniper(welcome steps: String) -> [String: String] {
        ["bot/default.yaml": "type: meya.bot.element\nname: Juniper\n",
         "flow/welcome.yaml": "triggers:\n  - page_open\nsteps:\n" + steps]
    }

    static let app = Self.juniper(welcome: """
              - say: Hi, I'm (@ bot.name ).
              - ask: What's your name?
              - say: Nice to meet you, (@ flow.result )!
              - (menu)
              - ask: What can I do for you?
                buttons:
                  - text: Opening hours
                    button_id: hours
                    action:
                      jump: hours
                  - text: Talk to a person
                    button_id: person
                    action:
                      jump: person
              - end
              - (hours)
              - say: We're open 9:00–17:00, Monday to Friday.
              - jump: menu
              - (person)
              - status: Connecting you to an agent…
              - say: Someone will be with you shortly.
              - mode: agent
            """)

    /// `.test-artifacts/screenshots/` in the repository.
    static let screenshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".test-artifacts/screenshots")

    /// The conversation as shown, one line per bubble or notice: `bot (Juniper): Hi`,
    /// `user: Ana`, `agent (Sam): …`, `status: …`, `error: …`.
    static let transcript = """
        [...document.querySelectorAll('#log > *')].flatMap((node) => {
          if (node.classList.contains('notice')) {
            return [(node.classList.contains('notice-error') ? 'error: ' : 'status: ') + node.textContent];
          }
          const name = node.querySelector('.name');
          const who = node.dataset.sender + (name ? ` (${name.firstChild.textContent})` : '');
          return [...node.querySelectorAll('.bubble .text')].map((text) => `${who}: ${text.textContent}`);
        })
        """

    /// The chat page of the server on `port`, opened by a new visitor (a browser each: the page
    /// keeps its user and thread in localStorage) at a desktop width, then at a phone's;
    /// `body` gets the page and the width's name (`desktop`, `phone`).
    static func eachViewport(port: Int, desktopHeight: Int = 800, _ body: (BrowserPage, String) async throws -> Void) async throws {
        for (width, height, mobile, name) in [(1280, desktopHeight, false, "desktop"), (390, 844, true, "phone")] {
            try await HeadlessBrowser.with { browser in
                let page = try await browser.newPage(width: width, height: height, deviceScaleFactor: mobile ? 2 : 1, mobile: mobile)
                try await page.navigate(to: "http://127.0.0.1:\(port)/chat")
                try await body(page, name)
            }
        }
    }

    /// Takes a screenshot once the conversation is scrolled to its end.
    static func screenshot(_ page: BrowserPage, _ name: String) async throws {
        try await page.waitUntil("""
            (() => { const c = document.getElementById('conversation');
                     return c.scrollHeight - c.scrollTop - c.clientHeight < 2; })()
            """, description: "the conversation to be scrolled to its end")
        try await page.screenshot(to: screenshots.appendingPathComponent(name))
    }

    static func transcript(of page: BrowserPage) async throws -> [String] {
        try await page.evaluate(transcript).arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// Waits until the transcript's last lines are `lines`.
    static func waitForTranscript(_ page: BrowserPage, endingWith lines: [String]) async throws {
        let expected = BrowserPage.literal(TemplateValue.list(lines.map { .string($0) }).jsonText)
        try await page.waitUntil("""
            (() => { const shown = \(transcript), want = JSON.parse(\(expected));
                     return JSON.stringify(shown.slice(-want.length)) === JSON.stringify(want); })()
            """, timeout: .seconds(20), description: "the conversation to end with \(lines)")
    }

    @Test("greets on page_open, takes typed answers and button clicks, shows status lines and agents, survives a restart")
    func conversation() async throws {
        let engine = try LiveServer.engine(files: Self.app)
        try await HeadlessBrowser.with { browser in
            let phone = try await browser.newPage(width: 390, height: 844, deviceScaleFactor: 2, mobile: true)
            let (port, _, thread) = try await LiveServer.with(engine: engine, configure: { $0.clientAuthentication = .token(sharedSecret: nil) }) { server in
                try await phone.navigate(to: "http://127.0.0.1:\(server.port)/chat")
                #expect(try await phone.evaluate("document.title").stringValue == "Juniper · Chat")
                #expect(try await phone.evaluate("document.querySelector('h1').textContent").stringValue == "Juniper")
                #expect(try await phone.evaluate("document.getElementById('log').getAttribute('aria-live')") == "polite")

                // page_open, fired by the page itself, greets.
                try await Self.waitForTranscript(phone, endingWith: ["bot (Juniper): Hi, I'm Juniper.", "bot (Juniper): What's your name?"])
                let user = try #require(try await phone.evaluate("localStorage.getItem('parley.chat.user')").stringValue)
                let thread = try #require(try await phone.evaluate("localStorage.getItem('parley.chat.thread')").stringValue)
                #expect(user.hasPrefix("web-") && thread.hasPrefix("thread-") && user != thread)
                let opened = try #require(try await server.ledger(thread).first)
                #expect(opened.type == EventTypes.pageOpen && opened.userID == user)
                #expect(opened.data["url"] == .string("http://127.0.0.1:\(server.port)/chat"))

                // Typing and Enter.
                try await phone.type("Ana", into: "#text")
                try await phone.press(.enter)
                try await Self.waitForTranscript(phone, endingWith: [
                    "user: Ana", "bot (Juniper): Nice to meet you, Ana!", "bot (Juniper): What can I do for you?",
                ])
                #expect(try await phone.evaluate("document.getElementById('text').value") == "")

                // A click shows the typing indicator until the turn is over (checked in the
                // click's own task, before any answer can arrive).
                let typingAfterClick = try await phone.evaluate("""
                    (() => { document.querySelector('button[data-button-id="hours"]').click();
                             return !document.getElementById('typing').hidden; })()
                    """)
                #expect(typingAfterClick == true)
                try await Self.waitForTranscript(phone, endingWith: [
                    "user: Opening hours", "bot (Juniper): We're open 9:00–17:00, Monday to Friday.",
                    "bot (Juniper): What can I do for you?",
                ])
                try await phone.waitUntil("document.getElementById('typing').hidden", description: "the typing indicator to go")
                // Answered buttons are spent; the chosen one stays marked.
                #expect(try await phone.evaluate("document.querySelector('.buttons.answered .chosen').textContent") == "Opening hours")

                // A real mouse click on the new menu's button.
                try await phone.click(".buttons:not(.answered) button[data-button-id=\"person\"]")
                try await Self.waitForTranscript(phone, endingWith: [
                    "user: Talk to a person", "status: Connecting you to an agent…", "bot (Juniper): Someone will be with you shortly.",
                ])
                #expect(try await phone.evaluate("getComputedStyle(document.querySelector('.notice')).textAlign") == "center")
                return (server.port, user, thread)
            }

            // The server is gone: the page says so and keeps what is typed meanwhile.
            try await phone.waitUntil("document.getElementById('app').dataset.connection !== 'online'",
                                      description: "the page to notice the server stopped")
            try await phone.type("Is anyone there?", into: "#text")
            try await phone.click("#send")
            #expect(try await phone.evaluate("document.querySelector('.group-user:last-child .bubble:last-child').classList.contains('pending')") == true)
            // An agent speaks while the page is away.
            let agent = Event(type: EventTypes.say, threadID: thread, sender: .agent, userID: "agent-7",
                              data: ["text": .string("Hi Ana, I'm Sam. How can I help?"), "agent_name": .string("Sam")])
            _ = try await engine.handle(agent)

            // Back on the same port: the page reconnects, gets what it missed, sends what waited.
            try await LiveServer.with(engine: engine, configure: { $0.port = port; $0.clientAuthentication = .token(sharedSecret: nil) }) { server in
                try await Self.waitForTranscript(phone, endingWith: ["user: Is anyone there?", "agent (Sam): Hi Ana, I'm Sam. How can I help?"])
                try await phone.waitUntil("document.querySelectorAll('.bubble.pending').length === 0 && document.getElementById('typing').hidden",
                                          description: "the waiting message to be acknowledged")
                let said = try await server.ledger(thread).filter { $0.sender == .user && $0.type == EventTypes.say }.compactMap(\.text)
                #expect(said == ["Ana", "Is anyone there?"])
                let shown = try await Self.transcript(of: phone)
                #expect(shown == [
                    "bot (Juniper): Hi, I'm Juniper.", "bot (Juniper): What's your name?", "user: Ana",
                    "bot (Juniper): Nice to meet you, Ana!", "bot (Juniper): What can I do for you?", "user: Opening hours",
                    "bot (Juniper): We're open 9:00–17:00, Monday to Friday.", "bot (Juniper): What can I do for you?",
                    "user: Talk to a person", "status: Connecting you to an agent…", "bot (Juniper): Someone will be with you shortly.",
                    "user: Is anyone there?", "agent (Sam): Hi Ana, I'm Sam. How can I help?",
                ])
                // No script error; refused reconnects while the server was down are the browser's own notes.
                let problems = phone.consoleMessages.filter { $0.hasPrefix("exception") || $0.hasPrefix("error") }
                    .filter { !($0.hasPrefix("error (network)") && $0.contains("ERR_CONNECTION_REFUSED")) }
                #expect(problems == [])
                try await Self.screenshot(phone, "chat-page.png")

                // Another tab of the same browser (its identity) on the same conversation (?thread=)
                // replays it from the ledger.
                let desktop = try await browser.newPage(width: 1100, height: 860)
                try await desktop.navigate(to: "http://127.0.0.1:\(server.port)/chat?thread=\(thread)")
                try await Self.waitForTranscript(desktop, endingWith: ["agent (Sam): Hi Ana, I'm Sam. How can I help?", "user: Is anyone there?"])
                #expect(try await Self.transcript(of: desktop).count == shown.count)
                try await Self.screenshot(desktop, "chat-page-desktop.png")
            }
        }
    }
}
