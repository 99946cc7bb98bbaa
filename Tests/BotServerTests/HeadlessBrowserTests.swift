import Foundation
import HeadlessBrowser
import Synchronization
import Testing

/// The browser driver itself: what tests built on it rely on. Needs Chromium, as the chat
/// page's browser test does.
@Suite("Headless browser driver", .serialized)
struct HeadlessBrowserTests {
    static let page = """
        data:text/html,<!doctype html><title>t</title>
        <input id="name"><button id="go" onclick="document.title = 'hi ' + document.getElementById('name').value">Go</button>
        <script>console.log('ready', 2); setTimeout(() => { document.body.dataset.later = 'yes' }, 100)</script>
        """

    @Test("evaluates, waits, types, clicks and keeps the page's console; failures say what and why")
    func drives() async throws {
        try await HeadlessBrowser.with { browser in
            #expect(browser.version.contains("Chrome"))
            let page = try await browser.newPage(width: 400, height: 300)
            try await page.navigate(to: Self.page.replacingOccurrences(of: "\n", with: ""))
            #expect(try await page.evaluate("Promise.resolve(20 + 22)") == 42)
            #expect(try await page.evaluate("({a: [1, 'b', null]})") == ["a": [1, "b", nil]])
            #expect(try await page.waitUntil("document.body.dataset.later") == "yes")

            try await page.type("Ana", into: "#name")
            try await page.click("#go")
            #expect(try await page.evaluate("document.title") == "hi Ana")
            #expect(page.consoleMessages.contains("log: ready 2"))

            await #expect { try await page.evaluate("null.x") } throws: { error in
                guard case BrowserError.javaScriptException(_, let message) = error else { return false }
                return message.contains("TypeError")
            }
            await #expect { try await page.waitUntil("false", timeout: .milliseconds(200), description: "never") } throws: { error in
                "\(error)".contains("timed out after 0.2 seconds waiting for never") && "\(error)".contains("log: ready 2")
            }
            await #expect { try await page.click("#missing", timeout: .milliseconds(200)) } throws: { error in
                "\(error)".contains("`#missing` to be visible")
            }
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("screenshot-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let png = try await page.screenshot(to: folder.appendingPathComponent("page.png"))
            #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))

            // A second page in the same tab is waited for, not mistaken for the first.
            try await page.navigate(to: "data:text/html,<title>second</title>")
            #expect(try await page.evaluate("document.title") == "second")
            #expect(FileManager.default.contents(atPath: folder.appendingPathComponent("page.png").path) == png)
        }
    }

    @Test("the browser is stopped when the body throws")
    func stopsOnFailure() async throws {
        struct Failure: Error {}
        let launched = Mutex<HeadlessBrowser?>(nil)
        await #expect(throws: Failure.self) {
            try await HeadlessBrowser.with { browser in
                launched.withLock { $0 = browser }
                _ = try await browser.newPage()
                throw Failure()
            }
        }
        let browser = try #require(launched.withLock { $0 })
        #expect(!browser.isRunning)
    }
}
