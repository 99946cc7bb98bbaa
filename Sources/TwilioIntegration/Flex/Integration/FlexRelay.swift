import Synchronization

/// Work for Twilio queued per Flex channel: one channel's jobs run one after another in the
/// order they were queued (so the agent reads messages in the order the user sent them),
/// different channels' jobs run in parallel, and queuing never blocks the caller.
final class FlexRelay: Sendable {
    private struct Lane {
        var tail: Task<Void, Never>
        var generation: Int
    }

    private let lanes = Mutex<[String: Lane]>([:])
    private let nextGeneration = Mutex(0)

    init() {}

    /// Queues `job` behind the earlier jobs of `key`; the returned task ends when it has run.
    @discardableResult
    func enqueue(_ key: String, _ job: @escaping @Sendable () async -> Void) -> Task<Void, Never> {
        let generation = nextGeneration.withLock { value -> Int in
            value += 1
            return value
        }
        return lanes.withLock { lanes -> Task<Void, Never> in
            let previous = lanes[key]?.tail
            let task = Task { [weak self] in
                await previous?.value
                await job()
                self?.finished(key, generation: generation)
            }
            lanes[key] = Lane(tail: task, generation: generation)
            return task
        }
    }

    /// Runs `job` in `key`'s order and returns its result.
    func run<Value: Sendable>(_ key: String, _ job: @escaping @Sendable () async -> Value) async -> Value {
        let box = Mutex<Value?>(nil)
        await enqueue(key) {
            let value = await job()
            box.withLock { $0 = value }
        }.value
        return box.withLock { $0! }
    }

    /// Waits until every job queued so far has run.
    func drain() async {
        let tails = lanes.withLock { $0.values.map(\.tail) }
        for tail in tails { await tail.value }
    }

    /// How many channels have jobs queued or running.
    var busyLanes: Int { lanes.withLock { $0.count } }

    private func finished(_ key: String, generation: Int) {
        lanes.withLock { lanes in
            if lanes[key]?.generation == generation { lanes[key] = nil }
        }
    }
}
