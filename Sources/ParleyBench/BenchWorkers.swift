import Synchronization

/// The benchmarks' load: `concurrency` workers, each taking the next item number when its last
/// item ends, so the harness adds no task per item to what is measured.
enum BenchWorkers {
    /// Runs `body` for the item numbers `0..<count` and returns how many items ran and every
    /// latency their bodies returned (unsorted). No item starts once `deadline` has passed.
    static func run(count: Int, concurrency: Int, until deadline: ContinuousClock.Instant? = nil,
                    _ body: @escaping @Sendable (Int) async throws -> [Duration]) async throws -> (items: Int, latencies: [Duration]) {
        let counter = ItemCounter()
        let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for _ in 0..<min(concurrency, count) {
                group.addTask {
                    var latencies: [Duration] = []
                    latencies.reserveCapacity(count * 3 / concurrency + 3)
                    while true {
                        if let deadline, ContinuousClock.now >= deadline { return latencies }
                        let number = counter.take()
                        guard number < count else { return latencies }
                        latencies += try await body(number)
                        counter.finished()
                    }
                }
            }
            var all: [Duration] = []
            all.reserveCapacity(count * 3)
            while let finished = try await group.next() { all += finished }
            return all
        }
        return (counter.finishedCount, latencies)
    }
}

/// Hands out item numbers to the workers and counts the items done.
private final class ItemCounter: Sendable {
    private let next = Atomic<Int>(0)
    private let done = Atomic<Int>(0)

    func take() -> Int { next.add(1, ordering: .relaxed).oldValue }
    func finished() { done.add(1, ordering: .relaxed) }
    var finishedCount: Int { done.load(ordering: .relaxed) }
}
