/// How `TwilioRESTClient` retries every product's calls and how long it waits: a call that gets
/// 429, a 5xx or no answer at all is tried again after a growing, jittered delay, a bounded
/// number of times.
public struct TwilioRetryPolicy: Sendable {
    /// Tries in all, the first included.
    public var attempts: Int
    /// The delay before the second try; each later one doubles, up to `maxDelay`.
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// How long one try may take, connection included.
    public var requestTimeout: Duration
    /// How long connecting may take.
    public var connectTimeout: Duration

    public init(attempts: Int = 4, baseDelay: Duration = .milliseconds(250), maxDelay: Duration = .seconds(4),
                requestTimeout: Duration = .seconds(15), connectTimeout: Duration = .seconds(5)) {
        self.attempts = max(1, attempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.requestTimeout = requestTimeout
        self.connectTimeout = connectTimeout
    }

    /// The wait before try `attempt + 1` (attempt counts from 1), with ±25% jitter; a
    /// `Retry-After` in seconds is honoured up to `maxDelay`.
    func delay(after attempt: Int, retryAfter: Int? = nil) -> Duration {
        if let retryAfter, retryAfter >= 0 { return min(.seconds(retryAfter), maxDelay) }
        var delay = baseDelay
        for _ in 1..<max(1, attempt) { delay = min(delay * 2, maxDelay) }
        let jitter = Double.random(in: 0.75...1.25)
        return min(delay * jitter, maxDelay)
    }
}
