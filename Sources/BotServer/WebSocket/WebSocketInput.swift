import BotRuntime
import FlowDSL
import Foundation
import Hummingbird

/// One client → server frame of the WebSocket channel, checked. Text frames holding a JSON
/// object, one of:
///
/// - `{"message": TEXT, "message_id"?: ID}` — the user typed TEXT
/// - `{"button": BUTTON_ID, "text"?: TEXT, "message_id"?: ID}` — the user clicked a button
/// - `{"form": {"id": FORM_ID, "fields": {NAME: VALUE}}, "message_id"?: ID}` — the user sent a form (`FormSubmission`)
/// - `{"event": "page_open" | "chat_open" | "chat_close", "url"?: PAGE, "context"?: {…}, "message_id"?: ID}`
///
/// The user and the thread are the connection's (`/ws?user=U&thread=T`). `message_id` is an
/// idempotency key shared with the REST channel's for the same thread, so a client may retry a
/// message over either after a dropped connection without a second effect; over the socket,
/// the turn of a frame with a `message_id` ends with an `{"ack": ID, …}` frame.
struct WebSocketInput: Equatable {
    enum Action: Equatable {
        case say(String)
        case click(id: String, text: String?)
        case form(FormSubmission)
        case lifecycle(type: String, data: TemplateMap)
    }

    var action: Action
    var messageID: String?

    /// Reads a frame's text; the error says what is wrong with it.
    init(frame text: String) throws(WebSocketInputError) {
        let value: TemplateValue
        do {
            value = try TemplateValue(jsonText: text)
        } catch {
            throw WebSocketInputError("the frame is not valid JSON: \(error.message) at byte \(error.offset)")
        }
        guard case .map(let body) = value else {
            throw WebSocketInputError("the frame must be a JSON object, not \(RequestBodyReader.kind(of: value))")
        }
        switch body["message_id"] {
        case nil, TemplateValue.none?: messageID = nil
        case .string(let id)? where !id.isEmpty: messageID = id
        case .int(let number)?: messageID = String(number)
        case .string?: throw WebSocketInputError("`message_id` is empty")
        case let other?: throw WebSocketInputError("`message_id` must be a string, not \(RequestBodyReader.kind(of: other))")
        }
        let given = ["message", "button", "form", "event"].filter { body[$0] != nil && body[$0] != TemplateValue.none }
        guard given.count == 1 else {
            throw given.isEmpty
                ? WebSocketInputError("the frame needs `message` (text), `button` (a button id), `form` (a form's answers) or `event` (such as \"page_open\")")
                : WebSocketInputError("give only one of \(given.map { "`\($0)`" }.joined(separator: ", "))")
        }
        switch given[0] {
        case "message":
            let text = try Self.string(body, "message")
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw WebSocketInputError("`message` is empty") }
            action = .say(text)
        case "button":
            let id = try Self.string(body, "button")
            guard !id.isEmpty else { throw WebSocketInputError("`button` is empty") }
            var label: String?
            if body["text"] != nil, body["text"] != TemplateValue.none {
                let text = try Self.string(body, "text")
                label = text.isEmpty ? nil : text
            }
            action = .click(id: id, text: label)
        case "form":
            switch FormSubmission.parse(body["form"]!) {
            case .success(let form): action = .form(form)
            case .failure(let problem): throw WebSocketInputError(problem.message)
            }
        default:
            let names = RestMessage.lifecycleEvents.map { "\"\($0.name)\"" }.joined(separator: ", ")
            guard case .string(let name)? = body["event"] else {
                throw WebSocketInputError("`event` must be a string (\(names)), not \(RequestBodyReader.kind(of: body["event"]!))")
            }
            guard let type = RestMessage.lifecycleEvents.first(where: { $0.name == name })?.type else {
                throw WebSocketInputError("unknown event \"\(name)\"; the WebSocket channel takes \(names)")
            }
            var data: TemplateMap = [:]
            if body["url"] != nil, body["url"] != TemplateValue.none { data["url"] = .string(try Self.string(body, "url")) }
            switch body["context"] {
            case nil, TemplateValue.none?: break
            case .map(let context)?: data["context"] = .map(context)
            case let other?: throw WebSocketInputError("`context` must be an object, not \(RequestBodyReader.kind(of: other))")
            }
            action = .lifecycle(type: type, data: data)
        }
    }

    /// The engine event for `user` on `thread`.
    func event(user: String, thread: String) -> Event {
        let type: String, data: TemplateMap
        switch action {
        case .say(let text):
            (type, data) = (EventTypes.say, ["text": .string(text)])
        case .click(let id, let text):
            var fields: TemplateMap = ["button_id": .string(id)]
            if let text { fields["text"] = .string(text) }
            (type, data) = (EventTypes.click, fields)
        case .form(let form):
            (type, data) = form.event
        case .lifecycle(let eventType, let fields):
            (type, data) = (eventType, fields)
        }
        // The REST channel's key shape: a retry over either channel has one effect.
        let key = messageID.map { TemplateValue.list([.string("rest"), .string(thread), .string($0)]).jsonText }
        return Event(type: type, threadID: thread, sender: .user, userID: user, data: data, idempotencyKey: key)
    }

    private static func string(_ body: TemplateMap, _ field: String) throws(WebSocketInputError) -> String {
        guard case .string(let text)? = body[field] else {
            throw WebSocketInputError("`\(field)` must be a string, not \(body[field].map(RequestBodyReader.kind(of:)) ?? "missing")")
        }
        return text
    }
}

/// Why a client frame was refused; sent back as `{"error": message}`.
struct WebSocketInputError: Error, Equatable {
    var message: String
    /// The HTTP status when the problem refuses a connection.
    var status: HTTPResponse.Status
    init(_ message: String, status: HTTPResponse.Status = .badRequest) {
        self.message = message
        self.status = status
    }
}
