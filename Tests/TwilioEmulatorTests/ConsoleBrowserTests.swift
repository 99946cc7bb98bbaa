import Foundation
import HeadlessBrowser
import Testing
import TwilioEmulator

/// The agent console in a real headless Chromium against the emulator alone, with the bot's
/// side played by REST calls, so that what happens between two of them is certain.
@Suite("Agent console: the conversation before the composer", .serialized)
struct ConsoleBrowserTests {
    static let composer = """
        (() => { const c = document.querySelector('#composer');
                 return c ? { disabled: c.disabled, placeholder: c.placeholder } : null; })()
        """

    @Test("just accepted, the composer waits for the conversation so far: until the bot's first line, or 5 s when none comes")
    func composerWaitsForTranscript() async throws {
        try await EmulatorHarness.with { harness in
            let channel = try #require(try await harness.createChannel()["sid"]?.stringValue)
            try await HeadlessBrowser.with { browser in
                let page = try await browser.newPage(width: 1280, height: 800)
                try await page.navigate(to: harness.emulator.consoleURL)
                try await page.click("#tasks button.primary")  // Accept
                try await page.waitUntil("document.querySelector('.chat-head .pill')?.textContent === 'assigned'")
                // The bot posts the transcript when the agent accepts: none is shown yet, so no typing.
                let waiting = try await page.evaluate(Self.composer)
                #expect(waiting["disabled"] == .bool(true), "\(waiting)")
                #expect(waiting["placeholder"]?.stringValue == "The conversation so far is on its way…")
                #expect(try await harness.botMessage("user: Ada Lovelace", channel: channel).status == 201)
                try await page.waitUntil("!document.querySelector('#composer').disabled")
                #expect(try await page.evaluate("document.querySelectorAll('.transcript .msg').length") == .number(1))
            }
        }
        // A bot that posts no transcript: the composer opens after the wait.
        try await EmulatorHarness.with { harness in
            _ = try await harness.createChannel()
            try await HeadlessBrowser.with { browser in
                let page = try await browser.newPage(width: 1280, height: 800)
                try await page.navigate(to: harness.emulator.consoleURL)
                try await page.click("#tasks button.primary")
                try await page.waitUntil("document.querySelector('.chat-head .pill')?.textContent === 'assigned'")
                #expect(try await page.evaluate("document.querySelector('#composer').disabled") == .bool(true))
                try await page.waitUntil("!document.querySelector('#composer').disabled", timeout: .seconds(15))
                #expect(try await page.evaluate(Self.composer)["placeholder"]?.stringValue == "Type a message, or a /command…")
            }
        }
    }
}
