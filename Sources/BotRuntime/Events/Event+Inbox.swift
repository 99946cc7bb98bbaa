import FlowDSL
import Foundation

extension Event {
    /// The whole event as one JSON object, for the store's inbox.
    package var inboxJSON: String {
        var fields: TemplateMap = [
            "type": .string(type), "thread": .string(threadID), "sender": .string(sender.rawValue),
            "user": .string(userID), "data": .map(data), "sensitive": .bool(isSensitive),
            "time": .double(time.timeIntervalSince1970),
        ]
        if let idempotencyKey { fields["key"] = .string(idempotencyKey) }
        return TemplateValue.map(fields).jsonText
    }

    /// Reads what `inboxJSON` wrote.
    package init(inboxJSON: String) throws {
        guard case .map(let fields) = try TemplateValue(storedJSON: inboxJSON),
              case .string(let type)? = fields["type"], case .string(let thread)? = fields["thread"],
              case .string(let user)? = fields["user"], case .map(let data)? = fields["data"] else {
            throw JSONValueError(message: "inbox entry is not an event", offset: 0)
        }
        var time = Date()
        switch fields["time"] {
        case .double(let seconds)?: time = Date(timeIntervalSince1970: seconds)
        case .int(let seconds)?: time = Date(timeIntervalSince1970: Double(seconds))
        default: break
        }
        var key: String?
        if case .string(let value)? = fields["key"] { key = value }
        var sender = Sender.system
        if case .string(let name)? = fields["sender"], let known = Sender(rawValue: name) { sender = known }
        self.init(type: type, threadID: thread, sender: sender, userID: user, data: data, idempotencyKey: key,
                  isSensitive: fields["sensitive"]?.isTruthy ?? false, time: time)
    }
}
