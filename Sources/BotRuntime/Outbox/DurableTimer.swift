import FlowDSL
import Foundation
import OrderedCollections

/// A timer a turn sets on its thread (a reply timeout, a paused virtual agent's expiry): kept
/// by the store with the turn, fired exactly once as an event of the thread, late rather than
/// lost when the bot was down when it fell due. Timers are named per thread: setting a name
/// again replaces the earlier timer, and cancelling it removes it.
public struct DurableTimer: Sendable, Equatable {
    public var threadID: String
    public var name: String
    public var due: Date
    /// Given to the fired event's data, beside `name` and `due`.
    public var data: TemplateMap
    /// The type of the event it files (`parley.timer.event.fired` unless a timer has its own,
    /// as a step's reply timeout has: `parley.session.event.timeout`).
    public var eventType: String

    public init(threadID: String, name: String, due: Date, data: TemplateMap = [:], eventType: String = EventTypes.timerFired) {
        self.threadID = threadID
        self.name = name
        self.due = due
        self.data = data
        self.eventType = eventType
    }

    /// The event a firing files on the thread: of `eventType`, from the system, with the
    /// timer's id as its idempotency key (a firing retried after a crash is filed once).
    package func firedEvent(id: Int64, at time: Date) -> Event {
        var data = data
        data["name"] = .string(name)
        data["due"] = .double(due.timeIntervalSince1970)
        return Event(type: eventType, threadID: threadID, sender: .system, userID: "timer", data: data,
                     idempotencyKey: "parley.timer.\(id)", time: time)
    }
}

/// A timer as the store keeps it.
public struct StoredTimer: Sendable, Equatable {
    public var id: Int64
    public var timer: DurableTimer

    public init(id: Int64, timer: DurableTimer) {
        self.id = id
        self.timer = timer
    }
}
