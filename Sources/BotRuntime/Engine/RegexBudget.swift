import CoreMetrics
import FlowDSL
import Logging
import Synchronization

/// How the runtime runs an app's regular expressions on what users send: on at most
/// `EngineOptions.maxRegexTextLength` characters of it, within `EngineOptions.regexBudget`.
/// A search that runs out of time (a pattern that backtracks catastrophically, such as
/// `^(a+)+$` on `aaaa…!`) counts as no match: it is logged, counted in
/// `parley_regex_timeouts_total` and in `RegexTimeouts`, and the turn goes on.
extension EngineOptions {
    /// The first match of `regex` in `text` within the budget; `lowercased` is
    /// `text.lowercased()` when the caller has it. `what` names the trigger or step in the log.
    func search(_ regex: PythonRegex, in text: String, lowercased: String? = nil, what: String) -> PythonRegexMatch? {
        var text = text, lowercased = lowercased
        if text.utf8.count > maxRegexTextLength, text.count > maxRegexTextLength {
            text = String(text.prefix(maxRegexTextLength))
            lowercased = nil
        }
        switch regex.search(text, lowercased: lowercased, budget: regexBudget) {
        case .match(let found): return found
        case .noMatch: return nil
        case .timedOut:
            regexTimeouts.record()
            regexTimeouts.logger.withLock { $0 }.warning("regular expression ran out of time; taken as no match", metadata: [
                "element": "\(what)", "budget": "\(regexBudget)", "characters": "\(text.count)",
            ])
            return nil
        }
    }
}

/// Searches that ran out of their time budget, for one engine's options (and, process-wide, the
/// `parley_regex_timeouts_total` counter of the metrics system).
public final class RegexTimeouts: Sendable {
    static let counter = Counter(label: "parley_regex_timeouts_total")
    private let count = Atomic<Int>(0)
    /// Where a timeout is logged: the logger of the engine these options were given to.
    let logger = Mutex(Logger(label: "parley.runtime"))

    public init() {}

    /// How many searches ran out of time so far.
    public var total: Int { count.load(ordering: .relaxed) }

    func record() {
        count.add(1, ordering: .relaxed)
        Self.counter.increment()
    }
}
