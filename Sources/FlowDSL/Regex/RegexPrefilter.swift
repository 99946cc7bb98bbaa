/// A cheap necessary condition for a regex to match: literal text that any match must contain
/// (`order` in `^(my\ )?order\ \d+`, one of `phone`/`call` in `\b(phone|call)\b`). Checking it
/// first skips the regex engine for most messages a trigger does not care about.
struct RegexPrefilter: Sendable {
    /// Lowercased ASCII literals; a match contains at least one of them.
    let alternatives: [[UInt8]]

    /// Whether `lowercasedText` (the message, lowercased) could match.
    func mayMatch(_ lowercasedText: String) -> Bool {
        var text = lowercasedText
        return text.withUTF8 { bytes in alternatives.contains { Self.contains(bytes, $0) } }
    }

    private static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        let first = needle[0], last = haystack.count - needle.count
        var start = 0
        while start <= last {
            if haystack[start] == first {
                var offset = 1
                while offset < needle.count, haystack[start + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return true }
            }
            start += 1
        }
        return false
    }

    /// The prefilter of a translated (ICU, VERBOSE already removed) pattern, or nil when no
    /// required literal is evident. Conservative: it only uses literals outside classes, not
    /// optional, in a pattern with no top-level alternation.
    init?(pattern: String) {
        let characters = Array(pattern)
        var index = 0, run: [Character] = [], found: [[Character]]? = nil
        func endRun() {
            if found == nil, run.count >= 3 { found = [run] }
            run = []
        }
        func quantifier(at position: Int) -> Character? {
            position < characters.count && "?*+{".contains(characters[position]) ? characters[position] : nil
        }
        while index < characters.count, found == nil {
            let character = characters[index]
            switch character {
            case "|":
                return nil
            case "\\":
                guard index + 1 < characters.count else { return nil }
                let escaped = characters[index + 1]
                index += 2
                if escaped.isLetter || escaped.isNumber {
                    endRun() // \d, \w, \b, \1 …, and skip what the escape takes: \k<name>, \x41, \p{L}
                    index = Self.skipEscapeArguments(of: escaped, in: characters, from: index)
                } else if let mark = quantifier(at: index) {
                    if mark == "+" { run.append(escaped) }
                    endRun()
                } else {
                    run.append(escaped)
                }
            case "[":
                endRun()
                index += 1
                if index < characters.count, characters[index] == "^" { index += 1 }
                if index < characters.count, characters[index] == "]" { index += 1 }
                while index < characters.count, characters[index] != "]" {
                    index += characters[index] == "\\" ? 2 : 1
                }
                index += 1
            case "(":
                endRun()
                guard let close = Self.matchingParenthesis(characters, from: index) else { return nil }
                let optional = quantifier(at: close + 1).map { $0 != "+" } ?? false
                if !optional, found == nil, let words = Self.literalAlternatives(characters[(index + 1)..<close]) {
                    found = words
                }
                index = close + 1
            case "{":
                // A counted quantifier `{m,n}`: its digits are not literals.
                endRun()
                while index < characters.count, characters[index] != "}" { index += 1 }
                index += 1
            case ".", "^", "$", ")", "?", "*", "+", "}":
                endRun()
                index += 1
            default:
                index += 1
                if let mark = quantifier(at: index) {
                    if mark == "+" { run.append(character) }
                    endRun()
                } else {
                    run.append(character)
                }
            }
        }
        endRun()
        guard let found, found.allSatisfy({ $0.allSatisfy(\.isASCII) && !$0.isEmpty }) else { return nil }
        alternatives = found.map { Array(String($0).lowercased().utf8) }
    }

    /// The index after the arguments of `\<escaped>` starting at `index`.
    private static func skipEscapeArguments(of escaped: Character, in characters: [Character], from index: Int) -> Int {
        var index = index
        func skip(while condition: (Character) -> Bool, limit: Int) {
            var count = 0
            while index < characters.count, count < limit, condition(characters[index]) { index += 1; count += 1 }
        }
        if index < characters.count, characters[index] == "{" {
            while index < characters.count, characters[index] != "}" { index += 1 }
            return index + 1
        }
        if index < characters.count, characters[index] == "<", "kg".contains(escaped) {
            while index < characters.count, characters[index] != ">" { index += 1 }
            return index + 1
        }
        switch escaped {
        case "x": skip(while: \.isHexDigit, limit: 2)
        case "u": skip(while: \.isHexDigit, limit: 4)
        case "U": skip(while: \.isHexDigit, limit: 8)
        case "c": skip(while: { _ in true }, limit: 1)
        case _ where escaped.isNumber: skip(while: \.isNumber, limit: 3)
        default: break
        }
        return index
    }

    private static func matchingParenthesis(_ characters: [Character], from start: Int) -> Int? {
        var depth = 0, index = start, inClass = false
        while index < characters.count {
            let character = characters[index]
            if character == "\\" { index += 2; continue }
            if inClass { if character == "]" { inClass = false } } else if character == "[" { inClass = true } else if character == "(" {
                depth += 1
            } else if character == ")" {
                depth -= 1
                if depth == 0 { return index }
            }
            index += 1
        }
        return nil
    }

    /// `phone|call` (optionally behind `?:` or a group name) as literal words of 2+ letters.
    private static func literalAlternatives(_ body: ArraySlice<Character>) -> [[Character]]? {
        var text = Array(body)
        if text.starts(with: ["?", ":"]) {
            text.removeFirst(2)
        } else if text.first == "?", let close = text.firstIndex(of: ">"), text.starts(with: ["?", "<"]) {
            text.removeFirst(close + 1)
        } else if text.first == "?" {
            return nil
        }
        let words = text.split(separator: "|", omittingEmptySubsequences: false).map(Array.init)
        guard words.allSatisfy({ $0.count >= 2 && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == " " } }) else { return nil }
        return words
    }
}
