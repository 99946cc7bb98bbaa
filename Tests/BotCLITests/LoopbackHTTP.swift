import AsyncHTTPClient
import Foundation
import Hummingbird

/// HTTP requests to a server on 127.0.0.1, as a browser or a load balancer sends them: the
/// answer's status and body. AsyncHTTPClient bounds each request by its deadline even when the
/// server never answers (a hung server fails the test instead of hanging it), and a refused
/// connection fails at once.
enum LoopbackHTTP {
    struct Reply: Sendable {
        var status: Int
        var body: String
    }

    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        configuration.timeout.connect = .seconds(10)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    static func request(port: Int, _ method: HTTPRequest.Method, _ path: String, body: String? = nil,
                        headers: HTTPFields = [:], timeout: Duration = .seconds(60)) async throws -> Reply {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .init(rawValue: method.rawValue)
        for field in headers { request.headers.add(name: field.name.rawName, value: field.value) }
        if let body {
            if headers[.contentType] == nil { request.headers.add(name: "Content-Type", value: "application/json") }
            request.body = .bytes(Array(body.utf8))
        }
        let seconds = max(1, Int64(timeout.components.seconds))
        let response = try await client.execute(request, timeout: .seconds(seconds))
        let buffer = try await response.body.collect(upTo: 16 << 20)
        return Reply(status: Int(response.status.code), body: String(buffer: buffer))
    }
}
