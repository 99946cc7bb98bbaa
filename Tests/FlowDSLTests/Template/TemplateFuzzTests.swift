import FlowDSL
import Testing

/// Mutates corpus templates and checks that every input either parses or throws
/// `TemplateSyntaxError`, and that every parsed one renders or throws `TemplateRenderError`
/// (typed throws guarantee the error types; the test guarantees no crash and no hang).
@Suite struct TemplateFuzzTests {
    static let fragments: [String] = [
        "(@", ")", "(%", "%)", "{#", "#}", "'", "\"", "[", "]", "{", "}", "(", "-", "+", "|", ".", ",", ":",
        " is ", " if ", " else ", " not ", " in ", " and ", "(% endif %)", "(% if 1 %)", "(% for x in y %)",
        "(% endfor %)", "(% set a = 1 %)", "\\", "é", "😀", "*", "**", "~", "//", "%", "0", "9999999999",
        "1e308", "-)", "(@-", "-%)", "| upper", "| default(", "loop.", "user.", "flow.", "\n", " ", "\t",
        "(% raw %)", "(% endraw %)", "range(", "* 1000000", "'x' * 10000", "()",
    ]

    static func mutate(_ source: String, _ rng: inout SplitMix64) -> String {
        var s = Array(source.unicodeScalars)
        let rounds = [1, 1, 1, 2, 2, 3, 4][Int.random(in: 0..<7, using: &rng)]
        for _ in 0..<rounds {
            let at = s.isEmpty ? 0 : Int.random(in: 0...s.count, using: &rng)
            switch Int.random(in: 0..<12, using: &rng) {
            case 0, 1:  // insert a random character
                let pool = Array("()[]{}@%#'\"|.,:-+*/~ abcxyz019\n".unicodeScalars)
                s.insert(pool[Int.random(in: 0..<pool.count, using: &rng)], at: at)
            case 2, 3:  // delete a short range
                guard !s.isEmpty else { continue }
                let start = min(at, s.count - 1)
                let end = min(s.count, start + Int.random(in: 1...4, using: &rng))
                s.removeSubrange(start..<end)
            case 4, 5:  // duplicate a slice
                guard !s.isEmpty else { continue }
                let start = min(at, s.count - 1)
                let end = min(s.count, start + Int.random(in: 1...12, using: &rng))
                s.insert(contentsOf: s[start..<end], at: end)
            case 6:  // swap two characters
                guard s.count > 1 else { continue }
                let i = Int.random(in: 0..<s.count, using: &rng)
                let j = Int.random(in: 0..<s.count, using: &rng)
                s.swapAt(i, j)
            case 7, 8, 9, 10:  // insert a delimiter / syntax fragment
                let f = fragments[Int.random(in: 0..<fragments.count, using: &rng)]
                s.insert(contentsOf: f.unicodeScalars, at: at)
            default:  // deep nesting
                let opener = ["(", "[", "not ", "-", "{'a': "][Int.random(in: 0..<5, using: &rng)]
                let depth = [50, 99, 101, 150, 500][Int.random(in: 0..<5, using: &rng)]
                let closer: String = opener == "(" ? ")" : opener == "[" ? "]" : opener == "{'a': " ? "}" : ""
                let inner = String(repeating: opener, count: depth) + "1" + String(repeating: closer, count: depth)
                s.insert(contentsOf: "(@ \(inner) )".unicodeScalars, at: at)
            }
        }
        return string(s)
    }

    static func string(_ scalars: [Unicode.Scalar]) -> String {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: scalars)
        return String(v)
    }

    static let context = TemplateContext([
        "flow": ["name": "Ana", "n": 5, "nums": [3, 1, 2], "d": ["b": 2, "a": 1], "none": nil, "f": 2.5],
        "user": ["name": "Ana", "tags": ["vip"]],
        "thread": [:],
        "y": [1, 2, 3],
    ])

    /// Parses and renders; returns false only if something other than the typed errors happened.
    static func exercise(_ source: String) -> (parsed: Bool, rendered: Bool) {
        let template: Template
        do {
            template = try Template(source)
        } catch {
            #expect(!error.message.isEmpty)
            #expect(error.line >= 1 && error.column >= 1 && error.offset >= 0 && error.offset <= source.utf8.count)
            return (false, false)
        }
        do {
            _ = try template.render(context)
            _ = try template.renderString(context)
            _ = template.references
            return (true, true)
        } catch {
            #expect(!error.message.isEmpty)
            return (true, false)
        }
    }

    @Test func mutatedCorpusNeverCrashes() throws {
        let seeds = try JinjaCorpusJSON.loadCorpus().compactMap { $0["template"]?.stringValue }
        #expect(!seeds.isEmpty)
        var rng = SplitMix64(seed: 0x5EED_0F_7E4D_1A7E)
        var parsed = 0
        var rendered = 0
        let inputs = 20_000
        for i in 0..<inputs {
            let seed = seeds[i % seeds.count]
            let source = Self.mutate(seed, &rng)
            let (p, r) = Self.exercise(source)
            if p { parsed += 1 }
            if r { rendered += 1 }
        }
        print("TemplateFuzzTests: \(inputs) mutated inputs, \(parsed) parsed, \(rendered) rendered")
        #expect(parsed > 0 && parsed < inputs)
    }

    @Test(arguments: [
        String(repeating: "(", count: 500) + "1" + String(repeating: ")", count: 500),
        String(repeating: "[", count: 500) + "1" + String(repeating: "]", count: 500),
        String(repeating: "not ", count: 500) + "1",
        String(repeating: "-", count: 500) + "1",
        "1" + String(repeating: " + 1", count: 10_000),
        "'a'" + String(repeating: " | upper", count: 5_000),
        "x" + String(repeating: ".a", count: 5_000),
        "1" + String(repeating: " if 1 else 1", count: 2_000),
        String(repeating: "{'a': ", count: 500) + "1" + String(repeating: "}", count: 500),
    ])
    func deepNestingIsASyntaxError(_ expression: String) {
        #expect(throws: TemplateSyntaxError.self) { try Template("(@ \(expression) )") }
    }

    /// Extreme integer arguments must never trap (overflow) or hang: a value or a render error.
    @Test(arguments: [
        "(@ range(10, 0, -9223372036854775807 - 1) | list )", "(@ range(-9223372036854775807 - 1, 9223372036854775807, 9223372036854775807) | list )",
        "(@ 'abc' | truncate(9223372036854775807) )", "(@ [1, 2, 3] | batch(9223372036854775807) | list )",
        "(@ 1.5 | round(-9223372036854775807 - 1, 'ceil') )", "(@ 15 | round(-9223372036854775807 - 1) )",
        "(@ [1, 2, 3][1::9223372036854775807] )", "(@ [1, 2, 3][::-9223372036854775807 - 1] )", "(@ [] * 10**12 )",
        "(@ 'abc'[-9223372036854775807 - 1:9223372036854775807] )", "(@ (-9223372036854775807 - 1) // -1 )",
        "(@ (-9223372036854775807 - 1) % -1 )", "(@ -(-9223372036854775807 - 1) )", "(@ (-9223372036854775807 - 1) | abs )",
        "(@ 9.3e18 | int )", "(@ '%c' % 9223372036854775807 )", "(@ [1, 2][-9223372036854775807 - 1] is defined )",
        "(@ 'ab' * (-9223372036854775807 - 1) )", "(@ 2 ** 63 )", "(@ (-2) ** 63 )", "(@ 'x' | indent(10**12) )",
    ])
    func extremeArgumentsDoNotTrap(_ source: String) throws {
        let template = try Template(source)
        _ = try? template.render(Self.context)
    }

    @Test func deepStatementNestingIsASyntaxError() {
        let source = String(repeating: "(% if 1 %)", count: 500) + "x" + String(repeating: "(% endif %)", count: 500)
        #expect(throws: TemplateSyntaxError.self) { try Template(source) }
    }

    @Test func moderateNestingWorks() throws {
        let depth = 60
        let source = "(@ " + String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth) + " )"
        #expect(try Template(source).render(Self.context) == .int(1))
    }

    @Test(arguments: [
        "(@ 'x' * 10**12 )", "(@ 'x' * 100000000 )", "(@ [1] * 10**9 )", "(@ range(10**9) | length )",
        "(% for a in range(1000) %)(% for b in range(1000) %)(% for c in range(10) %)(% endfor %)(% endfor %)(% endfor %)",
        "(@ ('x' * 9000000) ~ ('y' * 9000000) )", "(@ 2 ** 10000 )", "(@ 10 ** 10 ** 10 )",
        "(% for i in range(100000) %)(@ 'x' * 200 )(% endfor %)", "(@ '' * 10**12 ~ 'x' * 10**12 )",
        "(@ [1] | tojson(10**9) )", "(@ '%*d' % (10**9, 1) )", "(@ ('x\\n' * 1000000) | indent('y' * 1000) )",
        "(@ ('a' * 1000000) | replace('a', 'bb' * 100) )", "(@ ('a' * 1000000).replace('a', 'bbb' * 100) )",
        "(@ ('x' * 1000000).join(['a'] * 100) )", "(@ 'x' | center(10**12) )",
    ])
    func runawayOutputIsARenderError(_ source: String) throws {
        let template = try Template(source)
        #expect(throws: TemplateRenderError.self) { try template.render(Self.context) }
    }
}
