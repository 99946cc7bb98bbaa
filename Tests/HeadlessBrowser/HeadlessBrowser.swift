import Foundation
import Logging

/// A real headless Chromium for browser tests, driven over the Chrome DevTools Protocol —
/// so a test sees a page as a person's browser would run it (its JavaScript, its WebSocket,
/// its layout) without Selenium, Node or a driver binary.
///
/// ```swift
/// try await HeadlessBrowser.with { browser in
///     let page = try await browser.newPage(width: 390, height: 844)
///     try await page.navigate(to: "http://127.0.0.1:\(port)/chat")
///     try await page.waitUntil("document.querySelector('.bubble') !== null")
///     try await page.screenshot(to: URL(fileURLWithPath: ".test-artifacts/screenshots/chat.png"))
/// }
/// ```
///
/// The browser runs as `chromium --headless --no-sandbox --remote-debugging-port=0` with a
/// throwaway profile; the DevTools URL is read from its standard error. `with` stops it when
/// the body returns or throws (a failing test included); `close()` does the same for a
/// browser from `launch`, and so does releasing the last reference. Without Chromium,
/// `launch` throws `BrowserError.browserNotFound`, whose message says how to install it.
public final class HeadlessBrowser: Sendable {
    /// How to start the browser.
    public struct Options: Sendable {
        /// The Chromium or Chrome executable; nil: `$PARLEY_CHROMIUM`, else `chromium`,
        /// `chromium-browser`, `google-chrome` … on `PATH`.
        public var executable: String?
        /// More command-line switches.
        public var arguments: [String]
        /// How long the browser may take to start and accept the DevTools connection.
        public var launchTimeout: Duration
        /// Where the WebSocket client logs (quiet by default).
        public var logger: Logger

        public init(executable: String? = nil, arguments: [String] = [], launchTimeout: Duration = .seconds(30),
                    logger: Logger = HeadlessBrowser.quietLogger) {
            self.executable = executable
            self.arguments = arguments
            self.launchTimeout = launchTimeout
            self.logger = logger
        }
    }

    /// A logger that only reports errors.
    public static var quietLogger: Logger {
        var logger = Logger(label: "headless-browser")
        logger.logLevel = .error
        return logger
    }

    private let process: ChromiumProcess
    private let connection: DevToolsConnection
    /// The browser's product and version, such as `HeadlessChrome/126.0.6478.126`.
    public let version: String

    private init(process: ChromiumProcess, connection: DevToolsConnection, version: String) {
        self.process = process
        self.connection = connection
        self.version = version
    }

    deinit {
        connection.close()
        process.stop()
    }

    /// The executable `launch` would run, or the error saying none is installed.
    public static func executable(_ options: Options = Options()) throws(BrowserError) -> String {
        try ChromiumProcess.findExecutable(options.executable)
    }

    /// Starts a browser; `close()` it when done (or use `with`).
    public static func launch(_ options: Options = Options()) async throws(BrowserError) -> HeadlessBrowser {
        let executable = try ChromiumProcess.findExecutable(options.executable)
        let process = try await ChromiumProcess(executable: executable, arguments: options.arguments, timeout: options.launchTimeout)
        do throws(BrowserError) {
            let connection = try await DevToolsConnection.connect(to: process.devToolsURL, timeout: options.launchTimeout,
                                                                  logger: options.logger)
            let version = try await connection.send("Browser.getVersion")["product"]?.stringValue ?? "unknown"
            return HeadlessBrowser(process: process, connection: connection, version: version)
        } catch {
            process.stop()
            throw error
        }
    }

    /// Runs `body` with a new browser and stops the browser afterwards, whether `body`
    /// returned or threw.
    public static func with<Value: Sendable>(_ options: Options = Options(),
                                             _ body: (HeadlessBrowser) async throws -> Value) async throws -> Value {
        let browser = try await launch(options)
        do {
            let value = try await body(browser)
            await browser.close()
            return value
        } catch {
            await browser.close()
            throw error
        }
    }

    /// Opens a new tab at `about:blank` with a `width` × `height` viewport (CSS pixels);
    /// `mobile` emulates a phone's screen.
    public func newPage(width: Int = 1280, height: Int = 800, deviceScaleFactor: Double = 1,
                        mobile: Bool = false) async throws(BrowserError) -> BrowserPage {
        let target = try await connection.send("Target.createTarget", ["url": "about:blank"])
        guard let targetID = target["targetId"]?.stringValue else {
            throw .protocolError(method: "Target.createTarget", message: "no targetId in \(target)")
        }
        let attached = try await connection.send("Target.attachToTarget", ["targetId": .string(targetID), "flatten": true])
        guard let sessionID = attached["sessionId"]?.stringValue else {
            throw .protocolError(method: "Target.attachToTarget", message: "no sessionId in \(attached)")
        }
        let page = BrowserPage(targetID: targetID, sessionID: sessionID, connection: connection)
        for domain in ["Page.enable", "Runtime.enable", "Log.enable"] { try await page.command(domain) }
        // Behave as the focused window: focus events and :focus-visible as for a person.
        try await page.command("Emulation.setFocusEmulationEnabled", ["enabled": true])
        try await page.setViewport(width: width, height: height, deviceScaleFactor: deviceScaleFactor, mobile: mobile)
        return page
    }

    /// Closes a tab.
    public func closePage(_ page: BrowserPage) async throws(BrowserError) {
        connection.listen(session: page.sessionID, nil)
        _ = try await connection.send("Target.closeTarget", ["targetId": .string(page.targetID)])
    }

    /// Whether the browser process still runs.
    public var isRunning: Bool { process.isRunning }

    /// What the browser wrote to standard error lately (to explain a crash).
    public var recentOutput: [String] { process.recentOutput }

    /// Stops the browser: asks it to close and waits for it to exit, else ends its process
    /// group (SIGTERM, then SIGKILL); then removes its profile. Safe to call more than once.
    public func close() async {
        var asked = false
        if process.isRunning {
            asked = (try? await connection.send("Browser.close", timeout: .seconds(2))) != nil
        }
        connection.close()
        let process = process
        await Task.detached { process.stop(exitWithin: asked ? .seconds(5) : .zero) }.value
    }
}
