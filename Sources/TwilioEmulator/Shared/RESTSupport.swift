import Foundation
import Hummingbird
import TwilioWire

/// What every emulated Twilio endpoint shares: reading the form body, writing JSON, Twilio's
/// error body, the origin for `url` fields and paging `meta`.
enum RESTSupport {
    /// The largest form body accepted.
    static let maxBodySize = 1 << 20

    /// The request's form body (POST) merged after its query parameters.
    static func form(of request: Request) async throws(TwilioRESTError) -> TwilioForm {
        var form = TwilioForm()
        if let query = request.uri.query, !query.isEmpty {
            do { form = try TwilioForm(encoded: query) } catch { throw TwilioRESTError(code: 20001, message: "\(error)", status: 400) }
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBodySize)
        } catch {
            throw TwilioRESTError(code: 20001, message: "The request body could not be read (limit \(maxBodySize) bytes)", status: 413)
        }
        let text = String(buffer: buffer)
        if !text.isEmpty {
            do { form.fields += try TwilioForm(encoded: text).fields } catch { throw TwilioRESTError(code: 20001, message: "\(error)", status: 400) }
        }
        return form
    }

    /// `X-Twilio-Webhook-Enabled: true` on the request.
    static func webhookEnabled(_ request: Request) -> Bool {
        request.headers.contains { $0.name.canonicalName == "x-twilio-webhook-enabled" && $0.value.lowercased() == "true" }
    }

    /// `scheme://host[:port]` the client used, from the Host header.
    static func origin(of request: Request, fallback: String) -> String {
        request.head.authority.map { "http://\($0)" } ?? fallback
    }

    static func json(_ value: EmulatorJSON, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: value.text)))
    }

    static func error(_ error: TwilioRESTError) -> Response {
        json(restErrorJSON(error), status: HTTPResponse.Status(code: error.status))
    }

    static func restErrorJSON(_ error: TwilioRESTError) -> EmulatorJSON {
        ["code": .int(error.code), "message": .string(error.message), "more_info": error.moreInfo.map { .string($0) } ?? .null,
         "status": .int(error.status)]
    }

    static func noContent() -> Response {
        Response(status: .noContent, headers: [.contentType: "application/json"])
    }

    /// A list page holding everything: `{key: items, "meta": {…}}` as Twilio pages look.
    static func list(key: String, items: [EmulatorJSON], origin: String, path: String, pageSize: Int = 50) -> EmulatorJSON {
        let url = "\(origin)\(path)?PageSize=\(pageSize)&Page=0"
        return [
            key: .array(items),
            "meta": ["page": 0, "page_size": .int(max(pageSize, items.count)), "first_page_url": .string(url),
                     "previous_page_url": nil, "url": .string(url), "next_page_url": nil, "key": .string(key)],
        ]
    }

    static func date(_ date: Date) -> EmulatorJSON { .string(TwilioTime.rest(date)) }

    static func optional(_ text: String?) -> EmulatorJSON { text.map { .string($0) } ?? .null }

    /// Runs a handler, answering a `TwilioRESTError` with Twilio's error body; a 20404 names
    /// the path requested, as Twilio's does.
    static func respond(_ request: Request, _ body: () async throws(TwilioRESTError) -> Response) async -> Response {
        do {
            return try await body()
        } catch where error.code == 20404 {
            return Self.error(.notFound(path: request.uri.path))
        } catch {
            return Self.error(error)
        }
    }
}

extension Router where Context == BasicRequestContext {
    /// A Twilio REST route: what `handler` throws is answered as Twilio's error body
    /// (`RESTSupport.respond`).
    func twilio(_ method: HTTPRequest.Method, _ path: RouterPath,
                _ handler: @escaping @Sendable (Request, BasicRequestContext) async throws(TwilioRESTError) -> Response) {
        on(path, method: method) { request, context in
            await RESTSupport.respond(request) { () async throws(TwilioRESTError) -> Response in
                try await handler(request, context)
            }
        }
    }
}
