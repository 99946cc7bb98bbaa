import Foundation
import Hummingbird

/// Serves the agent console at `GET /` (and `/console`): one self-contained HTML page (CSS and
/// JS inline, `Assets/console.html`, embedded at build time like the chat page's files) that
/// plays the human agent against the emulator's `/emulator/api/` — waiting tasks, accept, the
/// live chat, `/commands`, complete, cancel, and the webhook log.
struct ConsoleRoutes {
    /// The page's bytes, read once from the embedded files.
    static let page = ConsoleAssets.files.first { $0.path == "console.html" }.map { ByteBuffer(bytes: $0.contents) } ?? ByteBuffer()

    func register(on router: Router<BasicRequestContext>) {
        let page: @Sendable (Request, BasicRequestContext) async throws -> Response = { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                     body: ResponseBody(byteBuffer: Self.page))
        }
        router.get("/", use: page)
        router.get("/console", use: page)
    }
}
