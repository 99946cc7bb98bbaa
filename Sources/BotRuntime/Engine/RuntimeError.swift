/// Problems that stop a flow; the thread gets an error event and stays usable.
public enum RuntimeError: Error, CustomStringConvertible, Sendable {
    case noHandler(String)
    case unknownFlow(String)
    case unknownIntegration(String)
    case unknownLabel(String, flow: String)
    case unsetResult(String)
    case budgetExceeded(budget: Int)
    /// Published events (`lifecycle:`, `track:` …) started one another this many turns in a row.
    case publishedChain(limit: Int)
    /// A value the step rendered cannot be used (a file path outside the app, an unknown time zone).
    case invalidValue(String)

    public var description: String {
        switch self {
        case .noHandler(let type): "no component handles `\(type)` (is its integration enabled?)"
        case .unknownFlow(let id): "unknown flow `\(id)`"
        case .unknownIntegration(let id): "unknown integration `\(id)`"
        case .unknownLabel(let label, let flow): "unknown label `\(label)` in flow `\(flow)`"
        case .unsetResult(let name): "`\(name)` copies `flow.result`, which is not set"
        case .invalidValue(let message): message
        case .publishedChain(let limit):
            "published events started one another \(limit) turns in a row; is a flow publishing what starts it?"
        case .budgetExceeded(let budget):
            "stopped after \(budget) steps in one turn without waiting for the user; is there a loop?"
        }
    }
}
