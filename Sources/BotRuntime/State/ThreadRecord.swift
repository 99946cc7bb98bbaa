import FlowDSL
import OrderedCollections

/// Everything the runtime keeps about one thread between turns: its scope (with `mode`), the
/// flow that is waiting for an answer (if any) with its callers, and the ledger position.
///
/// It is loaded at the start of a turn and saved with the turn's events in one transaction;
/// nothing stays in memory for an idle thread.
public struct ThreadRecord: Sendable, Equatable {
    public var id: String
    public var userID: String
    /// The `thread` scope; `mode` lives here (`bot` by default).
    public var scope: TemplateMap
    /// The flow waiting for input, if any.
    public var waiting: WaitingFlow?
    /// Sequence number of the last ledger event.
    public var lastSequence: Int
    /// Set by a store whose stored state for this thread could not be read: what failed. The
    /// record then holds a fresh state (bot mode, nothing waiting) and the next turn reports
    /// the reset; never stored.
    public var unreadable: String?

    public init(id: String, userID: String, scope: TemplateMap = [:], waiting: WaitingFlow? = nil, lastSequence: Int = 0) {
        self.id = id
        self.userID = userID
        self.scope = scope
        self.waiting = waiting
        self.lastSequence = lastSequence
    }

    /// `thread.mode`: `bot` unless set.
    public var mode: String {
        if case .string(let mode)? = scope["mode"] { return mode }
        return "bot"
    }
}

/// A running flow's position: which flow, which step, its scope.
public struct FlowFrame: Sendable, Equatable {
    public var flowID: String
    /// The step to run next (or, for a waiting frame, the step that waits).
    public var index: Int
    public var scope: TemplateMap

    public init(flowID: String, index: Int, scope: TemplateMap) {
        self.flowID = flowID
        self.index = index
        self.scope = scope
    }
}

/// A flow stopped at a step that waits for the user (an `ask`, buttons), with the frames of
/// the flows that called it, innermost last.
public struct WaitingFlow: Sendable, Equatable {
    public var frame: FlowFrame
    /// The element that waits: the step itself or an action inside it (`then: {ask: …}`).
    public var elementID: String
    public var callers: [FlowFrame]
    /// How many invalid answers were given so far (for `retries`).
    public var attempts: Int

    public init(frame: FlowFrame, elementID: String, callers: [FlowFrame], attempts: Int = 0) {
        self.frame = frame
        self.elementID = elementID
        self.callers = callers
        self.attempts = attempts
    }
}
