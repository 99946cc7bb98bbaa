import Logging
import Synchronization

/// Keeps every log line (message and metadata, at every level) for tests to search.
struct CapturingLogHandler: LogHandler {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
    }

    let captured: Lines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let fields = metadata.merging(event.metadata ?? [:]) { _, new in new }
        captured.lines.withLock { $0.append("\(event.level) \(event.message) \(fields)") }
    }

    /// A logger writing into `lines`.
    static func logger(into lines: Lines) -> Logger {
        Logger(label: "parley.flex.test") { _ in CapturingLogHandler(captured: lines) }
    }
}
