import Foundation
import Hummingbird
import SharedTestFixtures
import TwilioEmulator
import TwilioWire

/// A bot stand-in for tests: a Hummingbird server on 127.0.0.1 (any free port) that records
/// every webhook the emulator posts — headers, raw body, decoded form, whether the signature
/// is valid for the exact URL — and answers with scripted status codes.
final class WebhookReceiver: Sendable {
    let authToken: String
    private let server: LocalServer
    private let log: RequestLog

    var port: Int { server.port }

    var chatURL: String { "http://127.0.0.1:\(port)/twilio/chat/events" }
    var taskRouterURL: String { "http://127.0.0.1:\(port)/twilio/taskrouter/events" }
    /// A Conversations pre-event webhook that refuses (422) a message starting with `/`, as a
    /// bot blocks an agent's command, and lets any other action go on (200).
    var preEventURL: String { "http://127.0.0.1:\(port)/twilio/conversations/pre" }
    /// A voice webhook (`/twilio/voice/NAME`, POST or GET), answered with what `answer(_:with:)`
    /// set for `name` (an empty `<Response/>` until then).
    func voiceURL(_ name: String) -> String { "http://127.0.0.1:\(port)/twilio/voice/\(name)" }

    /// Sets what the voice webhook `name` answers.
    func answer(_ name: String, status: Int = 200, with body: String) async {
        await log.setVoice(name, status: status, body: body)
    }

    private init(server: LocalServer, authToken: String, log: RequestLog) {
        self.server = server
        self.authToken = authToken
        self.log = log
    }

    /// A received webhook.
    struct Received: Sendable {
        var path: String
        var url: String
        var headers: [String: String]
        var body: String
        var form: TwilioForm
        var signatureValid: Bool

        var eventType: String { form["EventType"] ?? "" }
        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    /// Starts a receiver; `statuses` are answered in turn (then 200 for every later request).
    static func start(authToken: String = TwilioEmulator.Defaults.authToken, statuses: [Int] = []) async throws -> WebhookReceiver {
        let log = RequestLog(statuses: statuses)
        let router = Router(context: BasicRequestContext.self)
        let portBox = PortBox()
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            let buffer = try await request.body.collect(upTo: 1 << 20)
            let body = String(buffer: buffer)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            var url = "http://127.0.0.1:\(await portBox.port)\(request.uri.path)"
            var form = (try? TwilioForm(encoded: body)) ?? TwilioForm()
            var signed = form
            // A GET carries its parameters in the query, and is signed over the whole URL alone.
            if request.method == .get, let query = request.uri.query {
                url += "?" + query
                form = (try? TwilioForm(encoded: query)) ?? TwilioForm()
                signed = TwilioForm()
            }
            let valid = TwilioSignature.isValid(headers["x-twilio-signature"] ?? "", url: url, parameters: signed, authToken: authToken)
            let status = await log.append(Received(path: request.uri.path, url: url, headers: headers, body: body, form: form,
                                                   signatureValid: valid))
            return Response(status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"])
        }
        router.post("/twilio/chat/events", use: handler)
        router.post("/twilio/taskrouter/events", use: handler)
        router.post("/twilio/conversations/pre") { request, context in
            let answer = try await handler(request, context)
            let form = await log.requests.last?.form
            return form?["Body"]?.hasPrefix("/") == true ? Response(status: .unprocessableContent) : answer
        }
        for method in [HTTPRequest.Method.post, .get] {
            router.on("/twilio/voice/{name}", method: method) { request, context in
                _ = try await handler(request, context)
                let (status, twiml) = await log.voice(context.parameters.get("name") ?? "")
                return Response(status: HTTPResponse.Status(code: status), headers: [.contentType: "text/xml"],
                                body: ResponseBody(byteBuffer: ByteBuffer(string: twiml)))
            }
        }
        let server = try await LocalServer.start(router)
        await portBox.set(server.port)
        return WebhookReceiver(server: server, authToken: authToken, log: log)
    }

    var received: [Received] {
        get async { await log.requests }
    }

    func stop() async {
        await server.stop()
    }
}

private actor RequestLog {
    var statuses: [Int]
    var requests: [WebhookReceiver.Received] = []
    var voiceAnswers: [String: (status: Int, body: String)] = [:]

    func setVoice(_ name: String, status: Int, body: String) { voiceAnswers[name] = (status, body) }
    func voice(_ name: String) -> (Int, String) { voiceAnswers[name] ?? (200, "<Response/>") }

    init(statuses: [Int]) { self.statuses = statuses }

    func append(_ request: WebhookReceiver.Received) -> Int {
        requests.append(request)
        return statuses.isEmpty ? 200 : statuses.removeFirst()
    }
}

private actor PortBox {
    var port = 0
    func set(_ port: Int) { self.port = port }
}
