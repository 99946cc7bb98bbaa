import Hummingbird

/// Serves the agent console page at `GET /` (and `/console`).
struct ConsoleRoutes {
    func register(on router: Router<BasicRequestContext>) {
        let page: @Sendable (Request, BasicRequestContext) async throws -> Response = { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: AgentConsolePage.html)))
        }
        router.get("/", use: page)
        router.get("/console", use: page)
    }
}
