import AsyncHTTPClient
import FlowDSL
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import TwilioWire

/// Twilio's REST API as every Twilio product of Parley calls it: one `HTTPClient` per
/// integration value (call `shutdown()` once when done), requests form-encoded the way
/// twilio-python encodes them, authenticated with HTTP Basic (API key, else account sid and auth
/// token), time-limited and retried per `TwilioRetryPolicy`. Twilio's error bodies become
/// `TwilioCallError.twilio`. Logs name the operation, status and Twilio's error code, never
/// credentials or message text.
final class TwilioRESTClient: Sendable {
    private let http: HTTPClient
    let retry: TwilioRetryPolicy
    private let logger: Logger

    init(retry: TwilioRetryPolicy = TwilioRetryPolicy(), logger: Logger) {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .init(retry.connectTimeout), read: .init(retry.requestTimeout))
        configuration.redirectConfiguration = .disallow
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.retry = retry
        self.logger = logger
    }

    /// Closes the connections; the client cannot be used afterwards.
    func shutdown() async {
        do {
            try await http.shutdown()
        } catch {
            logger.debug("HTTP client shutdown", metadata: ["error": "\(error)"])
        }
    }

    /// The HTTP methods Twilio's REST API takes.
    enum Method: Sendable {
        case GET, POST, DELETE

        var http: HTTPMethod {
            switch self {
            case .GET: .GET
            case .POST: .POST
            case .DELETE: .DELETE
            }
        }
    }

    /// A sid or name as one path segment.
    static func pathSegment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_.~"))) ?? text
    }

    // MARK: Transport

    private enum Attempt {
        case done(TemplateMap)
        case retry(TwilioCallError, retryAfter: Int?)
    }

    /// Calls `url` and returns Twilio's JSON object (empty for an empty body), retrying per
    /// `retry`; `operation` names the call in errors and logs (`create_channel`).
    /// `done`, for a call that is not idempotent (posting a message): looks whether a failed
    /// try took effect after all (`TwilioCallError.mayHaveTakenEffect`) and answers what it
    /// made, or nil; asked before each retry, so a lost answer does not make it twice.
    func send(_ operation: String, _ method: Method, _ url: String, form: TwilioForm?,
              credentials: TwilioBasicAuth, done: (@Sendable () async -> TemplateMap?)? = nil) async throws(TwilioCallError) -> TemplateMap {
        var attempt = 1
        while true {
            let outcome = try await once(operation, method, url, form: form, credentials: credentials)
            switch outcome {
            case .done(let answer):
                return answer
            case .retry(let error, let retryAfter):
                guard attempt < retry.attempts, !Task.isCancelled else {
                    logger.warning("Twilio call failed", metadata: ["operation": "\(operation)", "attempts": "\(attempt)",
                                                                    "error": "\(error)"])
                    throw error
                }
                let delay = retry.delay(after: attempt, retryAfter: retryAfter)
                logger.info("Twilio call will be retried", metadata: ["operation": "\(operation)", "attempt": "\(attempt)",
                                                                      "error": "\(error)"])
                do { try await Task.sleep(for: delay) } catch { throw .transport(operation: operation, detail: "cancelled") }
                attempt += 1
                if let done, error.mayHaveTakenEffect, let answer = await done() {
                    logger.info("Twilio call had taken effect", metadata: ["operation": "\(operation)", "error": "\(error)"])
                    return answer
                }
            }
        }
    }

    private func once(_ operation: String, _ method: Method, _ url: String, form: TwilioForm?,
                      credentials: TwilioBasicAuth) async throws(TwilioCallError) -> Attempt {
        var request = HTTPClientRequest(url: url)
        request.method = method.http
        request.headers.add(name: "Authorization", value: credentials.authorizationHeader)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "parley-twilio/1")
        if let form {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(Array(form.encoded.utf8))
        }
        let status: Int, body: ByteBuffer, retryAfter: Int?
        do {
            let response = try await http.execute(request, timeout: .init(retry.requestTimeout))
            status = Int(response.status.code)
            retryAfter = response.headers.first(name: "Retry-After").flatMap { Int($0) }
            body = try await response.body.collect(upTo: 4 << 20)
        } catch {
            return .retry(.transport(operation: operation, detail: Self.describe(error)), retryAfter: nil)
        }
        let text = String(buffer: body)
        guard (200..<300).contains(status) else {
            let twilioError = (try? JSONDecoder().decode(TwilioRESTError.self, from: Data(text.utf8)))
                ?? TwilioRESTError(code: status, message: "HTTP \(status)", moreInfo: nil, status: status)
            let error = TwilioCallError.twilio(operation: operation, twilioError)
            if status == 429 || (500..<600).contains(status) { return .retry(error, retryAfter: retryAfter) }
            logger.warning("Twilio refused a call", metadata: ["operation": "\(operation)", "status": "\(status)",
                                                              "code": "\(twilioError.code)"])
            throw error
        }
        if text.isEmpty { return .done([:]) }
        guard case .map(let map)? = try? TemplateValue(jsonText: text) else {
            throw .invalidResponse(operation: operation, detail: "HTTP \(status) without a JSON object")
        }
        return .done(map)
    }

    /// POSTs JSON to an endpoint of the app's own that is not Twilio (the Flex summarizer),
    /// once, within `timeout`; answers the status and the body (up to 1 MiB), or throws
    /// `TwilioCallError.transport` saying what went wrong in a few words.
    func postJSON(_ operation: String, _ url: String, body: Data, timeout: Duration) async throws(TwilioCallError) -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "parley-twilio/1")
        request.body = .bytes(Array(body))
        let milliseconds = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
        do {
            let response = try await http.execute(request, timeout: .milliseconds(milliseconds))
            let answer = try await response.body.collect(upTo: 1 << 20)
            return (Int(response.status.code), String(buffer: answer))
        } catch {
            throw .transport(operation: operation, detail: Self.describe(error))
        }
    }

    /// An HTTP client error in a few words (no URL: it may carry a path, never credentials).
    private static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return "connection timed out"
            case .deadlineExceeded, .readTimeout: return "no answer in time"
            case .remoteConnectionClosed: return "connection closed"
            default: return "\(error)"
            }
        }
        return String(describing: type(of: error)) == "NIOConnectionError" ? "connection refused" : "\(error)"
    }
}
