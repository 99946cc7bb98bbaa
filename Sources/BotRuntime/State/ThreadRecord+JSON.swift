import FlowDSL
import OrderedCollections

/// Stores keep a thread's scope and waiting flow as one JSON document.
extension ThreadRecord {
    /// `{"scope": …, "waiting": {"frame", "element", "callers", "attempts"}}`, written directly:
    /// the state is rewritten every turn.
    public func writeState(into json: inout JSONWriter) {
        json.raw(#"{"scope":"#)
        json.write(scope)
        if let waiting {
            json.raw(#","waiting":{"frame":"#)
            waiting.frame.write(into: &json)
            json.raw(#","element":"#)
            json.write(waiting.elementID)
            json.raw(#","callers":["#)
            for (index, caller) in waiting.callers.enumerated() {
                if index > 0 { json.raw(",") }
                caller.write(into: &json)
            }
            json.raw(#"],"attempts":"#)
            json.write(waiting.attempts)
            json.raw("}")
        }
        json.raw("}")
    }

    /// A stored thread from its state JSON, parsed by `state`. State that cannot be read (too
    /// deep for an older version's reader, a damaged row) gives a fresh state marked
    /// `unreadable`, which the next turn reports and replaces.
    package static func restored(id: String, userID: String, lastSequence: Int,
                                 state: () throws -> TemplateValue) -> ThreadRecord {
        do {
            return try ThreadRecord(id: id, userID: userID, lastSequence: lastSequence, state: state())
        } catch {
            var fresh = ThreadRecord(id: id, userID: userID, scope: ["mode": .string("bot")], lastSequence: lastSequence)
            fresh.unreadable = "the thread's state: \(error)"
            return fresh
        }
    }

    /// A thread from its parsed state JSON (what `writeState(into:)` wrote).
    init(id: String, userID: String, lastSequence: Int, state: TemplateValue) throws {
        guard case .map(let state) = state else { throw JSONValueError(message: "thread state is not an object", offset: 0) }
        var scope = TemplateMap()
        if case .map(let stored)? = state["scope"] { scope = stored }
        self.init(id: id, userID: userID, scope: scope, waiting: state["waiting"].flatMap(WaitingFlow.init(value:)), lastSequence: lastSequence)
    }
}

extension FlowFrame {
    func write(into json: inout JSONWriter) {
        json.raw(#"{"flow":"#)
        json.write(flowID)
        json.raw(#","index":"#)
        json.write(index)
        json.raw(#","scope":"#)
        json.write(scope)
        json.raw("}")
    }

    init?(value: TemplateValue) {
        guard case .map(let map) = value, case .string(let flow)? = map["flow"], case .int(let index)? = map["index"],
              case .map(let scope)? = map["scope"] else { return nil }
        self.init(flowID: flow, index: index, scope: scope)
    }
}

extension WaitingFlow {
    init?(value: TemplateValue) {
        guard case .map(let map) = value, let frameValue = map["frame"], let frame = FlowFrame(value: frameValue),
              case .string(let element)? = map["element"] else { return nil }
        var callers: [FlowFrame] = []
        if case .list(let items)? = map["callers"] { callers = items.compactMap(FlowFrame.init(value:)) }
        var attempts = 0
        if case .int(let count)? = map["attempts"] { attempts = count }
        self.init(frame: frame, elementID: element, callers: callers, attempts: attempts)
    }
}
