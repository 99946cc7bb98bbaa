import BotRuntime
import BotServer
import FlowDSL
import Foundation
import HeadlessBrowser
import Testing

/// The chat page coming back to a conversation, in a real headless Chromium: a reload shows it
/// without greeting again, a long one replays scrolled to its end on a phone-wide screen, and
/// an integration's error (for operators) is never drawn. Screenshots at phone and desktop
/// widths go to `.test-artifacts/screenshots/`.
@Suite("Chat page: reloads and replays in a real browser", .serialized)
struct ChatPageReplayBrowserTests {
    typealias Page = ChatPageBrowserTests

    /// What Flex files when it cannot be reached: details for operators (logs, admin API).
    static let integrationError = "the Twilio Flex integration `integration.twilio.flex` has no value for `account_sid` "
        + "(is its vault value uploaded?)"

    /// Agent lines long enough that each is taller than the page's "near the end" margin at
    /// 390 px (120 px): following the end by the height after each append lost it there.
    static func agentLine(_ number: Int) -> String {
        "Line \(number): here is what I found in your order history, with the details you asked about and what happens next. "
            + "The parcel left the warehouse on Monday and the carrier expects to deliver it on Thursday between nine and noon; "
            + "if nobody is home they leave a card, and you can pick it up at the post office on the corner the next day."
    }

    @Test("a reload neither greets again nor loses its place; a long replay ends scrolled down at phone width; an integration's error is not drawn")
    func reloadAndReplay() async throws {
        let engine = try LiveServer.engine(files: Page.app)
        try await HeadlessBrowser.with { browser in
            let phone = try await browser.newPage(width: 390, height: 844, deviceScaleFactor: 2, mobile: true)
            try await LiveServer.with(engine: engine, configure: { $0.clientAuthentication = .token(sharedSecret: nil) }) { server in
                let url = "http://127.0.0.1:\(server.port)/chat"
                try await phone.navigate(to: url)
                try await Page.waitForTranscript(phone, endingWith: ["bot (Juniper): Hi, I'm Juniper.", "bot (Juniper): What's your name?"])
                try await phone.type("Ana", into: "#text")
                try await phone.press(.enter)
                try await Page.waitForTranscript(phone, endingWith: ["bot (Juniper): Nice to meet you, Ana!", "bot (Juniper): What can I do for you?"])
                let thread = try #require(try await phone.evaluate("localStorage.getItem('parley.chat.thread')").stringValue)

                // Flex's error reaches the thread (its flows may answer it); the page draws none of it.
                _ = try await engine.handle(Event(type: "meya.twilio.flex.event.error", threadID: thread, sender: .system, userID: "flex",
                                                  data: ["text": .string(Self.integrationError)]))
                for number in 1...25 {
                    _ = try await engine.handle(Event(type: EventTypes.say, threadID: thread, sender: .agent, userID: "agent-7",
                                                      data: ["text": .string(Self.agentLine(number)), "agent_name": .string("Sam")]))
                }
                try await Page.waitForTranscript(phone, endingWith: ["agent (Sam): \(Self.agentLine(25))"])
                let shown = try await Page.transcript(of: phone)
                #expect(shown.count == 30, "\(shown)")
                #expect(try await phone.evaluate("document.body.textContent.includes('account_sid')") == .bool(false))

                // A reload: the same conversation, replayed from the ledger, no second greeting.
                try await phone.navigate(to: url)
                try await Page.waitForTranscript(phone, endingWith: ["agent (Sam): \(Self.agentLine(25))"])
                #expect(try await Page.transcript(of: phone) == shown)
                #expect(try await phone.evaluate("document.body.textContent.includes('account_sid')") == .bool(false))
                try await Page.screenshot(phone, "chat-page-replay-phone.png")  // waits until scrolled to the end
                #expect(try await server.ledger(thread).filter { $0.type == EventTypes.pageOpen }.count == 1)

                // Another window of the same browser, desktop-wide: the same, no greeting.
                let desktop = try await browser.newPage(width: 1100, height: 860)
                try await desktop.navigate(to: url)
                try await Page.waitForTranscript(desktop, endingWith: ["agent (Sam): \(Self.agentLine(25))"])
                #expect(try await Page.transcript(of: desktop) == shown)
                try await Page.screenshot(desktop, "chat-page-replay-desktop.png")
                #expect(try await server.ledger(thread).filter { $0.type == EventTypes.pageOpen }.count == 1)

                // An app that wants page_open on every load says so in the page's address.
                try await desktop.navigate(to: url + "?page_open=each_load")
                try await Page.waitForTranscript(desktop, endingWith: ["bot (Juniper): Hi, I'm Juniper.", "bot (Juniper): What's your name?"])
                #expect(try await server.ledger(thread).filter { $0.type == EventTypes.pageOpen }.count == 2)
            }
        }
    }
}
