import FlowDSL
import OrderedCollections

/// Stores keep a thread's scope and waiting flow as one JSON document.
extension ThreadRecord {
    /// `{scope, waiting}` as a `TemplateValue`, for `jsonText`.
    public var stateValue: TemplateValue {
        var map: TemplateMap = ["scope": .map(scope)]
        if let waiting { map["waiting"] = waiting.value }
        return .map(map)
    }

    public init(id: String, userID: String, lastSequence: Int, stateJSON: String) throws {
        guard case .map(let state) = try TemplateValue(jsonText: stateJSON) else { throw JSONValueError(message: "thread state is not an object", offset: 0) }
        var scope = TemplateMap()
        if case .map(let stored)? = state["scope"] { scope = stored }
        self.init(id: id, userID: userID, scope: scope, waiting: state["waiting"].flatMap(WaitingFlow.init(value:)), lastSequence: lastSequence)
    }
}

extension FlowFrame {
    var value: TemplateValue {
        .map(["flow": .string(flowID), "index": .int(index), "scope": .map(scope)])
    }

    init?(value: TemplateValue) {
        guard case .map(let map) = value, case .string(let flow)? = map["flow"], case .int(let index)? = map["index"],
              case .map(let scope)? = map["scope"] else { return nil }
        self.init(flowID: flow, index: index, scope: scope)
    }
}

extension WaitingFlow {
    var value: TemplateValue {
        .map(["frame": frame.value, "element": .string(elementID), "callers": .list(callers.map(\.value)), "attempts": .int(attempts)])
    }

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
