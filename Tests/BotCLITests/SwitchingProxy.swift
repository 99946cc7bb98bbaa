import AsyncHTTPClient
import Foundation
import Hummingbird
import SharedTestFixtures
import Synchronization

/// A load balancer in front of replicas, as small as a test needs: forwards each request (GET
/// or POST, any path, headers and body) to the port it is pointed at (`point(at:)`), and answers
/// 502 when that server is gone. Webhooks reach the replicas through it, so a test can move
/// them from a dead replica to a live one as a balancer's health check would.
final class SwitchingProxy: Sendable {
    private final class Target: Sendable {
        let port = Mutex(0)
    }

    private let target: Target
    private let server: LocalServer

    var port: Int { server.port }
    var url: String { "http://127.0.0.1:\(server.port)" }

    private init(target: Target, server: LocalServer) {
        self.target = target
        self.server = server
    }

    /// Sends what comes from now on to the server on `port`.
    func point(at port: Int) {
        target.port.withLock { $0 = port }
    }

    static func start() async throws -> SwitchingProxy {
        let target = Target()
        let router = Router()
        let forward: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            var outbound = HTTPClientRequest(url: "http://127.0.0.1:\(target.port.withLock { $0 })\(request.uri)")
            outbound.method = .init(rawValue: request.method.rawValue)
            for field in request.headers { outbound.headers.add(name: field.name.rawName, value: field.value) }
            outbound.body = .bytes(try await request.body.collect(upTo: 1 << 20))
            do {
                let answer = try await HTTPClient.shared.execute(outbound, timeout: .seconds(30))
                // The bot's answers need only their type (JSON, TwiML, text).
                let headers: HTTPFields = [.contentType: answer.headers.first(name: "Content-Type") ?? "text/plain"]
                return Response(status: .init(code: Int(answer.status.code)), headers: headers,
                                body: .init(byteBuffer: try await answer.body.collect(upTo: 1 << 20)))
            } catch {
                return Response(status: .badGateway)
            }
        }
        router.post("**", use: forward)
        router.get("**", use: forward)
        return SwitchingProxy(target: target, server: try await LocalServer.start(router))
    }

    func stop() async {
        await server.stop()
    }
}
