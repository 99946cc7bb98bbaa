import BotRuntime
import FlowDSL
import Foundation

/// One request to the REST channel, checked: who sends what, on which thread.
///
/// The body follows Rasa's REST channel — `{"sender": ID, "message": TEXT}` — with Parley's
/// additions: `"button"` (a click: a button id, or `{"id": …, "text": …}`), `"form"` (a form's
/// answers, `FormSubmission`), `"event"`
/// (`page_open`, `chat_open`, `chat_close`, with optional `"url"` and `"context"`),
/// `"message_id"` (the idempotency key) and `"thread"` (default: the sender, as in Rasa).
/// Other fields, such as Rasa's `"metadata"`, are ignored.
struct RestMessage: Equatable {
    /// What the user did.
    enum Action: Equatable {
        case say(String)
        case click(id: String?, text: String?)
        case form(FormSubmission)
        case lifecycle(type: String, data: TemplateMap)
    }

    var sender: String
    var threadID: String
    var messageID: String?
    var action: Action

    /// The lifecycle events a client may send, by their short names.
    static let lifecycleEvents: [(name: String, type: String)] = [
        ("page_open", EventTypes.pageOpen), ("chat_open", EventTypes.chatOpen), ("chat_close", EventTypes.chatClose),
    ]

    /// Reads a request body from a client with `identity`; the error names the field that is
    /// wrong and why. A client with a user token may leave `sender` out: it is the token's user.
    init(json body: TemplateMap, identity: ClientIdentity = .trusted) throws(ResponseProblem) {
        sender = try identity.user(named: Self.identifier(body, "sender", required: false)).get()
        threadID = try Self.identifier(body, "thread", required: false) ?? sender
        messageID = try Self.identifier(body, "message_id", required: false)

        let given = ["message", "button", "form", "event"].filter { body[$0] != nil && body[$0] != TemplateValue.none }
        guard given.count == 1 else {
            throw given.isEmpty
                ? Self.problem("the body needs `message` (text), `button` (a click), `form` (a form's answers) or `event` (such as \"page_open\")")
                : Self.problem("give only one of \(given.map { "`\($0)`" }.joined(separator: ", "))")
        }
        switch given[0] {
        case "message":
            guard case .string(let text)? = body["message"] else { throw Self.wrongType(body, "message", "a string") }
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw Self.problem("`message` is empty") }
            action = .say(text)
        case "button":
            action = try Self.click(body["button"]!)
        case "form":
            switch FormSubmission.parse(body["form"]!) {
            case .success(let form): action = .form(form)
            case .failure(let problem): throw Self.problem(problem.message)
            }
        default:
            action = try Self.lifecycle(body)
        }
    }

    /// The engine event this message is.
    var event: Event {
        var data: TemplateMap
        let type: String
        switch action {
        case .say(let text):
            type = EventTypes.say
            data = ["text": .string(text)]
        case .click(let id, let text):
            if let id {
                type = EventTypes.click
                data = ["button_id": .string(id)]
                if let text { data["text"] = .string(text) }
            } else {
                // A button without an id is answered by its text, as if typed.
                type = EventTypes.say
                data = ["text": .string(text ?? "")]
            }
        case .form(let form):
            (type, data) = form.event
        case .lifecycle(let eventType, let eventData):
            type = eventType
            data = eventData
        }
        return Event(type: type, threadID: threadID, sender: .user, userID: sender, data: data, idempotencyKey: idempotencyKey)
    }

    /// The engine's idempotency key: the client's `message_id`, scoped to the channel and the
    /// thread so two clients counting from 1 do not collide. JSON keeps the parts apart.
    var idempotencyKey: String? {
        messageID.map { TemplateValue.list([.string("rest"), .string(threadID), .string($0)]).jsonText }
    }

    // MARK: Fields

    private static func identifier(_ body: TemplateMap, _ field: String, required: Bool) throws(ResponseProblem) -> String? {
        switch body[field] {
        case nil, TemplateValue.none?:
            if required { throw problem("missing field `\(field)`") }
            return nil
        case .string(let text)?:
            guard !text.isEmpty else { throw problem("`\(field)` is empty") }
            return text
        case .int(let number)?:
            return String(number)
        default:
            throw wrongType(body, field, "a string")
        }
    }

    private static func click(_ value: TemplateValue) throws(ResponseProblem) -> Action {
        switch value {
        case .string(let id) where !id.isEmpty:
            return .click(id: id, text: nil)
        case .map(let fields):
            func text(_ key: String) throws(ResponseProblem) -> String? {
                switch fields[key] {
                case nil, TemplateValue.none?: return nil
                case .string(let text)?: return text.isEmpty ? nil : text
                case let other?: throw problem("`button.\(key)` must be a string, not \(RequestBodyReader.kind(of: other))")
                }
            }
            let id = try text("id"), label = try text("text")
            guard id != nil || label != nil else { throw problem("`button` needs an `id` or a `text`") }
            return .click(id: id, text: label)
        case .string:
            throw problem("`button` is empty")
        default:
            throw problem("`button` must be a button id or {\"id\": …, \"text\": …}, not \(RequestBodyReader.kind(of: value))")
        }
    }

    private static func lifecycle(_ body: TemplateMap) throws(ResponseProblem) -> Action {
        let names = lifecycleEvents.map { "\"\($0.name)\"" }.joined(separator: ", ")
        guard case .string(let name)? = body["event"] else { throw wrongType(body, "event", "a string (\(names))") }
        guard let type = lifecycleEvents.first(where: { $0.name == name })?.type else {
            throw problem("unknown event \"\(name)\"; the REST channel takes \(names)")
        }
        var data: TemplateMap = [:]
        switch body["url"] {
        case nil, TemplateValue.none?: break
        case .string(let url)?: data["url"] = .string(url)
        default: throw wrongType(body, "url", "a string")
        }
        switch body["context"] {
        case nil, TemplateValue.none?: break
        case .map(let context)?: data["context"] = .map(context)
        default: throw wrongType(body, "context", "an object")
        }
        return .lifecycle(type: type, data: data)
    }

    private static func problem(_ message: String) -> ResponseProblem {
        ResponseProblem(status: .badRequest, message: message)
    }

    private static func wrongType(_ body: TemplateMap, _ field: String, _ expected: String) -> ResponseProblem {
        problem("`\(field)` must be \(expected), not \(body[field].map(RequestBodyReader.kind(of:)) ?? "missing")")
    }
}
