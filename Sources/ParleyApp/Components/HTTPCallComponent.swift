import AsyncHTTPClient
import BotRuntime
import FlowDSL
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// `http_call: URL` (`parley.http.component.call`): the Parley way to port a Meya app's Python
/// component. The step sends the flow, thread and user scopes (and its `data:`) as JSON to a
/// service of the author's, and goes on with the service's JSON answer in `flow.result`:
///
/// ```yaml
/// - http_call: https://crm.example.com/parley/lookup
///   headers:
///     Authorization: Bearer (@ vault.crm.token )
///   data: {order: (@ flow.order_id )}
/// - if: (@ flow.ok )
///   then: {jump: found}
/// ```
///
/// The request body is `{"flow": …, "thread": …, "user": …, "event": {"type", "data"},
/// "data": …}` (for GET, nothing). `flow.result` is the answer's JSON (its text when it is not
/// JSON; none when empty), `flow.status` the HTTP status, `flow.ok` whether it was 2xx;
/// when the service cannot be reached, `flow.ok` is false and `flow.error` says why. Nothing
/// fails the turn: the flow decides. Connection failures, timeouts, 429 and 5xx are tried
/// again (`retries`, default 2) after 0.25 s, 0.5 s …; each attempt has `timeout` seconds
/// (default 10, at most 30) — the turn waits for it, so keep services quick. URL, headers and
/// `data` may read the vault; logs and `flow.error` show the URL with vault values as
/// `[vault.KEY]`, never a header.
public final class HTTPCallComponent: ComponentHandler {
    public static let type = "parley.http.component.call"
    /// The most of an answer read (1 MiB); a longer one is refused.
    static let maximumAnswer = 1 << 20

    public static var spec: ElementSpec {
        ElementSpec(type, kind: .component, parent: "meya.component.element",
                    fields: [
                        FieldSpec("http_call", .string, required: true, signature: true, "the service's http(s) URL"),
                        FieldSpec("method", .choice(["POST", "GET", "PUT", "PATCH", "DELETE"]), "default POST"),
                        FieldSpec("headers", .map(.string), "request headers; values may read the vault"),
                        FieldSpec("data", .any, "sent as the body's `data`"),
                        FieldSpec("timeout", .number, "seconds an attempt may take (default 10, at most 30)"),
                        FieldSpec("retries", .integer, "how many more attempts after a failure, a 429 or a 5xx (default 2, at most \(maxRetries))"),
                    ],
                    summary: "Call a service of yours with the conversation's scopes; `flow.result` is its JSON answer.",
                    rules: [limitsRule])
    }

    /// The most attempts after the first: the turn waits for every one (on PostgreSQL holding
    /// one of the pool's connections), so a call lasts at most 6 × 30 s and the backoffs.
    static let maxRetries = 5

    /// A written `retries` over its limit is said by `botcli check` (at run time
    /// the limit applies).
    private static let limitsRule: ElementSpec.Rule = { element in
        var findings: [ElementSpec.Finding] = []
        if case .value(.int(let retries))? = element["retries"], retries > maxRetries {
            findings.append(.init(.error, "`retries: \(retries)` is more than \(maxRetries)", hint: "the turn waits for every attempt", at: "retries"))
        }
        return findings
    }

    private let http: HTTPClient
    private let logger: Logger

    public init(logger: Logger) {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        // A refused connection fails the attempt at once (the client would otherwise keep
        // connecting until the attempt's deadline); `retries` decides what happens next.
        configuration.connectionPool.retryConnectionEstablishment = false
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.logger = logger
    }

    public var types: [String] { [Self.type] }

    /// Closes the connections; the component cannot be used afterwards.
    public func shutdown() async {
        try? await http.shutdown()
    }

    public func run(_ element: Element, in context: inout ComponentContext) async throws -> ComponentOutcome {
        let shown = try context.render(element["http_call"]).pythonString
        let target = try context.renderSecret(element["http_call"]).pythonString
        guard let url = URL(string: target), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            return Self.failure("`http_call` is not an http(s) URL: \(shown)")
        }
        var request = HTTPClientRequest(url: target)
        let method = try context.render(element["method"])
        request.method = HTTPMethod(rawValue: method == .none ? "POST" : method.pythonString.uppercased())
        if case .map(let headers) = try context.renderSecret(element["headers"]) {
            for (name, value) in headers { request.headers.add(name: name, value: value.pythonString) }
        }
        if request.method != .GET {
            let body: TemplateMap = [
                "flow": .map(context.flowScope), "thread": .map(context.thread.scope), "user": .map(context.userScope),
                "event": .map(["type": .string(context.event.type), "data": .map(context.event.data)]),
                "data": try context.renderSecret(element["data"]),
            ]
            request.headers.replaceOrAdd(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: TemplateValue.map(body).jsonText))
        }
        let timeout = min(max(try context.render(element["timeout"]).number ?? 10, 0.1), 30)
        let retries = min(max(0, Int(try context.render(element["retries"]).number ?? 2)), Self.maxRetries)
        return await call(request, shown: shown, timeout: timeout, retries: retries)
    }

    private func call(_ request: HTTPClientRequest, shown: String, timeout: Double, retries: Int) async -> ComponentOutcome {
        let started = ContinuousClock.now
        var attempt = 0
        while true {
            attempt += 1
            let outcome: ComponentOutcome, again: Bool
            do {
                let response = try await http.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
                let bytes = try await response.body.collect(upTo: Self.maximumAnswer)
                let status = Int(response.status.code)
                outcome = .next(["result": Self.value(of: String(buffer: bytes)), "status": .int(status), "ok": .bool((200..<300).contains(status))])
                again = status == 429 || status >= 500
            } catch {
                outcome = Self.failure("\(shown) could not be reached: \(Self.describe(error))")
                again = !(error is NIOTooManyBytesError)
            }
            if again, attempt <= retries, !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(250 << min(attempt - 1, 3)))
                continue
            }
            let elapsed = (ContinuousClock.now - started).components
            logger.info("http_call", metadata: ["url": "\(shown)", "attempts": "\(attempt)",
                                                "ms": "\(elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000)",
                                                "outcome": "\(Self.summary(outcome))"])
            return outcome
        }
    }

    /// The answer's JSON, else its text; none when empty.
    static func value(of text: String) -> TemplateValue {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return .none }
        return (try? TemplateValue(jsonText: text)) ?? .string(text)
    }

    private static func failure(_ error: String) -> ComponentOutcome {
        .next(["result": .none, "status": .none, "ok": false, "error": .string(error)])
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout: "no answer in time"
        case let error as HTTPClientError where error == .connectTimeout: "the connection timed out"
        case is NIOTooManyBytesError: "the answer is longer than 1 MiB"
        default: "\(error)"
        }
    }

    private static func summary(_ outcome: ComponentOutcome) -> String {
        guard case .next(let data) = outcome else { return "" }
        if case .string(let error)? = data["error"] { return error }
        return "HTTP \(data["status"]?.pythonString ?? "?")"
    }
}
