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

    @Test("a call's task: the card says it is a call from the caller; the pane shows the bot's summary and what was said on the call; Accept answers it, Hang up ends the call, Complete completes the task")
    func voiceTask() async throws {
        try await VoiceEmulatorTests.with { harness in
            await harness.receiver.answer("incoming", with: """
                <Response><Say>Connecting you to an agent.</Say><Enqueue workflowSid="\(harness.configuration.workflowSid)"><Task>\
                {"name": "Ana - software", "conversationSummary": "Reason: editor crash\\nname: Ana", "handoffReason": "editor crash", \
                "issue": "software"}</Task></Enqueue></Response>
                """)
            let call = try await harness.agent.call(from: VoiceEmulatorTests.caller, to: VoiceEmulatorTests.number)
            try await HeadlessBrowser.with { browser in
                let page = try await browser.newPage(width: 1280, height: 800)
                try await page.navigate(to: harness.emulator.consoleURL)
                try await page.waitUntil("document.querySelector('#summary') !== null && document.querySelector('#call-hint') !== null")
                #expect(try await page.evaluate("document.querySelector('#tasks .task .meta').textContent")
                    .stringValue?.hasPrefix("call · \(VoiceEmulatorTests.caller)") == true)
                #expect(try await page.evaluate("document.querySelector('#tasks .chip').textContent") == .string("issue: software"))
                #expect(try await page.evaluate("document.querySelector('#summary pre').textContent") == .string("Reason: editor crash\nname: Ana"))
                let said = try await page.evaluate("[...document.querySelectorAll('.transcript .msg')].map((m) => m.textContent).join('|')")
                #expect(said.stringValue?.contains("Connecting you to an agent.") == true, "\(said)")
                #expect(try await page.evaluate("document.querySelector('#composer')") == .null, "a call has no composer")

                try await page.click("#tasks button.primary")  // Accept
                try await page.waitUntil("document.querySelector('#call-hint')?.textContent.startsWith('You are on the phone')")
                #expect(try await harness.agent.phoneCall(call.sid, wait: .zero).value.state == "with_agent")
                _ = try await page.screenshot(to: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                    .deletingLastPathComponent().appendingPathComponent(".test-artifacts/screenshots/agent-console-call.png"))
                try await page.evaluate("document.querySelector('#end-chat').click()")  // Hang up
                try await page.waitUntil("document.querySelector('.chat-head .pill')?.textContent === 'wrapping'")
                #expect(try await harness.agent.phoneCall(call.sid, wait: .zero).value.state == "ended")
                try await page.evaluate("document.querySelector('#complete').click()")
                try await page.waitUntil("document.querySelector('#reason-confirm') !== null")
                try await page.evaluate("document.querySelector('#reason-confirm').click()")
                try await page.waitUntil("document.querySelector('#ended') !== null")
                #expect(try await harness.agent.task(try #require(call.taskSid)).status == "completed")
            }
        }
    }
}
