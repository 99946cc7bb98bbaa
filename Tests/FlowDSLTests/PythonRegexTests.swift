import FlowDSL
import Foundation
import Testing

@Suite("Python regular expressions with re.search semantics")
struct PythonRegexTests {
    @Test("named groups, numbered groups and Meya's groups scope")
    func groups() throws {
        let regex = try PythonRegex(#"^order (?P<id>\d+)( now)?$"#, verbose: false)
        let match = try #require(regex.firstMatch(in: "order 42"))
        #expect(match.text == "order 42")
        #expect(match.groups == ["42", nil])
        #expect(match.namedGroups == ["id": "42"])
        #expect(match.scopeValue == .map(["0": .string("42"), "1": .none, "id": .string("42")]))
    }

    @Test("VERBOSE ignores spaces and comments outside classes, keeps escaped and class spaces")
    func verbose() throws {
        let regex = try PythonRegex("refund   # the word\n \\ please [ ]x")
        #expect(regex.firstMatch(in: "refund please x")?.text == "refund please x")
        #expect(try PythonRegex("hello world").firstMatch(in: "hello world") == nil)
        #expect(try PythonRegex("hello world").firstMatch(in: "helloworld") != nil)
    }

    @Test("search finds a match anywhere; ignorecase is the default")
    func search() throws {
        #expect(try PythonRegex("refund").firstMatch(in: "I want a REFUND please")?.text == "REFUND")
        #expect(try PythonRegex("refund", ignoreCase: false).firstMatch(in: "REFUND") == nil)
    }

    @Test("Python-only syntax: (?P=name), \\Z, {,n}")
    func translation() throws {
        #expect(try PythonRegex(#"(?P<w>\w+) (?P=w)"#, verbose: false).firstMatch(in: "bye bye")?.text == "bye bye")
        #expect(try PythonRegex(#"end\Z"#).firstMatch(in: "the end\n") == nil)
        #expect(try PythonRegex(#"end$"#).firstMatch(in: "the end\n") != nil)
        #expect(try PythonRegex(#"^a{,2}$"#).firstMatch(in: "aa") != nil)
        #expect(try PythonRegex(#"^a{,2}$"#).firstMatch(in: "aaa") == nil)
    }

    @Test("the literal prefilter never changes a result", arguments: [
        (##"^(where\ is\ )?(my\ )?order\ \#?(?P<order>\d+)"##, ["where is my order #42", "ORDER 5", "my 42", "order", "orders 7"]),
        (#"\b(phone|call|human|person)\b"#, ["Can I CALL you", "hello", "telephone", "a person!", "ph one"]),
        (#"colou?r"#, ["color", "COLOUR", "colr", "colo"]),
        (#"a{2,3}b"#, ["aab", "2,3", "ab", "xaaab"]),
        (#"(ab){2}cd"#, ["ababcd", "abcd", "cd"]),
        (#"(?!foo)bar\d"#, ["bar1", "foobar1", "bar"]),
        (#"\x41bcd"#, ["Abcd", "abcd", "x41bcd"]),
        (#"(?P<w>\w+)\ \k<w>end"#, ["bye byeend", "x yend"]),
        (#"\p{Lu}\p{Ll}+day"#, ["Monday", "day"]),
        (#"[a-z]+ing"#, ["sing", "SINGING", "ing", "in g"]),
        (#"x|yz"#, ["x", "yz", "none"]),
    ] as [(String, [String])])
    func prefilter(pattern: String, texts: [String]) throws {
        let regex = try PythonRegex(pattern)
        // ICU itself, without the prefilter, is the reference.
        let expression = try NSRegularExpression(pattern: pattern.replacingOccurrences(of: "(?P<", with: "(?<"),
                                                 options: [.caseInsensitive, .allowCommentsAndWhitespace])
        for text in texts {
            let expected = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            #expect((regex.firstMatch(in: text) != nil) == expected, "\(pattern) on \(text)")
        }
    }

    @Test("invalid patterns throw with the pattern named")
    func errors() {
        #expect(throws: PythonRegexError.self) { try PythonRegex("(") }
        #expect(throws: PythonRegexError.self) { try PythonRegex("[abc") }
        #expect(throws: PythonRegexError.self) { try PythonRegex("trailing\\") }
    }
}
