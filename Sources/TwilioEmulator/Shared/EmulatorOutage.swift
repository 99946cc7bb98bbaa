import Hummingbird
import Synchronization
import TwilioWire

/// A Twilio outage, switched on and off by a test (`TwilioEmulator.setOutage(_:)`): while on,
/// every REST call (`/v1/…`, `/v2/…`) is answered 503 with Twilio's error body (code 20503),
/// as Twilio answers when it cannot take a request, and nothing is done. The agent API, the
/// console and webhooks to the bot go on.
final class EmulatorOutage: RouterMiddleware, Sendable {
    typealias Context = BasicRequestContext

    let isOn = Mutex(false)

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard isOn.withLock({ $0 }), path.hasPrefix("/v1/") || path.hasPrefix("/v2/") else { return try await next(request, context) }
        return RESTSupport.error(TwilioRESTError(code: 20503, message: "Service unavailable", moreInfo: nil, status: 503))
    }
}
