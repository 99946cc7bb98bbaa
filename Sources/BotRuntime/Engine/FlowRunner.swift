import FlowDSL
import OrderedCollections

/// The flow interpreter: runs steps from a starting point until the flow waits or ends,
/// following calls, jumps, actions and returns, within the turn's step budget.
struct FlowRunner {
    /// How a run stopped.
    enum Finish: Equatable {
        case finished
        case waiting(WaitingFlow)
    }

    let runtime: RuntimeApp
    let handlers: [String: any ComponentHandler]
    var context: ComponentContext
    private var frame = FlowFrame(flowID: "", index: 0, scope: [:]) {
        didSet { if frame.flowID != oldValue.flowID { flow = runtime.flow(frame.flowID) } }
    }
    /// The flow of `frame`, looked up once per change of flow.
    private var flow: Flow?
    private var callers: [FlowFrame] = []
    private var steps = 0

    init(runtime: RuntimeApp, handlers: [String: any ComponentHandler], context: ComponentContext) {
        self.runtime = runtime
        self.handlers = handlers
        self.context = context
    }

    /// Where the run was when it stopped or failed: `flow.x` step 3.
    var position: (flow: String, step: Int) { (frame.flowID, frame.index) }

    /// Starts a flow (at a label) with `scope`, with no callers.
    mutating func start(flow: String, label: String? = nil, scope: TemplateMap) async throws -> Finish {
        try enter(flow: flow, label: label, scope: scope)
        return try await loop()
    }

    /// Runs a trigger's `action:` for a flow it started: a flow call becomes the flow itself
    /// (trigger-started flows have no caller); any other component runs on its own.
    mutating func startAction(_ action: Element, flow: String, scope: TemplateMap) async throws -> Finish {
        try enter(flow: flow, label: nil, scope: scope)
        let outcome = try await run(action)
        if case .call(let target, let label, let data, _) = outcome {
            return try await start(flow: target, label: label, scope: scope.merging(data) { _, new in new })
        }
        if case .next(let data) = outcome {
            context.mergeFlowScope(data)
            return .finished
        }
        if let finish = try await apply(outcome, element: action) { return finish }
        return try await loop()
    }

    /// Continues a waiting flow with the outcome of its waiting element's `resume`.
    mutating func resume(_ waiting: WaitingFlow, answer: Answer) async throws -> Finish {
        frame = waiting.frame
        callers = waiting.callers
        context.enter(flow: frame.flowID, scope: frame.scope)
        context.attempts = waiting.attempts
        guard let element = runtime.elements[waiting.elementID], let handler = handlers[element.type] else {
            throw RuntimeError.noHandler(runtime.elements[waiting.elementID]?.type ?? waiting.elementID)
        }
        let start = context.emitted.count
        let outcome = try await handler.resume(element, answer: answer, in: &context)
        try context.present(since: start, by: element)
        if case .wait = outcome {
            var again = waiting
            again.frame.scope = context.flowScope
            again.attempts += 1
            return .waiting(again)
        }
        if let finish = try await apply(outcome, element: element) { return finish }
        return try await loop()
    }

    /// Continues a waiting flow after one of its step's own `triggers:` fired.
    mutating func resume(_ waiting: WaitingFlow, trigger: Element, data: TemplateMap) async throws -> Finish {
        frame = waiting.frame
        callers = waiting.callers
        context.enter(flow: frame.flowID, scope: frame.scope)
        context.mergeFlowScope(data)
        let outcome: ComponentOutcome = trigger["action"]?.element.map { .action($0) } ?? .next()
        if let finish = try await apply(outcome, element: trigger) { return finish }
        return try await loop()
    }

    private mutating func enter(flow: String, label: String?, scope: TemplateMap) throws {
        guard let target = runtime.flow(flow) else { throw RuntimeError.unknownFlow(flow) }
        var index = 0
        if let label {
            guard let found = target.index(ofLabel: label) else { throw RuntimeError.unknownLabel(label, flow: flow) }
            index = found
        }
        frame = FlowFrame(flowID: flow, index: index, scope: scope)
        context.enter(flow: flow, scope: scope)
    }

    private mutating func loop() async throws -> Finish {
        while true {
            guard let flow else { throw RuntimeError.unknownFlow(frame.flowID) }
            guard frame.index < flow.steps.count else {
                // Running past the last step ends the flow and returns nothing.
                if let finish = try returnToCaller(data: [:]) { return finish }
                continue
            }
            guard case .component(let element) = flow.steps[frame.index] else {
                frame.index += 1
                continue
            }
            let outcome = try await run(element)
            if let finish = try await apply(outcome, element: element) { return finish }
        }
    }

    private mutating func run(_ element: Element) async throws -> ComponentOutcome {
        steps += 1
        guard steps <= context.options.stepBudget else {
            throw RuntimeError.budgetExceeded(budget: context.options.stepBudget)
        }
        guard let handler = handlers[element.type] else { throw RuntimeError.noHandler(element.type) }
        context.stepIndex = frame.index
        let start = context.emitted.count
        let outcome = try await handler.run(element, in: &context)
        try context.present(since: start, by: element)
        return outcome
    }

    /// Acts on an outcome; returns how the run stopped, or nil to keep looping.
    private mutating func apply(_ first: ComponentOutcome, element first_: Element) async throws -> Finish? {
        var outcome = first
        var element = first_
        // Actions run in the branching step's place, so their `next` continues after it.
        while case .action(let action, let data) = outcome {
            context.mergeFlowScope(data)
            element = action
            outcome = try await run(action)
        }
        switch outcome {
        case .next(let data):
            context.mergeFlowScope(data)
            frame.index += 1
        case .wait:
            frame.scope = context.flowScope
            return .waiting(WaitingFlow(frame: frame, elementID: element.id, callers: callers))
        case .jump(let label, let data):
            context.mergeFlowScope(data)
            guard let index = flow?.index(ofLabel: label) else {
                throw RuntimeError.unknownLabel(label, flow: frame.flowID)
            }
            frame.index = index
        case .call(let flow, let label, let data, let transfer):
            if !transfer {
                callers.append(FlowFrame(flowID: frame.flowID, index: frame.index + 1, scope: context.flowScope))
            }
            try enter(flow: flow, label: label, scope: data)
        case .end(let data):
            return try returnToCaller(data: data)
        case .action:
            break
        }
        return nil
    }

    /// Ends the current flow: the caller resumes after its call with `data` merged in.
    private mutating func returnToCaller(data: TemplateMap) throws -> Finish? {
        guard let caller = callers.popLast() else {
            context.mergeFlowScope(data)
            return .finished
        }
        frame = caller
        context.enter(flow: caller.flowID, scope: caller.scope.merging(data) { _, new in new })
        return nil
    }
}
