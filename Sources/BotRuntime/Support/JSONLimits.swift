import FlowDSL

/// How deeply JSON may nest, where it enters and where it is kept. One budget for every input,
/// a lower one for what a turn stores than for what a store reads back, so that stored state
/// is always readable: a thread can never be broken by what it was sent.
public enum JSONLimits {
    /// JSON from outside: REST bodies, WebSocket frames, Twilio attributes, admin bodies.
    /// Deeper input is refused where it enters (400), before it reaches a turn.
    public static let inputDepth = 32
    /// What a turn may store (thread state, user scope, event data, as written). A turn whose
    /// writes would nest deeper keeps the thread's earlier state and files an error instead.
    public static let storedDepth = 256
    /// What a store reads back: twice what is ever written (the state's own wrappers fit).
    public static let readDepth = 512
}

/// A turn whose writes nest deeper than `JSONLimits.storedDepth`; a store throws it before
/// writing anything, and the engine then keeps the thread's earlier state (`BotEngine`).
public struct StoredValueTooDeep: Error, CustomStringConvertible, Sendable {
    /// What was too deep, for the log and the error event.
    public let what: String
    public var description: String { "\(what) nests deeper than \(JSONLimits.storedDepth) levels" }
}

extension TemplateValue {
    /// Whether lists and objects nest more than `limit` levels deep (a scalar is level 0);
    /// stops at the first branch that does.
    public func nests(deeperThan limit: Int) -> Bool {
        switch self {
        case .list(let items): limit < 1 || items.contains { $0.nests(deeperThan: limit - 1) }
        case .map(let map): limit < 1 || map.values.contains { $0.nests(deeperThan: limit - 1) }
        default: false
        }
    }
}
