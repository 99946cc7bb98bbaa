import Hummingbird
import Logging
import TwilioWire

/// Guards the emulated Twilio REST API (`/v1/…`, `/v2/…`, `/2010-04-01/…`): HTTP Basic with the account SID and
/// auth token, or the API key SID and secret; 401 with Twilio's error body (code 20003)
/// otherwise. Unknown paths there answer Twilio's 404 body (code 20404). Other paths (the
/// console, `/emulator/api/`) pass through untouched.
struct TwilioAuthMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    let accepted: [TwilioBasicAuth]

    init(configuration: TwilioEmulator.Configuration) {
        accepted = [TwilioBasicAuth(username: configuration.accountSid, password: configuration.authToken),
                    TwilioBasicAuth(username: configuration.apiKeySid, password: configuration.apiKeySecret)]
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard path.hasPrefix("/v1/") || path.hasPrefix("/v2/") || path.hasPrefix("/2010-04-01/") || path == "/v1" || path == "/v2" else {
            return try await next(request, context)
        }
        guard let header = request.headers[.authorization], let given = try? TwilioBasicAuth(authorizationHeader: header),
              accepted.contains(where: { Self.matches($0, given) }) else {
            context.logger.notice("REST request refused: bad or missing credentials", metadata: ["path": "\(path)"])
            var response = RESTSupport.error(.authenticationFailed)
            response.headers[.wwwAuthenticate] = #"Basic realm="Twilio API""#
            return response
        }
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError where error.status == .notFound || error.status == .methodNotAllowed {
            return RESTSupport.error(.notFound(path: path))
        }
    }

    /// Compares both parts in full, whatever matches first.
    private static func matches(_ expected: TwilioBasicAuth, _ given: TwilioBasicAuth) -> Bool {
        let user = constantTimeEqual(expected.username, given.username)
        let password = constantTimeEqual(expected.password, given.password)
        return user && password
    }

    private static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8), right = Array(b.utf8)
        var difference = UInt8(left.count == right.count ? 0 : 1)
        for index in 0..<max(left.count, right.count) {
            difference |= (index < left.count ? left[index] : 0) ^ (index < right.count ? right[index] : 0)
        }
        return difference == 0
    }
}
