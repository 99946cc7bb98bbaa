import BotRuntime
import Hummingbird
import Logging

/// Integration webhooks: `POST /webhooks/{integration id}` and its sub-paths
/// (`/webhooks/{id}/…`) go to the integration that serves that element's type (what
/// `botcli webhooks` lists); each documented vendor path (Twilio's `/twilio/chat/events` …) is
/// routed once, to the first integration in registration order that the app uses and that
/// claims the delivery, and then to the app's one element of its type.
///
/// The integration gets the raw request (it verifies signatures over the exact bytes) and the
/// public URL the service called, so signatures hold behind a TLS proxy.
struct IntegrationWebhooks {
    let state: ServingState
    let integrations: [any Integration]
    let publicURL: String?
    let body: RequestBodyReader

    func register(on router: Router<BasicRequestContext>) {
        let vendorPaths = integrations.flatMap { $0.vendorWebhooks.map(\.path) }.reduce(into: [String]()) { paths, path in
            if !paths.contains(path) { paths.append(path) }
        }
        for method in [HTTPRequest.Method.post, .get] {
            for path in ["/webhooks/:integration", "/webhooks/:integration/**"] {
                router.on(RouterPath(path), method: method) { request, context in
                    let id = context.parameters.get("integration") ?? ""
                    return await dispatch(request, context: context) { engine, _ in
                        guard let element = engine.app.integrations[id] else {
                            return .failure(Unrouted("no integration has the id `\(id)`; `botcli webhooks` lists this app's webhook URLs"))
                        }
                        guard let integration = engine.integration(serving: element.type) else {
                            return .failure(Unrouted("the integration `\(id)` (\(element.type)) takes no webhooks"))
                        }
                        return .success((integration, id))
                    }
                }
            }
            for path in vendorPaths {
                router.on(RouterPath(path), method: method) { request, context in
                    await dispatch(request, context: context) { engine, webhook in
                        // Only integrations the app has an element of: one registered but unused takes nothing.
                        let used = Set(engine.app.integrations.values.map(\.type))
                        let claimants = engine.integrations.filter { used.contains($0.elementType) && $0.vendorWebhooks.contains { $0.path == path } }
                        guard let integration = claimants.first(where: { integration in
                            integration.vendorWebhooks.contains { $0.path == path && $0.claims(webhook) }
                        }) else {
                            return .failure(Unrouted("no integration of this app takes this delivery on \(path)"))
                        }
                        let ids = engine.app.integrations.values.filter { $0.type == integration.elementType }.map(\.id).sorted()
                        guard ids.count == 1 else {
                            return .failure(Unrouted(ids.isEmpty
                                ? "this app has no \(integration.elementType) integration"
                                : "this app has \(ids.count) \(integration.elementType) integrations; use /webhooks/{id} for each"))
                        }
                        return .success((integration, ids[0]))
                    }
                }
            }
        }
    }

    /// Why a webhook has nowhere to go (answered 404).
    struct Unrouted: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    /// Reads the request, asks `route` whose it is (from what it carries), and hands it over.
    private func dispatch(_ request: Request, context: BasicRequestContext,
                          route: (BotEngine, WebhookRequest) -> Result<(any Integration, String), Unrouted>) async -> Response {
        guard let engine = state.engine else {
            // Services retry a 503: nothing is lost while the bot starts.
            return JSONResponse.error("the bot is not ready yet; retry shortly", status: .serviceUnavailable)
        }
        let bytes: [UInt8]
        switch await body.bytes(of: request) {
        case .failure(let problem): return problem.response
        case .success(let read): bytes = read
        }
        let webhook = WebhookRequest(method: request.method.rawValue, path: request.uri.path, query: request.uri.query,
                                     headers: request.headers.map { ($0.name.canonicalName, $0.value) }, body: bytes,
                                     publicBaseURL: baseURL(of: request))
        let integration: any Integration, id: String
        switch route(engine, webhook) {
        case .failure(let unrouted): return JSONResponse.error(unrouted.message, status: .notFound)
        case .success(let routed): (integration, id) = routed
        }
        let answer = await integration.handleWebhook(webhook, integrationID: id, engine: engine)
        var headers = HTTPFields()
        if let type = answer.contentType { headers[.contentType] = type }
        return Response(status: .init(code: answer.status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
    }

    /// `--public-url` when given, else what the request says it was sent to.
    private func baseURL(of request: Request) -> String {
        if var url = publicURL {
            while url.hasSuffix("/") { url.removeLast() }
            return url
        }
        let host = request.head.authority ?? "127.0.0.1"
        return "http://\(host)"
    }
}
