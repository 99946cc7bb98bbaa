import Synchronization

/// State split into independently locked stripes chosen by key, so that work on different
/// threads (or users) rarely waits for the same lock.
final class StripedMutex<Value: Sendable>: Sendable {
    private final class Stripe: Sendable {
        let mutex: Mutex<Value>
        init(_ value: sending Value) { mutex = Mutex(value) }
    }

    private let stripes: [Stripe]

    static var defaultStripes: Int { 64 }

    init(stripes count: Int = defaultStripes, _ make: () -> Value) {
        stripes = (0..<count).map { _ in Stripe(make()) }
    }

    /// Runs `body` with the stripe that holds `key`.
    func withLock<Result>(for key: String, _ body: (inout sending Value) throws -> sending Result) rethrows -> sending Result {
        var hasher = Hasher()
        hasher.combine(key)
        let index = Int(UInt(bitPattern: hasher.finalize()) % UInt(stripes.count))
        return try stripes[index].mutex.withLock(body)
    }
}
