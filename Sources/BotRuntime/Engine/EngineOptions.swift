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

    public init(stepBudget: Int = 1_000, realDelays: Bool = true, clock: @escaping @Sendable () -> Date = { Date() },
                random: @escaping @Sendable (Int) -> Int = { Int.random(in: 0..<$0) }) {
        self.stepBudget = stepBudget
        self.realDelays = realDelays
        self.clock = clock
        self.random = random
    }
}
