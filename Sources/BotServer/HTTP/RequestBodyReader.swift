import BotRuntime
import FlowDSL
import Hummingbird

/// Reads a request's JSON body within a size limit, turning every problem into the response
/// that names it: 413 for too large, 400 for not JSON or not an object.
struct RequestBodyReader {
    let maxSize: Int

    /// The body's JSON object, or the error response to send instead.
    func object(of request: Request) async -> Result<TemplateMap, ResponseProblem> {
        let body: [UInt8]
        switch await bytes(of: request) {
        case .failure(let problem): return .failure(problem)
        case .success(let bytes): body = bytes
        }
        guard !body.isEmpty else {
            return .failure(ResponseProblem(status: .badRequest, message: "the body is empty; send a JSON object"))
        }
        let value: TemplateValue
        do {
            value = try TemplateValue(jsonBytes: body)
        } catch {
            return .failure(ResponseProblem(status: .badRequest, message: "the body is not valid JSON: \(error.message) at byte \(error.offset)"))
        }
        guard case .map(let object) = value else {
            return .failure(ResponseProblem(status: .badRequest, message: "the body must be a JSON object, not \(Self.kind(of: value))"))
        }
        return .success(object)
    }

    /// The raw body, refused before a byte is read when its declared length is over the limit
    /// (a webhook's form, which its signature covers byte for byte).
    func bytes(of request: Request) async -> Result<[UInt8], ResponseProblem> {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maxSize {
            return .failure(tooLarge)
        }
        do {
            let buffer = try await request.body.collect(upTo: maxSize)
            return .success(Array(buffer.readableBytesView))
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            return .failure(tooLarge)
        } catch {
            return .failure(ResponseProblem(status: .badRequest, message: "could not read the request body: \(error)"))
        }
    }

    private var tooLarge: ResponseProblem {
        ResponseProblem(status: .contentTooLarge, message: "the body is larger than the limit of \(maxSize) bytes")
    }

    /// How a JSON value is named in error messages.
    static func kind(of value: TemplateValue) -> String {
        switch value {
        case .none: "null"
        case .bool: "a boolean"
        case .int, .double: "a number"
        case .string: "a string"
        case .list: "an array"
        case .map: "an object"
        }
    }
}

/// A request the server refuses: the status and the message of its `{"error": …}` body.
struct ResponseProblem: Error, Equatable {
    var status: HTTPResponse.Status
    var message: String

    var response: Response { JSONResponse.error(message, status: status) }
}
