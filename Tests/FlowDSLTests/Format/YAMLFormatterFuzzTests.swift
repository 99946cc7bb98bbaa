import FlowDSL
import Testing
import Yams

@Suite("YAMLFormatter fuzz")
struct YAMLFormatterFuzzTests {
    /// (indentation width, number of generated files)
    static let runs: [(indent: Int, count: Int)] = [(2, 2000), (4, 300)]

    @Test(arguments: runs)
    func randomDocumentsRoundTrip(indent: Int, count: Int) throws {
        let formatter = YAMLFormatter(indent: indent)
        var writer = RandomYAMLWriter(seed: 0x5EED_CAFE &+ UInt64(indent))
        var formatted = 0, unchanged = 0, refused = 0, invalid = 0
        var reasons: [String: Int] = [:]
        for _ in 0..<count {
            let input = writer.file()
            guard let documents = try? YAMLFormatterTests.allDocuments(input) else {
                invalid += 1
                if case .refused = formatter.format(input) {} else {
                    Issue.record("input that does not parse was not refused:\n\(input)")
                }
                continue
            }
            switch formatter.format(input) {
            case .unchanged:
                unchanged += 1
            case let .formatted(output):
                formatted += 1
                let same = try YAMLFormatterTests.sameDocuments(documents, YAMLFormatterTests.allDocuments(output))
                #expect(same, "meaning changed:\n\(input)\n=>\n\(output)")
                #expect(formatter.format(output) == .unchanged, "not idempotent:\n\(input)\n=>\n\(output)")
                #expect(Self.nonBlank(input) == Self.nonBlank(output), "text changed:\n\(input)\n=>\n\(output)")
            case let .refused(reason, _):
                refused += 1
                reasons[reason, default: 0] += 1
            }
        }
        print("YAMLFormatter fuzz (indent \(indent)): formatted \(formatted), unchanged \(unchanged), refused \(refused), invalid input \(invalid)")
        for (reason, count) in reasons.sorted(by: { $0.value > $1.value }) { print("  refused \(count)×: \(reason)") }
        #expect(refused * 50 <= formatted + unchanged + refused, "more than 2% of valid inputs refused")
    }

    static func nonBlank(_ s: String) -> [Unicode.Scalar] {
        s.unicodeScalars.filter { $0 != " " && $0 != "\t" && $0 != "\n" && $0 != "\r" }
    }
}

// Nested so they cannot clash with other test files' helpers.
extension YAMLFormatterFuzzTests {
    /// Writes random block YAML the way people do: random nesting of block
    /// mappings and sequences with random indentation widths (1–6) per level,
    /// indentless and compact sequences, scalars of every style, block scalars
    /// with and without indentation indicators, multi-line plain, quoted and
    /// flow values, anchors, aliases, tags, comments, blank lines, trailing
    /// blanks, several documents, CRLF and missing final newlines.
    struct RandomYAMLWriter {
        var rng: SplitMix64
        private var lines: [String] = []
        private var prefix: String?
        private var anchors: [String] = []
        private var anchorCount = 0

        init(seed: UInt64) { rng = SplitMix64(state: seed) }

        private mutating func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &rng) }
        private mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }
        private mutating func pick(_ xs: [String]) -> String { xs[int(0...(xs.count - 1))] }
        private static func spaces(_ n: Int) -> String { String(repeating: " ", count: max(0, n)) }

        mutating func file() -> String {
            lines = []
            if chance(5) { lines.append("") }
            if chance(5) { lines.append("%YAML 1.1") }
            let documents = chance(15) ? int(2...3) : 1
            for d in 0..<documents {
                anchors = []
                if d > 0 || lines.last == "%YAML 1.1" || chance(10) {
                    if d > 0, chance(30) { lines.append("...") }
                    lines.append(chance(20) ? "---   # doc \(d)" : "---")
                }
                if chance(15) { lines.append(Self.spaces(int(0...3)) + "# top comment") }
                let col = chance(85) ? 0 : int(1...3)
                switch int(0...9) {
                case 0...6: mapping(col: col, depth: 0)
                case 7...8: sequence(col: col, depth: 0)
                default: value(head: nil, col: col, parentCol: -1, depth: 3)
                }
            }
            if chance(10) { lines.append(Self.spaces(int(0...6)) + "# final comment") }
            if chance(10) { lines.append("") }
            lines = lines.map { chance(5) ? $0 + Self.spaces(int(1...2)) : $0 }
            if chance(4) { corrupt() }
            let separator = chance(5) ? "\r\n" : "\n"
            return lines.joined(separator: separator) + (chance(90) ? separator : "")
        }

        /// Breaks the file in one of a few ways people do (most no longer parse).
        private mutating func corrupt() {
            let i = int(0...(lines.count - 1))
            switch int(0...3) {
            case 0: lines[i] = "\t" + lines[i]
            case 1: lines[i] += " [unclosed"
            case 2: lines[i] += ": extra: colon"
            default: lines.insert(Self.spaces(int(0...9)) + "stray: \"quote", at: i)
            }
        }

        private mutating func emit(_ col: Int, _ text: String) {
            if let p = prefix {
                lines.append(p + text)
                prefix = nil
            } else {
                lines.append(Self.spaces(col) + text)
            }
        }

        private mutating func trivia(_ col: Int) {
            guard prefix == nil else { return }
            if chance(10) { lines.append(chance(80) ? "" : Self.spaces(int(1...5))) }
            if chance(12) { lines.append(Self.spaces(col + int(-3...4)) + "# " + pick(["note", "TODO: fix", "é#x", ""])) }
        }

        private mutating func mapping(col: Int, depth: Int) {
            let bases = ["name", "say", "ask", "steps", "jump", "text", "clé", "ünï", "with space", "x-y", "k"]
            for i in 0..<int(1...4) {
                if i > 0 { trivia(col) }
                var key = pick(bases) + "\(i)"
                switch int(0...9) {
                case 0: key = "\"\(key)\""
                case 1: key = "'\(key)'"
                case 2: key = "&k\(anchorCount) \(key)"; anchorCount += 1
                default: break
                }
                let head = key + (chance(5) ? Self.spaces(int(1...2)) : "") + ":"
                value(head: head, col: col, parentCol: col, depth: depth)
            }
        }

        private mutating func sequence(col: Int, depth: Int) {
            for i in 0..<int(1...4) {
                if i > 0 { trivia(col) }
                let gap = int(1...4)
                if depth < 4, chance(25) {
                    prefix = (prefix ?? Self.spaces(col)) + "-" + Self.spaces(gap)
                    if chance(70) { mapping(col: col + 1 + gap, depth: depth + 1) } else { sequence(col: col + 1 + gap, depth: depth + 1) }
                } else {
                    value(head: "-", col: col, parentCol: col, depth: depth)
                }
            }
        }

        /// A value after `head` (`key:` or `-`, nil at the document root).
        private mutating func value(head: String?, col: Int, parentCol: Int, depth: Int) {
            let tab = head != "-" && chance(3)  // libyaml accepts `key:<tab>value`, not `-<tab>value`
            let lead = head.map { $0 + (tab ? "\t" : Self.spaces(int(1...3))) } ?? ""
            let comment = chance(15) ? Self.spaces(int(1...3)) + "# c" : ""
            let roll = int(0...99)
            if let head, depth < 3, roll < 35 {
                var anchor = ""
                if chance(10) { anchor = " &n\(anchorCount)"; anchorCount += 1 }
                emit(col, head + anchor + comment)
                let minWidth = head == "-" ? 1 : 0
                if chance(50) { mapping(col: col + int(max(1, minWidth)...6), depth: depth + 1) } else { sequence(col: col + int(minWidth...6), depth: depth + 1) }
                if !anchor.isEmpty { anchors.append(String(anchor.dropFirst(2))) }
            } else if roll < 47 {
                blockScalar(lead: lead, col: col, parentCol: parentCol, comment: comment)
            } else if roll < 55, let head {
                emit(col, head + pick(["", "", " !!str", " &e\(anchorCount)", " !!null"]) + comment)
                anchorCount += 1
            } else if roll < 65 {
                let cont = parentCol + int(1...6)
                switch int(0...2) {
                case 0:
                    emit(col, lead + "plain start")
                    for _ in 0..<int(1...2) { if chance(20) { lines.append("") }; lines.append(Self.spaces(cont) + pick(["goes on", "- still text", "more  words"])) }
                case 1:
                    emit(col, lead + "\"quoted start")
                    lines.append(Self.spaces(cont) + "middle \\\" part")
                    lines.append(Self.spaces(cont + int(0...2)) + "end\"" + comment)
                default:
                    emit(col, lead + "[one,  two,")
                    lines.append(Self.spaces(cont) + "{three: 3},")
                    lines.append(Self.spaces(cont) + "'four']" + comment)
                }
            } else {
                emit(col, lead + inlineScalar() + comment)
            }
        }

        private mutating func inlineScalar() -> String {
            switch int(0...9) {
            case 0...3:
                return pick(["hello", "refund", "42", "3.5", "true", "null", "~", "Which order?", "a b  c", "(lookup)",
                             "héllo wörld", "中文", "🎉", "x:y", "http://e.com/a#b", "-dash", "2024-01-01", "it's"])
            case 4: return "'single ''quoted'' #text'"
            case 5: return "\"double \\\"quoted\\\" \\t  # text\""
            case 6: return pick(["\"\"", "''", "[]", "{}"])
            case 7: return pick(["[a, b,  {c: d}]", "{x: 1, y: [2, 3]}", "[ 'q, r', \"s]\" ]"])
            case 8: return pick(["!!str 5", "!custom val", "!!int \"7\""])
            default:
                if !anchors.isEmpty, chance(50) { return "*" + pick(anchors) }
                let name = "a\(anchorCount)"
                anchorCount += 1
                anchors.append(name)
                return "&\(name) anchored"
            }
        }

        private mutating func blockScalar(lead: String, col: Int, parentCol: Int, comment: String) {
            var header = pick(["|", ">", "|-", ">-", "|+", ">+"])
            let base: Int
            var firstExtra = 0
            if parentCol >= 0, chance(20) {
                let m = int(1...6)
                header.insert(contentsOf: "\(m)", at: header.index(after: header.startIndex))
                base = parentCol + m
                firstExtra = int(0...2)
            } else {
                base = max(parentCol, 0) + int(1...6)
            }
            emit(col, lead + header + comment)
            for i in 0..<int(1...4) {
                if i > 0, chance(20) { lines.append(chance(70) ? "" : Self.spaces(int(0...(base + 2)))) }
                let extra = i == 0 ? firstExtra : int(0...3)
                lines.append(Self.spaces(base + extra) + pick(["text", "# not a comment", "key: not a map", "- not a seq", "ünï  code"]))
            }
        }
    }
}
