import BotRuntime
import FlowDSL
import Hummingbird

/// JSON responses: every answer of the server, errors included, is a JSON document.
enum JSONResponse {
    /// `value` as compact JSON with `status`.
    static func make(_ value: TemplateValue, status: HTTPResponse.Status = .ok) -> Response {
        var json = JSONWriter()
        json.write(value)
        return make(json: json.bytes, status: status)
    }

    /// JSON bytes (a `JSONWriter`'s) with `status`.
    static func make(json: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: json)))
    }

    /// `{"error": message}` with `status`.
    static func error(_ message: String, status: HTTPResponse.Status) -> Response {
        make(.map(["error": .string(message)]), status: status)
    }
}
