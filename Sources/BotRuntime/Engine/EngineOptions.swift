import Foundation

/// Settings of a `BotEngine`.
public struct EngineOptions: Sendable {
    /// Most steps one turn may run before the flow is stopped with an error (a loop guard).
    public var stepBudget: Int
    /// Whether `delay:` steps really sleep (tests and benchmarks turn it off).
    public var realDelays: Bool
    /// The time stamped on events.
    public var clock: @Sendable () -> Date
    /// Random choice for `random:` steps (seedable for tests).
    public var random: @Sendable (Int) -> Int
    /// How long one regular expression may search one message (triggers, `ask` + `regex`,
    /// `match`) before it counts as no match (`RegexBudget.swift`).
    public var regexBudget: Duration
    /// How many characters of a message regular expressions see: the first 4,096. Keywords and
    /// catch-alls see the whole text.
    public var maxRegexTextLength: Int
    /// Searches of this engine that ran out of `regexBudget`.
    public let regexTimeouts = RegexTimeouts()
    /// How outbound work the service did not take is tried again (`OutboxDispatcher`).
    public var outboxRetry: OutboxRetryPolicy

    public init(stepBudget: Int = 1_000, realDelays: Bool = true, clock: @escaping @Sendable () -> Date = { Date() },
                random: @escaping @Sendable (Int) -> Int = { Int.random(in: 0..<$0) },
                regexBudget: Duration = .milliseconds(100), maxRegexTextLength: Int = 4_096,
                outboxRetry: OutboxRetryPolicy = OutboxRetryPolicy()) {
        self.stepBudget = stepBudget
        self.realDelays = realDelays
        self.clock = clock
        self.random = random
        self.regexBudget = regexBudget
        self.maxRegexTextLength = maxRegexTextLength
        self.outboxRetry = outboxRetry
    }
}
