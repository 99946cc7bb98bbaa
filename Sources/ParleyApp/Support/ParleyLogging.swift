import Foundation
import Logging
import Synchronization

/// Logging for botcli and parley-bench commands, set up once per process. `PARLEY_LOG_LEVEL` (trace, debug,
/// info, notice, warning, error, critical) sends logs at that level and above to standard
/// error; without it the interactive commands stay quiet, as their output is the product,
/// and a server logs at the level it asked for with `useDefaultLevel(_:)`.
public enum ParleyLogging {
    private static let defaultLevel = Mutex<Logger.Level?>(nil)

    public static let level: Logger.Level? = {
        let level = ProcessInfo.processInfo.environment["PARLEY_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) }
            ?? defaultLevel.withLock { $0 }
        LoggingSystem.bootstrap { label in
            guard let level else { return SwiftLogNoOpLogHandler() }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return EscapingLogHandler(wrapped: handler)
        }
        return level
    }()

    /// The level to log at when PARLEY_LOG_LEVEL is not set; call before the first logger.
    public static func useDefaultLevel(_ level: Logger.Level) {
        defaultLevel.withLock { $0 = level }
    }

    /// A logger for `label`, after making sure logging is set up.
    public static func logger(_ label: String) -> Logger {
        _ = level
        return Logger(label: label)
    }
}
