import Foundation

/// CPU time this process used, user and system, all threads: the benchmarks' steadiest figure
/// on a shared machine, where throughput moves with the neighbours' load.
enum ProcessCPU {
    static func seconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}

/// This process's memory as the kernel counts it (Linux `/proc/self/status`).
enum ProcessMemory {
    /// Resident set size in bytes now (`VmRSS`), or nil where `/proc` is not there.
    static func residentBytes() -> Int? { statusField("VmRSS:") }

    /// The largest resident set this process has had, in bytes (`VmHWM`), or nil where `/proc` is not there.
    static func peakResidentBytes() -> Int? { statusField("VmHWM:") }

    /// A `kB` line of `/proc/self/status`, in bytes.
    private static func statusField(_ name: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name) }),
              let kilobytes = Int(line.dropFirst(name.count).split(whereSeparator: \.isWhitespace).first ?? "") else { return nil }
        return kilobytes * 1024
    }

    /// `bytes` as MiB with one decimal.
    static func mebibytes(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
}
