import AsyncHTTPClient
import FlowDSL
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import TwilioWire

/// Twilio's REST API as the Flex integration uses it: create the Flex chat channel, post
/// messages into it, close it, complete the task.
///
/// One `HTTPClient` for the whole integration; call `shutdown()` once when done. Requests are
/// form-encoded the way twilio-python encodes them, authenticated with HTTP Basic (API key, else
/// account sid and auth token), time-limited and retried per `FlexRetryPolicy`. Twilio's error
/// bodies become `FlexError.twilio`. Logs name the operation, status and Twilio's error code,
/// never credentials or message text.
final class FlexClient: Sendable {
    private let http: HTTPClient
    let retry: FlexRetryPolicy
    private let logger: Logger

    init(retry: FlexRetryPolicy = FlexRetryPolicy(), logger: Logger = Logger(label: "parley.flex.client")) {
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

    // MARK: Operations

    /// `POST /v1/Channels`: a Flex chat channel (and, for a task-type Flex Flow, its task).
    func createChannel(_ settings: FlexSettings, form: TwilioForm) async throws(FlexError) -> TemplateMap {
        try await send("create_channel", .POST, settings.flexBaseURL + "/v1/Channels", form: form, settings: settings)
    }

    /// `POST /v2/Services/{IS}/Channels/{CH}/Messages`, without `X-Twilio-Webhook-Enabled`, so
    /// the message does not come back as `onMessageSent`.
    @discardableResult
    func sendMessage(_ settings: FlexSettings, channel: String, from: String, body: String,
                     attributes: String? = nil) async throws(FlexError) -> TemplateMap {
        var form = TwilioForm()
        form.append("From", from)
        form.append("Body", body)
        if let attributes { form.append("Attributes", attributes) }
        return try await send("send_message", .POST, channelURL(settings, channel) + "/Messages", form: form, settings: settings)
    }

    /// Marks the channel INACTIVE, keeping its other attributes (`POST /v2/Services/{IS}/Channels/{CH}`).
    func closeChannel(_ settings: FlexSettings, channel: String) async throws(FlexError) {
        var attributes = TemplateMap()
        if let current = try? await send("read_channel", .GET, channelURL(settings, channel), form: nil, settings: settings),
           case .string(let text)? = current["attributes"], case .map(let map)? = try? TemplateValue(jsonText: text) {
            attributes = map
        }
        attributes["status"] = .string("INACTIVE")
        var form = TwilioForm()
        form.append("Attributes", TemplateValue.map(attributes).jsonText)
        _ = try await send("close_channel", .POST, channelURL(settings, channel), form: form, settings: settings)
    }

    /// Sets a TaskRouter task's assignment status (`completed` or `canceled`) with a reason.
    func updateTask(_ settings: FlexSettings, workspace: String, task: String, status: String,
                    reason: String) async throws(FlexError) {
        var form = TwilioForm()
        form.append("AssignmentStatus", status)
        form.append("Reason", reason)
        let url = settings.taskRouterBaseURL + "/v1/Workspaces/\(Self.pathSegment(workspace))/Tasks/\(Self.pathSegment(task))"
        _ = try await send("update_task", .POST, url, form: form, settings: settings)
    }

    private func channelURL(_ settings: FlexSettings, _ channel: String) -> String {
        settings.chatBaseURL + "/v2/Services/\(Self.pathSegment(settings.chatServiceSid))/Channels/\(Self.pathSegment(channel))"
    }

    /// A sid or name as one path segment.
    static func pathSegment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_.~"))) ?? text
    }

    // MARK: Transport

    private enum Attempt {
        case done(TemplateMap)
        case retry(FlexError, retryAfter: Int?)
    }

    private func send(_ operation: String, _ method: HTTPMethod, _ url: String, form: TwilioForm?,
                      settings: FlexSettings) async throws(FlexError) -> TemplateMap {
        var attempt = 1
        while true {
            let outcome = try await once(operation, method, url, form: form, settings: settings)
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
                do { try await Task.sleep(for: delay) } catch { throw FlexError.transport(operation: operation, detail: "cancelled") }
                attempt += 1
            }
        }
    }

    private func once(_ operation: String, _ method: HTTPMethod, _ url: String, form: TwilioForm?,
                      settings: FlexSettings) async throws(FlexError) -> Attempt {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: settings.credentials.authorizationHeader)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "parley-flex/1")
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
            let error = FlexError.twilio(operation: operation, twilioError)
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
