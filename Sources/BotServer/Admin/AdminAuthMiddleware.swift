import Hummingbird
import Logging

/// Lets an admin request through only with `Authorization: Bearer <token>`; answers 401 with
/// `{"error": …}` and `WWW-Authenticate: Bearer` otherwise. Neither the expected nor the given
/// token is ever logged or echoed.
struct AdminAuthMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    let token: BearerSecret

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.headers[.authorization] != nil else {
            return refuse("the admin API needs the header `Authorization: Bearer <token>`", request, context)
        }
        guard let given = request.bearerCredential else {
            return refuse("the admin API takes a bearer token: `Authorization: Bearer <token>`", request, context)
        }
        guard token.matches(given.utf8) else {
            return refuse("the admin token is not valid", request, context)
        }
        return try await next(request, context)
    }

    private func refuse(_ message: String, _ request: Request, _ context: Context) -> Response {
        context.logger.notice("admin request refused", metadata: ["path": "\(request.uri.path)", "reason": "\(message)"])
        var response = JSONResponse.error(message, status: .unauthorized)
        response.headers[.wwwAuthenticate] = #"Bearer realm="parley-admin""#
        return response
    }
}
