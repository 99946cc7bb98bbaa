import DequeModule
import Synchronization

/// Per-thread serial execution: jobs of one thread run one at a time in the order they were
/// submitted; different threads run in parallel. A thread with no pending work has no entry.
final class ThreadMailboxes: Sendable {
    typealias Job = @Sendable () async -> Void

    /// Thread id → jobs not yet started. An entry exists while a worker runs for the thread.
    private let queues = StripedMutex<[String: Deque<Job>]> { [:] }

    /// Queues `job` behind the thread's earlier jobs; returns at once.
    func submit(thread: String, _ job: @escaping Job) {
        let startWorker = queues.withLock(for: thread) { queues -> Bool in
            if queues[thread] != nil {
                queues[thread]!.append(job)
                return false
            }
            queues[thread] = [job]
            return true
        }
        if startWorker {
            Task { await self.drain(thread) }
        }
    }

    /// Marks an idle thread busy so the caller can run its job inline; false when the thread
    /// has work queued or running. A caller that got true must call `release(_:)`.
    func claimIfIdle(_ thread: String) -> Bool {
        queues.withLock(for: thread) { queues in
            guard queues[thread] == nil else { return false }
            queues[thread] = []
            return true
        }
    }

    /// Ends an inline job: jobs queued meanwhile are drained by a new worker.
    func release(_ thread: String) {
        let more = queues.withLock(for: thread) { queues -> Bool in
            if queues[thread]?.isEmpty ?? true {
                queues[thread] = nil
                return false
            }
            return true
        }
        if more { Task { await self.drain(thread) } }
    }

    private func drain(_ thread: String) async {
        while let job = next(thread) {
            await job()
        }
    }

    private func next(_ thread: String) -> Job? {
        queues.withLock(for: thread) { queues -> Job? in
            guard var queue = queues[thread], let job = queue.popFirst() else {
                queues[thread] = nil
                return nil
            }
            // Keep the (possibly empty) entry: it marks the worker as running until it finds no job.
            queues[thread] = queue
            return job
        }
    }
}
