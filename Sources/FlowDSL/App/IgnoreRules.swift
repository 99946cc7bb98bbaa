import Foundation

/// The patterns of an app's `.gitignore` and `.meyaignore`, with gitignore's rules: `#`
/// comments, `!` negation, a trailing `/` for folders only, a leading or inner `/` anchoring the
/// pattern to the app folder, `*`, `?`, `[…]` and `**`.
struct IgnoreRules {
    private struct Rule {
        var pattern: String
        var negated: Bool
        var directoryOnly: Bool
        var anchored: Bool
    }

    private var rules: [Rule] = []

    init(root: URL) {
        for file in [".gitignore", ".meyaignore"] {
            guard let text = try? String(contentsOf: root.appendingPathComponent(file), encoding: .utf8) else { continue }
            for rawLine in text.split(whereSeparator: \.isNewline) {
                var line = String(rawLine).trimmingCharacters(in: .whitespaces)
                guard !line.isEmpty, !line.hasPrefix("#") else { continue }
                let negated = line.hasPrefix("!")
                if negated { line.removeFirst() }
                let directoryOnly = line.hasSuffix("/")
                if directoryOnly { line.removeLast() }
                let anchored = line.dropLast().contains("/")
                if line.hasPrefix("/") { line.removeFirst() }
                rules.append(Rule(pattern: line, negated: negated, directoryOnly: directoryOnly, anchored: anchored))
            }
        }
    }

    /// Whether `path` (relative, `/`-separated) is ignored; the last matching rule decides.
    func isIgnored(_ path: String, isDirectory: Bool) -> Bool {
        var ignored = false
        for rule in rules where !(rule.directoryOnly && !isDirectory) {
            let matches = rule.anchored
                ? Self.glob(rule.pattern, path)
                : Self.glob(rule.pattern, String(path.split(separator: "/").last ?? ""))
            if matches { ignored = !rule.negated }
        }
        return ignored
    }

    /// fnmatch with `**` spanning folders and `*` / `?` staying within one.
    static func glob(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern), t = Array(text)
        func match(_ i: Int, _ j: Int) -> Bool {
            if i == p.count { return j == t.count }
            if p[i] == "*" {
                let doubleStar = i + 1 < p.count && p[i + 1] == "*"
                let next = doubleStar ? (i + 2 < p.count && p[i + 2] == "/" ? i + 3 : i + 2) : i + 1
                var k = j
                while true {
                    if match(next, k) { return true }
                    guard k < t.count, doubleStar || t[k] != "/" else { return false }
                    k += 1
                }
            }
            guard j < t.count else { return false }
            if p[i] == "?" { return t[j] != "/" && match(i + 1, j + 1) }
            if p[i] == "[", let close = p[(i + 1)...].firstIndex(of: "]") {
                var set = Array(p[(i + 1)..<close])
                let negate = set.first == "!" || set.first == "^"
                if negate { set.removeFirst() }
                var found = false, k = 0
                while k < set.count {
                    if k + 2 < set.count, set[k + 1] == "-" {
                        if set[k] <= t[j] && t[j] <= set[k + 2] { found = true }
                        k += 3
                    } else {
                        if set[k] == t[j] { found = true }
                        k += 1
                    }
                }
                return found != negate && match(close + 1, j + 1)
            }
            return p[i] == t[j] && match(i + 1, j + 1)
        }
        return match(0, 0)
    }
}
