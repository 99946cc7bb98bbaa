import BotRuntime
import Synchronization

/// What the server has to serve with: no engine while the app's store and vault are being
/// opened, then the engine. Routes read it on every request; `/readyz` reports it.
public final class ServingState: Sendable {
    private let slot: Mutex<BotEngine?>

    /// - Parameter engine: the engine, when it is ready before the server starts (tests).
    public init(engine: BotEngine? = nil) {
        slot = Mutex(engine)
    }

    /// The engine, once ready.
    public var engine: BotEngine? { slot.withLock { $0 } }

    /// Whether requests can be handled: the app is loaded and its store opened.
    public var isReady: Bool { engine != nil }

    /// Makes the server ready with `engine`.
    public func serve(_ engine: BotEngine) {
        slot.withLock { $0 = engine }
    }
}
