import BotRuntime
import FlowDSL
import Foundation

/// `GET /admin/threads/{id}`'s answer:
///
/// ```json
/// {"id": "ana", "user_id": "ana", "mode": "bot", "scope": {…}, "last_sequence": 7,
///  "waiting": {"flow": "flow.greet", "step": 1, "element": "flow.greet.steps.1", "attempts": 0,
///              "scope": {…}, "callers": [{"flow": …, "step": …}]},
///  "events": [{"sequence": 1, "type": "meya.text.event.say", "sender": "user", "user_id": "ana",
///              "time": "2025-11-21T15:21:00.000Z", "data": {"text": "hi"}}, …],
///  "next_after": 7}
/// ```
///
/// `waiting` is null when no flow waits for the user. `events` are those after `?after=N`
/// (default 0), at most `?limit=M` (default and maximum 1,000); `next_after` is there when
/// more may follow: pass it as `after` to read on. Events keep the ledger's text, in which
/// vault values are `[vault.KEY]` placeholders.
enum AdminThreadJSON {
    static let maximumLimit = 1_000

    static func json(of thread: ThreadRecord, events: [Event]) -> TemplateValue {
        var object: TemplateMap = [
            "id": .string(thread.id),
            "user_id": .string(thread.userID),
            "mode": .string(thread.mode),
            "scope": .map(thread.scope),
            "last_sequence": .int(thread.lastSequence),
            "waiting": thread.waiting.map(waiting) ?? TemplateValue.none,
            "events": .list(events.map(event)),
        ]
        if let last = events.last, last.sequence < thread.lastSequence {
            object["next_after"] = .int(last.sequence)
        }
        return .map(object)
    }

    static func waiting(_ waiting: WaitingFlow) -> TemplateValue {
        .map([
            "flow": .string(waiting.frame.flowID),
            "step": .int(waiting.frame.index),
            "element": .string(waiting.elementID),
            "attempts": .int(waiting.attempts),
            "scope": .map(waiting.frame.scope),
            "callers": .list(waiting.callers.map { .map(["flow": .string($0.flowID), "step": .int($0.index)]) }),
        ])
    }

    static func event(_ event: Event) -> TemplateValue {
        var object: TemplateMap = [
            "sequence": .int(event.sequence),
            "type": .string(event.type),
            "sender": .string(event.sender.rawValue),
            "user_id": .string(event.userID),
            "time": .string(event.time.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))),
            "data": .map(event.data),
        ]
        if event.isSensitive { object["sensitive"] = .bool(true) }
        if let key = event.idempotencyKey { object["idempotency_key"] = .string(key) }
        return .map(object)
    }
}
