import CFuzzer
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
/// libFuzzer's callback: one input for the selected target.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selectedTarget.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}
#endif

/// `parley-fuzz FILE_OR_FOLDER…` built normally replays inputs: every file runs through the
/// target of `PARLEY_FUZZ_TARGET` (the committed corpora, a crash libFuzzer found). Built with
/// `-sanitize=fuzzer` (`scripts/fuzz`), it hands its arguments to libFuzzer, which mutates
/// inputs guided by coverage and calls the target with each.
@main
struct FuzzEntry {
    static func main() throws {
        #if FUZZING
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) })
        #else
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
        #endif
    }
}
