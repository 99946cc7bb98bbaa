import Synchronization

/// Answers by a deadline for work that may take longer than a client waits — a turn while the
/// database is out of reach (postgres-nio's pool keeps a request for a connection waiting; it
/// does not fail it), or a flow waiting on a slow service.
enum Deadline {
    /// `operation`'s result, or nil when `limit` passed first: the operation goes on in its own
    /// task (a turn still commits, or fails, as it would have); only the wait ends.
    static func within<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T? {
        let waiting = Mutex<CheckedContinuation<T?, any Error>?>(nil)
        let finish: @Sendable (Result<T?, any Error>) -> Void = { result in
            waiting.withLock { continuation in
                continuation?.resume(with: result)
                continuation = nil
            }
        }
        return try await withCheckedThrowingContinuation { continuation in
            waiting.withLock { $0 = continuation }
            let timer = Task {
                if (try? await Task.sleep(for: limit)) != nil { finish(.success(nil)) }
            }
            Task {
                let result: Result<T?, any Error>
                do { result = .success(try await operation()) } catch { result = .failure(error) }
                timer.cancel()
                finish(result)
            }
        }
    }
}
