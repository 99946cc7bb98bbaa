import Foundation
import Logging
import Synchronization

/// Where engines, servers and emulators started inside the test process log: one file per
/// test run, so the test results hold only results and a failure stands out. The file's path
/// is printed once, on standard error, when its first line is written; a test that asserts on
/// log lines captures them itself.
///
/// Without it swift-log's default handler wrote about 370 lines of retries, webhook
/// deliveries and expected errors into the results of one run.
public enum TestLogs {
    /// `$TMPDIR/parley-test-logs/<time>-<pid>.log`.
    public static let file: URL = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-test-logs")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
        return folder.appendingPathComponent("\(stamp)-\(getpid()).log")
    }()

    /// A logger whose lines, at `level` and above, go to `file`.
    public static func logger(_ label: String) -> Logger {
        logger(label, level: .info)
    }

    public static func logger(_ label: String, level: Logger.Level) -> Logger {
        var logger = Logger(label: label) { FileLogHandler(label: $0) }
        logger.logLevel = level
        return logger
    }

    fileprivate static let sink = Mutex<FileHandle?>(nil)

    fileprivate static func write(_ line: String) {
        sink.withLock { handle in
            if handle == nil {
                _ = FileManager.default.createFile(atPath: file.path, contents: nil)
                handle = try? FileHandle(forWritingTo: file)
                FileHandle.standardError.write(Data("logs of what ran inside the test process: \(file.path)\n".utf8))
            }
            handle?.write(Data(line.utf8))
        }
    }
}

/// swift-log's stream format (time, level, label, metadata, message, source), into `TestLogs.file`.
private struct FileLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let time = ISO8601DateFormatter().string(from: Date())
        TestLogs.write("\(time) \(event.level) \(label): \(fields.isEmpty ? "" : fields + " ")[\(event.source)] \(event.message)\n")
    }
}
