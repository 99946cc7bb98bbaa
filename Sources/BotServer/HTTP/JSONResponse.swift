import BotRuntime
import FlowDSL
import Hummingbird

/// JSON responses: every answer of the server, errors included, is a JSON document.
enum JSONResponse {
    /// `value` as compact JSON with `status`.
    static func make(_ value: TemplateValue, status: HTTPResponse.Status = .ok) -> Response {
        make(json: value.jsonText, status: status)
    }

    /// Raw JSON text with `status`.
    static func make(json: String, status: HTTPResponse.Status = .ok) -> Response {
        make(json: ByteBuffer(string: json), status: status)
    }

    /// JSON bytes (a `JSONWriter`'s) with `status`.
    static func make(json: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        make(json: ByteBuffer(bytes: json), status: status)
    }

    private static func make(json: ByteBuffer, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: json))
    }

    /// `{"error": message}` with `status`.
    static func error(_ message: String, status: HTTPResponse.Status) -> Response {
        make(.map(["error": .string(message)]), status: status)
    }
}
