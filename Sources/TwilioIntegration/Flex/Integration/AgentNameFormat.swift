/// How an agent's name is shown to the user (`agent.name` of the Flex integration, spec §10.1):
/// `full` (Alice Agent), `first` (Alice), `first_initial` (A.), `first_last_initial`
/// (Alice A.), `first_initial_last_initial` (A. A.), or any other text shown as written.
/// An agent without a name is shown as `Agent`.
public enum AgentNameFormat: Sendable, Equatable {
    case full, first, firstInitial, firstLastInitial, firstInitialLastInitial
    /// The same text for every agent.
    case literal(String)

    /// The name shown when nothing better is known.
    public static let fallback = "Agent"

    /// Reads the `agent.name` option; nil or empty is `full`.
    public init(option: String?) {
        switch option?.trimmingCharacters(in: .whitespaces) {
        case nil, "", "full": self = .full
        case "first": self = .first
        case "first_initial": self = .firstInitial
        case "first_last_initial": self = .firstLastInitial
        case "first_initial_last_initial": self = .firstInitialLastInitial
        case let text?: self = .literal(text)
        }
    }

    /// The name shown for an agent whose full name is `fullName`.
    public func displayName(fullName: String?) -> String {
        if case .literal(let text) = self { return text }
        let words = (fullName ?? "").split(whereSeparator: \.isWhitespace).map(String.init)
        guard let first = words.first else { return Self.fallback }
        let last = words.count > 1 ? words.last : nil
        func initial(_ word: String) -> String { "\(word.prefix(1))." }
        switch self {
        case .full: return words.joined(separator: " ")
        case .first: return first
        case .firstInitial: return initial(first)
        case .firstLastInitial: return last.map { "\(first) \(initial($0))" } ?? first
        case .firstInitialLastInitial: return last.map { "\(initial(first)) \(initial($0))" } ?? initial(first)
        case .literal(let text): return text
        }
    }
}
