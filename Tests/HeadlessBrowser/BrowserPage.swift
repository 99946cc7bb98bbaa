import Foundation

/// One tab of a `HeadlessBrowser`, driven the way a test needs: open a URL, run JavaScript,
/// wait for a condition, click, type, press keys, take a screenshot.
///
/// Clicks and keys are real input events (`Input.dispatchMouseEvent`, `Input.insertText`,
/// `Input.dispatchKeyEvent`), so the page sees what a person's browser would send. Everything
/// waits at most a bounded time and then throws a `BrowserError` that says what it waited for
/// and what the page logged (console messages and uncaught exceptions are kept as they come).
public final class BrowserPage: Sendable {
    /// The DevTools target id of the tab.
    public let targetID: String
    let sessionID: String
    let connection: DevToolsConnection
    private let log = LineBuffer(limit: 500)

    init(targetID: String, sessionID: String, connection: DevToolsConnection) {
        self.targetID = targetID
        self.sessionID = sessionID
        self.connection = connection
        connection.listen(session: sessionID) { [log] method, params in
            if let line = Self.logLine(method: method, params: params) { log.append(line) }
        }
    }

    /// What the page logged so far: `console.*` calls (`log: …`, `error: …`) and uncaught
    /// exceptions (`exception: …`), oldest first.
    public var consoleMessages: [String] { log.last(500) }

    /// Sends a DevTools command to this tab (for what the helpers here do not cover).
    @discardableResult
    public func command(_ method: String, _ params: JSONValue = [:], timeout: Duration = .seconds(30)) async throws(BrowserError) -> JSONValue {
        try await connection.send(method, params, session: sessionID, timeout: timeout)
    }

    // MARK: Navigating

    /// Opens `url` and waits until its document has loaded (`readyState` complete).
    public func navigate(to url: String, timeout: Duration = .seconds(20)) async throws(BrowserError) {
        // The old document carries a mark the new one lacks: its readyState is not mistaken for the new one's.
        let mark = Self.literal(UUID().uuidString)
        try await evaluate("window.__headlessBrowserDocument = \(mark)")
        let result = try await command("Page.navigate", ["url": .string(url)], timeout: timeout)
        if let reason = result["errorText"]?.stringValue, !reason.isEmpty {
            throw .navigationFailed(url: url, reason: reason)
        }
        // Without a loader the navigation stayed in the same document (a fragment): nothing loads.
        guard result["loaderId"] != nil else { return }
        try await waitUntil("window.__headlessBrowserDocument !== \(mark) && document.readyState === 'complete'",
                            timeout: timeout, description: "\(url) to load")
    }

    /// Sets the tab's viewport, in CSS pixels; `mobile` also emulates a phone's (touch-sized) screen.
    public func setViewport(width: Int, height: Int, deviceScaleFactor: Double = 1, mobile: Bool = false) async throws(BrowserError) {
        try await command("Emulation.setDeviceMetricsOverride", [
            "width": .number(Double(width)), "height": .number(Double(height)),
            "deviceScaleFactor": .number(deviceScaleFactor), "mobile": .bool(mobile),
        ])
    }

    // MARK: JavaScript

    /// Evaluates `expression` in the page and returns its value as JSON; a promise is
    /// awaited. Values JSON cannot hold (functions, DOM nodes) come back as `null`.
    @discardableResult
    public func evaluate(_ expression: String, timeout: Duration = .seconds(30)) async throws(BrowserError) -> JSONValue {
        let result = try await command("Runtime.evaluate", [
            "expression": .string(expression), "awaitPromise": true, "returnByValue": true, "userGesture": true,
        ], timeout: timeout)
        if let details = result["exceptionDetails"] {
            let message = details["exception"]?["description"]?.stringValue ?? details["text"]?.stringValue ?? details.jsonText
            throw .javaScriptException(expression: expression, message: message)
        }
        return result["result"]?["value"] ?? .null
    }

    /// Evaluates `condition` every 50 ms until it is truthy (JavaScript's sense) and returns
    /// that value; throws `BrowserError.timedOut` with `description` (default: the condition),
    /// the last value and the page's log when `timeout` passes first. A condition that throws,
    /// or whose evaluation the browser does not answer in time (a loaded machine), counts as
    /// not yet true.
    @discardableResult
    public func waitUntil(_ condition: String, timeout: Duration = .seconds(10),
                          description: String? = nil) async throws(BrowserError) -> JSONValue {
        let deadline = ContinuousClock.now + timeout
        var last: String?
        while true {
            do {
                let value = try await evaluate(condition, timeout: timeout)
                if value.isTruthy { return value }
                last = value.jsonText
            } catch {
                switch error {
                case .javaScriptException(_, let message): last = "threw \(message)"
                case .timedOut: last = "no answer from the browser in time"
                default: throw error
                }
            }
            if ContinuousClock.now >= deadline {
                throw .timedOut(waitingFor: description ?? condition, after: timeout, lastValue: last, console: consoleMessages)
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    // MARK: Input

    /// Clicks the first element matching `selector` with the mouse, in its centre, once it
    /// is there, visible, enabled and not covered by another element (waiting up to `timeout`).
    public func click(_ selector: String, timeout: Duration = .seconds(10)) async throws(BrowserError) {
        let point = try await waitUntil("""
            (() => {
              const node = document.querySelector(\(Self.literal(selector)));
              if (!node || node.disabled) return null;
              node.scrollIntoView({ block: 'center', inline: 'center', behavior: 'instant' });
              const box = node.getBoundingClientRect();
              if (box.width === 0 || box.height === 0) return null;
              const x = box.left + box.width / 2, y = box.top + box.height / 2;
              const top = document.elementFromPoint(x, y);
              if (!top || !(top === node || node.contains(top))) return null;
              return { x, y };
            })()
            """, timeout: timeout, description: "`\(selector)` to be visible, enabled and uncovered, to click it")
        guard let x = point["x"]?.doubleValue, let y = point["y"]?.doubleValue else {
            throw .elementNotUsable(selector: selector, reason: "no position")
        }
        for type in ["mouseMoved", "mousePressed", "mouseReleased"] {
            try await command("Input.dispatchMouseEvent", [
                "type": .string(type), "x": .number(x), "y": .number(y), "button": "left",
                "buttons": .number(type == "mousePressed" ? 1 : 0), "clickCount": .number(type == "mouseMoved" ? 0 : 1),
            ])
        }
    }

    /// Focuses the first element matching `selector` and types `text` into it, as a keyboard
    /// (or an input method) would insert it: the page gets `input` events.
    public func type(_ text: String, into selector: String, timeout: Duration = .seconds(10)) async throws(BrowserError) {
        try await waitUntil("""
            (() => {
              const node = document.querySelector(\(Self.literal(selector)));
              if (!node || node.disabled) return false;
              node.focus();
              return document.activeElement === node;
            })()
            """, timeout: timeout, description: "`\(selector)` to take the keyboard focus")
        try await command("Input.insertText", ["text": .string(text)])
    }

    /// A key to press.
    public enum Key: String, Sendable {
        case enter = "Enter", tab = "Tab", escape = "Escape", backspace = "Backspace"

        var code: Int {
            switch self {
            case .enter: 13
            case .tab: 9
            case .escape: 27
            case .backspace: 8
            }
        }

        var text: String? {
            switch self {
            case .enter: "\r"
            case .tab: "\t"
            case .escape, .backspace: nil
            }
        }
    }

    /// Presses and releases `key` in the focused element; `shift` holds Shift down.
    public func press(_ key: Key, shift: Bool = false) async throws(BrowserError) {
        var down: [String: JSONValue] = [
            "type": .string(key.text == nil ? "rawKeyDown" : "keyDown"), "key": .string(key.rawValue), "code": .string(key.rawValue),
            "windowsVirtualKeyCode": .number(Double(key.code)), "nativeVirtualKeyCode": .number(Double(key.code)),
            "modifiers": .number(shift ? 8 : 0),
        ]
        if let text = key.text { down["text"] = .string(text); down["unmodifiedText"] = .string(text) }
        try await command("Input.dispatchKeyEvent", .object(down))
        var up = down
        up["type"] = "keyUp"
        up.removeValue(forKey: "text")
        up.removeValue(forKey: "unmodifiedText")
        try await command("Input.dispatchKeyEvent", .object(up))
    }

    // MARK: Screenshots

    /// Writes a PNG of the visible page to `file` (creating its folder) and returns its bytes.
    @discardableResult
    public func screenshot(to file: URL) async throws(BrowserError) -> Data {
        let result = try await command("Page.captureScreenshot", ["format": "png", "captureBeyondViewport": false])
        guard let base64 = result["data"]?.stringValue, let png = Data(base64Encoded: base64) else {
            throw .screenshotFailed("the browser sent no image")
        }
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try png.write(to: file, options: .atomic)
        } catch {
            throw .screenshotFailed("cannot write \(file.path): \(error)")
        }
        return png
    }

    // MARK: Helpers

    /// `text` as a JavaScript string literal, for building expressions.
    public static func literal(_ text: String) -> String {
        JSONValue.string(text).jsonText
    }

    static func logLine(method: String, params: JSONValue) -> String? {
        switch method {
        case "Runtime.consoleAPICalled":
            let kind = params["type"]?.stringValue ?? "log"
            let parts = params["args"]?.arrayValue?.map { argument in
                argument["value"].map { $0.stringValue ?? $0.jsonText } ?? argument["description"]?.stringValue ?? "?"
            } ?? []
            return "\(kind): \(parts.joined(separator: " "))"
        case "Runtime.exceptionThrown":
            let details = params["exceptionDetails"]
            return "exception: " + (details?["exception"]?["description"]?.stringValue ?? details?["text"]?.stringValue ?? "?")
        case "Log.entryAdded":
            guard let entry = params["entry"] else { return nil }
            return "\(entry["level"]?.stringValue ?? "log") (\(entry["source"]?.stringValue ?? "browser")): \(entry["text"]?.stringValue ?? "")"
        default:
            return nil
        }
    }
}
