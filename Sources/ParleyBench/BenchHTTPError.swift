/// Why `parley-bench http` could not measure, said for the person who ran it.
enum BenchHTTPError: Error, CustomStringConvertible {
    case wrkMissing
    case wrkFailed(status: Int32, output: String)
    case unreadableOutput(String)
    case serverDidNotStart(String)
    case conversationFailed(String)

    var description: String {
        switch self {
        case .wrkMissing:
            "wrk is not installed: install Debian's `\(WrkRun.package)` package (`sudo apt-get install \(WrkRun.package)`; "
                + "scripts/bench does it) or put wrk on PATH"
        case let .wrkFailed(status, output):
            "wrk failed (status \(status)):\n\(output)"
        case .unreadableOutput(let output):
            "wrk's output has no `parley-wrk` line:\n\(output)"
        case .serverDidNotStart(let reason):
            "the server did not start: \(reason)"
        case .conversationFailed(let detail):
            "the benchmark conversation did not run as expected: \(detail)"
        }
    }
}
