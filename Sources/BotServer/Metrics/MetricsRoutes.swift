import Hummingbird

/// `GET /metrics`: the server's metrics in Prometheus' text exposition format (version 0.0.4).
struct MetricsRoutes {
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    let metrics: ServerMetrics

    func register(on router: Router<BasicRequestContext>) {
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: Self.contentType],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.scrape())))
        }
    }
}

/// Counts requests to `/webhooks/…` by status class and, for a channel's message route, the
/// turn it handled and how long it took. Added first to the router, so that it sees every
/// request, unknown paths (404) included.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    /// The routes whose successful POST is one turn, with their channel's name.
    static let turnRoutes: [String: String] = [RestChannel.webhookPath: "rest"]

    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard path == "/webhooks" || path.hasPrefix("/webhooks/") else { return try await next(request, context) }
        let start = ContinuousClock.now
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            metrics.recordWebhookRequest(status: Int((error as? any HTTPResponseError)?.status.code ?? 500))
            throw error
        }
        metrics.recordWebhookRequest(status: response.status.code)
        if request.method == .post, response.status == .ok, let channel = Self.turnRoutes[path] {
            metrics.recordTurn(channel: channel, duration: ContinuousClock.now - start)
        }
        return response
    }
}
