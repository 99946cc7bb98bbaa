import Foundation

/// A regular expression written in Python's `re` syntax, matched with Python's `re.search`
/// semantics, as Meya's `regex:` triggers and `ask` + `regex:` steps are.
///
/// The pattern is translated to ICU syntax (`(?P<name>…)` → `(?<g1>…)`, `(?P=name)` →
/// `\k<g1>`, `\Z` → `\z`, `{,n}` → `{0,n}`) and, in VERBOSE mode (Meya's default), whitespace
/// and `#` comments outside character classes are removed exactly as Python does. Group names
/// are numbered for ICU, which takes only ASCII letters and digits (`first_name` is common in
/// Meya apps); `groupNames` keeps Python's.
public struct PythonRegex: @unchecked Sendable {
    /// The pattern as written.
    public let pattern: String
    /// Named groups in order of appearance, as written.
    public let groupNames: [String]
    /// Number of capture groups.
    public var groupCount: Int { expression.numberOfCaptureGroups }
    // NSRegularExpression is immutable and documented thread-safe.
    private let expression: NSRegularExpression
    /// Literal text any match must contain, checked before running the regex engine.
    private let prefilter: RegexPrefilter?

    public init(_ pattern: String, ignoreCase: Bool = true, verbose: Bool = true) throws(PythonRegexError) {
        self.pattern = pattern
        let translated = try Self.translate(pattern, verbose: verbose)
        groupNames = translated.names
        prefilter = RegexPrefilter(pattern: translated.pattern)
        do {
            expression = try NSRegularExpression(pattern: translated.pattern, options: ignoreCase ? [.caseInsensitive] : [])
        } catch {
            throw PythonRegexError(message: "invalid regular expression `\(pattern)`")
        }
    }

    /// The first match anywhere in `text` (`re.search`), with no time limit (tests, `botcli
    /// test` expectations). `lowercased`, when the caller has it already, is `text.lowercased()`
    /// (it lets most non-matching texts be ruled out cheaply).
    public func firstMatch(in text: String, lowercased: String? = nil) -> PythonRegexMatch? {
        if case .match(let found) = search(text, lowercased: lowercased, budget: nil) { return found }
        return nil
    }

    /// What a search within a time budget found.
    public enum Search: Sendable, Equatable {
        case match(PythonRegexMatch)
        case noMatch
        /// The budget ran out first (a pattern that backtracks catastrophically on this text).
        case timedOut
    }

    /// `re.search` that gives up after `budget` of matching (nil: no limit). ICU's matcher
    /// reports progress every few thousand steps (`.reportProgress`), and the search stops at
    /// the first report past the deadline, so `^(a+)+$` on a long run of `a`s costs the budget,
    /// not seconds.
    public func search(_ text: String, lowercased: String? = nil, budget: Duration?) -> Search {
        if let prefilter, !prefilter.mayMatch(lowercased ?? text.lowercased()) { return .noMatch }
        let range = NSRange(text.startIndex..., in: text)
        let match: NSTextCheckingResult?
        if let budget {
            let deadline = ContinuousClock.now.advanced(by: budget)
            var found: NSTextCheckingResult?, timedOut = false
            expression.enumerateMatches(in: text, options: [.reportProgress], range: range) { result, _, stop in
                if let result {
                    found = result
                    stop.pointee = true
                } else if ContinuousClock.now >= deadline {
                    timedOut = true
                    stop.pointee = true
                }
            }
            if timedOut, found == nil { return .timedOut }
            match = found
        } else {
            match = expression.firstMatch(in: text, options: [], range: range)
        }
        guard let match else { return .noMatch }
        func substring(_ range: NSRange) -> String? {
            guard range.location != NSNotFound, let swiftRange = Range(range, in: text) else { return nil }
            return String(text[swiftRange])
        }
        let groups = (0..<match.numberOfRanges).dropFirst().map { substring(match.range(at: $0)) }
        var named: [String: String?] = [:]
        for (index, name) in groupNames.enumerated() { named[name] = substring(match.range(withName: Self.icuName(index))) }
        return .match(PythonRegexMatch(text: substring(match.range) ?? "", groups: groups, namedGroups: named))
    }

    /// The character offset of the first space VERBOSE mode ignores between two word
    /// characters (outside a class, before any comment), or nil. Such a space is almost always a
    /// mistake: `^i am` only matches `iam`. Spaces used for layout (`^i \s am$`) are fine.
    public static func ignoredSpaceOffset(in pattern: String) -> Int? {
        let characters = Array(pattern)
        var index = 0, inClass = false
        while index < characters.count {
            let character = characters[index]
            if character == "\\" { index += 2; continue }
            if inClass { if character == "]" { inClass = false }; index += 1; continue }
            if character == "[" { inClass = true }
            if character == "#" { return nil }
            // Between two word characters (`i am`, `order 42`) a space is surely meant literally.
            if character == " ", index > 0, index + 1 < characters.count,
               characters[index - 1].isLetter || characters[index - 1].isNumber,
               characters[index + 1].isLetter || characters[index + 1].isNumber,
               index < 2 || characters[index - 2] != "\\" {
                return index
            }
            index += 1
        }
        return nil
    }

    // MARK: Translation

    private static func translate(_ pattern: String, verbose: Bool) throws(PythonRegexError) -> (pattern: String, names: [String]) {
        let characters = Array(pattern)
        var output = ""
        var names: [String] = []
        var index = 0
        var inClass = false
        func peek(_ offset: Int) -> Character? { index + offset < characters.count ? characters[index + offset] : nil }
        /// A backreference by name whose name starts `skip` characters on: ICU's by number.
        func backreference(skip: Int, terminator: Character) throws(PythonRegexError) {
            let name = try readName(characters, from: index + skip, terminator: terminator, pattern: pattern)
            guard let group = names.firstIndex(of: name.name) else {
                throw PythonRegexError(message: "unknown group name `\(name.name)` in `\(pattern)`")
            }
            output += "\\k<\(icuName(group))>"
            index = name.end + 1
        }

        while index < characters.count {
            let character = characters[index]
            if character == "\\", !inClass, peek(1) == "k", peek(2) == "<" {
                // ICU's own backreference form, taken too: it names a group by its written name.
                try backreference(skip: 3, terminator: ">")
                continue
            }
            if character == "\\" {
                guard let next = peek(1) else { throw PythonRegexError(message: "bad escape (end of pattern) in `\(pattern)`") }
                output += (!inClass && next == "Z") ? "\\z" : "\\\(next)"
                index += 2
                continue
            }
            if inClass {
                if character == "]" { inClass = false }
                output.append(character)
                index += 1
                continue
            }
            if verbose, character.isWhitespace {
                index += 1
                continue
            }
            if verbose, character == "#" {
                while index < characters.count, characters[index] != "\n" { index += 1 }
                continue
            }
            switch character {
            case "[":
                inClass = true
                output.append(character)
                index += 1
                // A `]` or `^]` right after `[` is literal.
                if peek(0) == "^" { output.append("^"); index += 1 }
                if peek(0) == "]" { output += "\\]"; index += 1 }
            case "(" where peek(1) == "?" && (peek(2) == "P" && peek(3) == "<" || peek(2) == "<" && peek(3) != "=" && peek(3) != "!"):
                let name = try readName(characters, from: index + (peek(2) == "P" ? 4 : 3), terminator: ">", pattern: pattern)
                guard !names.contains(name.name) else {
                    throw PythonRegexError(message: "redefinition of group name `\(name.name)` in `\(pattern)`")
                }
                output += "(?<\(icuName(names.count))>"
                names.append(name.name)
                index = name.end + 1
            case "(" where peek(1) == "?" && peek(2) == "P" && peek(3) == "=":
                try backreference(skip: 4, terminator: ")")
            case "{" where peek(1) == ",":
                output += "{0"
                index += 1
            default:
                output.append(character)
                index += 1
            }
        }
        if inClass { throw PythonRegexError(message: "unterminated character set in `\(pattern)`") }
        return (output, names)
    }

    /// The ICU name of the `index`th named group.
    private static func icuName(_ index: Int) -> String { "g\(index + 1)" }

    private static func readName(_ characters: [Character], from start: Int, terminator: Character, pattern: String)
        throws(PythonRegexError) -> (name: String, end: Int) {
        var end = start
        while end < characters.count, characters[end] != terminator { end += 1 }
        let name = String(characters[start..<min(end, characters.count)])
        guard end < characters.count, let first = name.first, first.isLetter || first == "_",
              name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw PythonRegexError(message: "bad group name `\(name)` in `\(pattern)`")
        }
        return (name, end)
    }
}

/// The outcome of a `PythonRegex` search: the matched text and the capture groups.
public struct PythonRegexMatch: Sendable, Equatable {
    /// The whole match (`match.group(0)`).
    public let text: String
    /// Groups 1…n; nil where a group did not take part.
    public let groups: [String?]
    /// Named groups.
    public let namedGroups: [String: String?]

    /// Meya's `groups` scope value: `{0: g1, 1: g2, …, name: value}`.
    public var scopeValue: TemplateValue {
        var map = TemplateMap()
        for (index, group) in groups.enumerated() { map[String(index)] = group.map(TemplateValue.string) ?? TemplateValue.none }
        for name in namedGroups.keys.sorted() { map[name] = namedGroups[name]!.map(TemplateValue.string) ?? TemplateValue.none }
        return .map(map)
    }
}

/// A pattern that is not a valid Python regular expression.
public struct PythonRegexError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
