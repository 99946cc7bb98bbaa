import FlowDSL
import Foundation
import Testing

@Suite("Loader fuzzing")
struct LoaderFuzzTests {
    static let fragments = ["(@", ")", "(%", "%)", "{#", ":", "- ", "  ", "\n", "'", "\"", "[", "]", "{", "}", "&a", "*a", "!!int ",
                            "---\n", "|", ">", "#", "\t", "steps:", "type: ", "jump: ", "flow: ", "(label)", "\\", "?", "%", "\u{0}", "é"]

    /// Mutates a text by deleting, duplicating, swapping and inserting characters and fragments.
    static func mutate(_ text: String, using rng: inout SplitMix64) -> String {
        var characters = Array(text)
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let position = characters.isEmpty ? 0 : Int.random(in: 0..<characters.count, using: &rng)
            switch Int.random(in: 0..<5, using: &rng) {
            case 0 where !characters.isEmpty:
                characters.removeSubrange(position..<min(characters.count, position + Int.random(in: 1...8, using: &rng)))
            case 1 where !characters.isEmpty:
                let end = min(characters.count, position + Int.random(in: 1...20, using: &rng))
                characters.insert(contentsOf: characters[position..<end], at: position)
            case 2 where characters.count > 1:
                characters.swapAt(position, Int.random(in: 0..<characters.count, using: &rng))
            default:
                characters.insert(contentsOf: fragments.randomElement(using: &rng)!, at: position)
            }
        }
        return String(characters)
    }

    @Test("thousands of mutated apps load or fail with located diagnostics, never crash or hang")
    func mutatedApps() {
        var rng = SplitMix64(state: 20_261_121)
        // One flow file of a generated app (its call to the next flow removed, so it stands alone).
        let seed = SyntheticApp.sources(flows: 1).first { $0.path.hasPrefix("flow/") }!
        var loaded = 0, rejected = 0
        for _ in 0..<2_000 {
            var source = seed
            source.text = Self.mutate(seed.text, using: &rng)
            let sources = [source]
            let result = AppLoader().load(sources: sources)
            if result.app != nil {
                loaded += 1
                #expect(!result.diagnostics.hasErrors)
            } else {
                rejected += 1
                #expect(result.diagnostics.hasErrors)
                for diagnostic in result.diagnostics {
                    #expect(diagnostic.position.line >= 1 && diagnostic.position.column >= 1, "\(diagnostic)")
                    #expect(sources.contains { $0.path == diagnostic.position.file }, "\(diagnostic)")
                }
            }
        }
        #expect(loaded > 0 && rejected > 0, "loaded \(loaded), rejected \(rejected)")
    }

    @Test("pathological documents: deep nesting, huge keys, aliases, binary-ish text")
    func pathological() {
        let deep = String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)
        let cases = [
            "steps: \(deep)\n",
            "steps:\n" + String(repeating: "  - say: x\n", count: 5_000),
            "a: &x [1, 2]\nb: *x\nsteps: *x\n",
            "steps:\n  - say: " + String(repeating: "(@ ", count: 2_000) + "\n",
            String(repeating: "\u{FFFD}", count: 100),
            "",
            "---\n---\n---\n",
            "steps:\n  - (@ broken\n",
        ]
        for text in cases {
            _ = AppLoader().load(sources: [AppSource(path: "flow/p.yaml", text: text)])
        }
    }
}
