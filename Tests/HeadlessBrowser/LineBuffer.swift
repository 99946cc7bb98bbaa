import Synchronization

/// The last lines of some output — a browser's standard error, a page's console — shared
/// between whoever collects them and the test that reads them.
final class LineBuffer: Sendable {
    private let lines = Mutex<[String]>([])
    private let limit: Int

    init(limit: Int = 200) {
        self.limit = limit
    }

    @Sendable func append(_ line: String) {
        lines.withLock { lines in
            lines.append(line)
            if lines.count > limit { lines.removeFirst(lines.count - limit) }
        }
    }

    func last(_ count: Int) -> [String] {
        lines.withLock { Array($0.suffix(count)) }
    }
}
