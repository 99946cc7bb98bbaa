import Foundation

/// The target this process fuzzes, from `PARLEY_FUZZ_TARGET` (see `scripts/fuzz`).
let selectedTarget: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["PARLEY_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        FileHandle.standardError.write(Data("PARLEY_FUZZ_TARGET must be one of \(FuzzTarget.allCases.map(\.rawValue)), not `\(name)`\n".utf8))
        exit(2)
    }
    return target
}()

#if FUZZING
/// libFuzzer's entry point: built with `-sanitize=fuzzer` (`scripts/fuzz`), libFuzzer brings
/// `main`, mutates inputs guided by coverage, and calls this with each.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    selectedTarget.run(UnsafeBufferPointer(start: start, count: count))
    return 0
}
#else
/// Built normally, it replays inputs: `parley-fuzz FILE_OR_FOLDER…` runs every file through
/// the target of `PARLEY_FUZZ_TARGET` (the committed corpora, a crash libFuzzer found).
@main
struct ReplayCorpus {
    static func main() throws {
        var count = 0
        for argument in CommandLine.arguments.dropFirst() {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isFolder) else {
                throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: argument])
            }
            let files = isFolder.boolValue
                ? try FileManager.default.contentsOfDirectory(atPath: argument).sorted().map { "\(argument)/\($0)" }
                : [argument]
            for file in files {
                let data = try Data(contentsOf: URL(fileURLWithPath: file))
                data.withUnsafeBytes { selectedTarget.run($0.bindMemory(to: UInt8.self)) }
                count += 1
            }
        }
        print("\(selectedTarget.rawValue): \(count) inputs replayed, none crashed")
    }
}
#endif
