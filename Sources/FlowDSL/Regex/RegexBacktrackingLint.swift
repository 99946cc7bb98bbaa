/// Patterns that can backtrack catastrophically: a group repeated without bound whose inside
/// can itself match in many ways: a nested unbounded quantifier (`(a+)+`, `(\\w*\\s?)*`) or
/// alternatives that can match the same text (`(a|a)*`, `(a|ab)+`). On text that almost
/// matches, the matcher then tries exponentially many ways; `botcli check` warns, and the
/// runtime's time budget stops such a search either way.
extension PythonRegex {
    /// Why `pattern` may backtrack catastrophically, with the character offset of the
    /// repeated group, or nil when no such shape is found. A heuristic over the pattern's text,
    /// never a proof either way.
    public static func backtrackingRisk(in pattern: String) -> (offset: Int, reason: String)? {
        let characters = Array(pattern)
        /// One open group: where it starts, whether an unbounded quantifier is inside it, and
        /// its top-level alternatives so far.
        struct Group {
            var start: Int
            var unboundedInside = false
            var alternatives: [String] = [""]
        }
        var stack: [Group] = []
        var index = 0
        var inClass = false
        func unboundedQuantifier(at position: Int) -> Bool {
            guard position < characters.count else { return false }
            switch characters[position] {
            case "+", "*": return true
            case "{":
                // {n,} is unbounded; {n} and {n,m} are not.
                guard let close = characters[position...].firstIndex(of: "}") else { return false }
                let body = String(characters[(position + 1)..<close])
                return body.hasSuffix(",")
            default: return false
            }
        }
        func append(_ text: String) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].alternatives[stack[stack.count - 1].alternatives.count - 1] += text
        }
        while index < characters.count {
            let character = characters[index]
            if character == "\\" {
                let escape = index + 1 < characters.count ? "\\\(characters[index + 1])" : "\\"
                if !inClass { append(escape) }
                index += 2
                if !inClass, unboundedQuantifier(at: index), !stack.isEmpty { stack[stack.count - 1].unboundedInside = true }
                continue
            }
            if inClass {
                if character == "]" {
                    inClass = false
                    if unboundedQuantifier(at: index + 1), !stack.isEmpty { stack[stack.count - 1].unboundedInside = true }
                }
                append(String(character))
                index += 1
                continue
            }
            switch character {
            case "[":
                inClass = true
                append("[")
            case "(":
                stack.append(Group(start: index))
            case "|":
                if !stack.isEmpty { stack[stack.count - 1].alternatives.append("") }
            case ")":
                guard let group = stack.popLast() else { break }
                let repeated = unboundedQuantifier(at: index + 1)
                if repeated, group.unboundedInside {
                    return (group.start, "the group is repeated without bound and holds a quantifier without bound itself")
                }
                let alternatives = group.alternatives.map { $0.hasPrefix("?:") ? String($0.dropFirst(2)) : $0 }
                if repeated, alternatives.count > 1, Self.overlap(alternatives) {
                    return (group.start, "the group is repeated without bound and two of its alternatives can match the same text")
                }
                // What the group holds counts for the group around it.
                if !stack.isEmpty {
                    if group.unboundedInside || repeated { stack[stack.count - 1].unboundedInside = true }
                    append("(…)")
                }
            case "+", "*":
                if !stack.isEmpty { stack[stack.count - 1].unboundedInside = true }
                append(String(character))
            default:
                if character == "{", unboundedQuantifier(at: index), !stack.isEmpty { stack[stack.count - 1].unboundedInside = true }
                append(String(character))
            }
            index += 1
        }
        return nil
    }

    /// Whether two alternatives are equal or one is a literal prefix of another (`a|a`, `a|ab`).
    private static func overlap(_ alternatives: [String]) -> Bool {
        for (first, a) in alternatives.enumerated() {
            for b in alternatives[(first + 1)...] where !a.isEmpty && !b.isEmpty && (a.hasPrefix(b) || b.hasPrefix(a)) {
                return true
            }
        }
        return false
    }
}
