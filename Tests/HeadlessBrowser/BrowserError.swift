/// Why driving the browser failed, said so that a failing test explains itself: what was
/// looked for, what the browser said, what the page logged.
public enum BrowserError: Error, CustomStringConvertible, Sendable {
    /// No Chromium executable was found.
    case browserNotFound(searched: [String])
    /// The browser could not be started, or stopped before it listened for DevTools.
    case launchFailed(String)
    /// A DevTools command was answered with an error.
    case protocolError(method: String, message: String)
    /// The DevTools connection closed (the browser exited or crashed).
    case connectionClosed(String)
    /// A navigation failed (DNS, refused connection, HTTP error page …).
    case navigationFailed(url: String, reason: String)
    /// The page's JavaScript threw.
    case javaScriptException(expression: String, message: String)
    /// Something did not happen in time; `console` is what the page logged lately.
    case timedOut(waitingFor: String, after: Duration, lastValue: String?, console: [String])
    /// An element to act on is missing, hidden, disabled or covered.
    case elementNotUsable(selector: String, reason: String)
    /// A screenshot could not be taken or written.
    case screenshotFailed(String)

    public var description: String {
        switch self {
        case .browserNotFound(let searched):
            return "Chromium is not installed (looked for \(searched.joined(separator: ", "))). "
                + "`scripts/install-deps` installs it (apt-get install chromium), and CI runs it; "
                + "or set PARLEY_CHROMIUM to a Chromium or Chrome executable."
        case .launchFailed(let reason):
            return "could not start Chromium: \(reason)"
        case .protocolError(let method, let message):
            return "DevTools \(method) failed: \(message)"
        case .connectionClosed(let reason):
            return "the DevTools connection closed: \(reason)"
        case .navigationFailed(let url, let reason):
            return "could not open \(url): \(reason)"
        case .javaScriptException(let expression, let message):
            return "JavaScript threw \(message) evaluating: \(expression.prefix(200))"
        case .timedOut(let what, let after, let lastValue, let console):
            var text = "timed out after \(after) waiting for \(what)"
            if let lastValue { text += "; last value: \(lastValue.prefix(500))" }
            if !console.isEmpty { text += "; the page logged:\n  " + console.suffix(20).joined(separator: "\n  ") }
            return text
        case .elementNotUsable(let selector, let reason):
            return "cannot use `\(selector)`: \(reason)"
        case .screenshotFailed(let reason):
            return "screenshot failed: \(reason)"
        }
    }
}
