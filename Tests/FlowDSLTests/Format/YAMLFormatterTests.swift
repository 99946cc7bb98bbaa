import FlowDSL
import Testing
import Yams

/// Hand-written before/after cases for `YAMLFormatter`; every expected
/// output must itself be canonical (idempotence) and mean the same as the
/// input (checked independently with Yams).
@Suite("YAMLFormatter")
struct YAMLFormatterTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let input: String
        let expected: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "four-space indentation becomes two", input: """
            a:
                b:
                    c: 1
                d: 2
            e: 3

            """, expected: """
            a:
              b:
                c: 1
              d: 2
            e: 3

            """),
        Case(name: "unindented sequences are indented under their key", input: """
            steps:
            - ask: Which order?
              as: order
            - say: done
            triggers:
            - keyword: refund

            """, expected: """
            steps:
              - ask: Which order?
                as: order
              - say: done
            triggers:
              - keyword: refund

            """),
        Case(name: "one space after the dash, compact keys aligned", input: """
            steps:
              -   item
              -    key: v
                   other: w
              -  - nested
                 - seq
              -
                  late: item

            """, expected: """
            steps:
              - item
              - key: v
                other: w
              - - nested
                - seq
              -
                late: item

            """),
        Case(name: "one space after a key's colon", input: """
            key:    value
            other :  2
            "quoted key":   three
            empty:   \("")
            list:
              - a:     1

            """, expected: """
            key: value
            other: 2
            "quoted key": three
            empty:
            list:
              - a: 1

            """),
        Case(name: "comments in odd places", input: """
                  # leading comment, oddly indented
            triggers:
                # about the first trigger
                - keyword: refund   # trailing comment kept
                      # before action
                  action:
                      jump: lookup
            # between top-level keys
            steps:
                - say: hi
                # after the last step, at end of file

            """, expected: """
            # leading comment, oddly indented
            triggers:
              # about the first trigger
              - keyword: refund   # trailing comment kept
                # before action
                action:
                  jump: lookup
            # between top-level keys
            steps:
              - say: hi
              # after the last step, at end of file

            """),
        Case(name: "block scalars keep relative indentation", input: """
            steps:
                - say: |
                          first line
                            deeper line

                          back
                  next: >-
                        folded
                          more indented
                - code: |2
                      two extra spaces are content
                    none here
            after: 1

            """, expected: """
            steps:
              - say: |
                  first line
                    deeper line

                  back
                next: >-
                  folded
                    more indented
              - code: |2
                    two extra spaces are content
                  none here
            after: 1

            """),
        Case(name: "trailing whitespace removed except inside block scalars", input:
            "a: 1   \nb: |\n  keep   \n  this\t\nc:   \n  - x  \n",
            expected: "a: 1\nb: |\n  keep   \n  this\t\nc:\n  - x\n"),
        Case(name: "multi-document files keep markers and directives", input: """
            %YAML 1.1
            ---
            a:
                b: 1
            ...
            ---   # second
            - x
            -   y
            ---
            plain root

            """, expected: """
            %YAML 1.1
            ---
            a:
              b: 1
            ...
            ---   # second
            - x
            - y
            ---
            plain root

            """),
        Case(name: "flow collections are left as written", input: """
            a:
                inline: [1,   2,  {x: y}]
                multi:   {a: 1,
                          b: [2,
                              3]}

            """, expected: """
            a:
              inline: [1,   2,  {x: y}]
              multi: {a: 1,
                      b: [2,
                          3]}

            """),
        Case(name: "multi-line plain and quoted scalars move with their line", input: """
            m:
                text: this plain scalar
                   goes on
                quoted:   "and this
                           one too"

            """, expected: """
            m:
              text: this plain scalar
                 goes on
              quoted: "and this
                       one too"

            """),
        Case(name: "unicode keys and values", input: """
            clé:    valeur
            émoji:   "🎉 fête"
            liste:
            -   中文: 值
                Ünïcödé: ✓

            """, expected: """
            clé: valeur
            émoji: "🎉 fête"
            liste:
              - 中文: 值
                Ünïcödé: ✓

            """),
        Case(name: "anchors, aliases and tags are kept", input: """
            base: &base
                  x: 1
            copy: *base
            tagged:   !!str 5
            items:
            - &first one
            -   *first
            - &k key:   v

            """, expected: """
            base: &base
              x: 1
            copy: *base
            tagged: !!str 5
            items:
              - &first one
              - *first
              - &k key: v

            """),
        Case(name: "blank lines kept inside, dropped at both ends", input: "\n\n\na: 1\n\n\n\nb: 2\n\n\n",
             expected: "a: 1\n\n\n\nb: 2\n"),
        Case(name: "a file without final newline gets one", input: "a:\n    b: 1", expected: "a:\n  b: 1\n"),
        Case(name: "CRLF is normalised to LF, block scalar values unchanged", input:
            "a:\r\n    text: |\r\n        one\r\n          two\r\n    q: \"x\r\n       y\"\r\n",
            expected: "a:\n  text: |\n    one\n      two\n  q: \"x\n     y\"\n"),
        Case(name: "keep-chomping block scalar keeps its trailing blank lines", input: "a: |+\n    text\n\n\n",
             expected: "a: |+\n  text\n\n\n"),
        Case(name: "a comment after a block scalar never slides into it", input: """
            a:
                b: |
                      text
                   # comment, less indented than the text

            """, expected: """
            a:
              b: |
                text
               # comment, less indented than the text

            """),
        Case(name: "values and headers on their own line", input: """
            key:
                  value on the next line
            other:
                |
                  text
            seq:
            -
                  item on the next line
            ---     !!map
            k:    v

            """, expected: """
            key:
              value on the next line
            other:
              |
                text
            seq:
              -
                item on the next line
            --- !!map
            k: v

            """),
        Case(name: "byte order mark is kept", input: "\u{FEFF}a:\n    b: 1\n", expected: "\u{FEFF}a:\n  b: 1\n"),
    ]

    @Test("before/after", arguments: cases)
    func beforeAfter(_ c: Case) throws {
        let formatter = YAMLFormatter()
        let result = formatter.format(c.input)
        if c.input == c.expected {
            #expect(result == .unchanged)
        } else {
            #expect(result == .formatted(c.expected))
        }
        #expect(formatter.format(c.expected) == .unchanged, "expected output is not canonical")
        #expect(try Self.sameDocuments(c.input, c.expected))
    }

    @Test func canonicalFileIsUnchanged() {
        let canonical = """
            # comment
            triggers:
              - keyword: refund
                action:
                  jump: lookup
            steps:
              - ask: Which order?   # trailing comment kept
              - (lookup)
              - say: |
                  multi-line literal
                    keeps its relative indentation
              - buttons:
                  - text: Yes
                    result: true

            """
        #expect(YAMLFormatter().format(canonical) == .unchanged)
    }

    @Test func emptyAndBlankFiles() {
        #expect(YAMLFormatter().format("") == .unchanged)
        #expect(YAMLFormatter().format("\n  \n\n") == .formatted(""))
        #expect(YAMLFormatter().format("# only a comment\n") == .unchanged)
        #expect(YAMLFormatter().format("   # only a comment") == .formatted("# only a comment\n"))
    }

    @Test func customIndentWidth() {
        let result = YAMLFormatter(indent: 4).format("a:\n  b:\n  - c: |\n      x\n")
        #expect(result == .formatted("a:\n    b:\n        - c: |\n              x\n"))
    }

    @Test func invalidYAMLIsRefusedWithItsLine() {
        let result = YAMLFormatter().format("a: 1\nb: [1, 2\nc: 3\n")
        guard case let .refused(reason, line) = result else {
            Issue.record("expected a refusal, got \(result)")
            return
        }
        #expect(line == 3)
        #expect(reason.contains("did not find expected"))
    }

    @Test func tabsInIndentationAreRefused() {
        let result = YAMLFormatter().format("a:\n\tb: 1\n")
        guard case let .refused(_, line) = result else {
            Issue.record("expected a refusal, got \(result)")
            return
        }
        #expect(line == 2)
    }

    @Test func explicitKeysAreRefused() {
        #expect(YAMLFormatter().format("? complex\n: value\n")
            == .refused(reason: "explicit mapping keys (`? key`) are not supported", line: 1))
    }

    @Test func loneCarriageReturnIsRefused() {
        guard case .refused = YAMLFormatter().format("a: 1\rb: 2\n") else {
            Issue.record("expected a refusal")
            return
        }
    }

    @Test func aliasBombIsRefusedWithoutExpandingIt() {
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...8 {
            yaml += "b\(i): &b\(i) [" + Array(repeating: i == 1 ? "*a" : "*b\(i - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        yaml += "z:    1\n"
        guard case let .refused(reason, _) = YAMLFormatter().format(yaml) else {
            Issue.record("expected a refusal")
            return
        }
        #expect(reason.contains("too large to verify"))
    }

    @Test func duplicateKeysAreRefused() {
        guard case let .refused(reason, line) = YAMLFormatter().format("a: 1\na: 2\n") else {
            Issue.record("expected a refusal")
            return
        }
        #expect(reason.contains("duplicate"))
        #expect(line == 1)
    }
}

extension YAMLFormatterTests {
    // MARK: - Independent structural comparison (Yams only)

    /// True when both texts parse to the same documents: same kinds, scalar
    /// text, resolved tags and key order.
    static func sameDocuments(_ a: String, _ b: String) throws -> Bool {
        try sameDocuments(allDocuments(a), allDocuments(b))
    }

    static func sameDocuments(_ x: [Node], _ y: [Node]) -> Bool {
        x.count == y.count && zip(x, y).allSatisfy(sameNode)
    }

    static func allDocuments(_ yaml: String) throws -> [Node] {
        let parser = try Parser(yaml: yaml)
        var documents: [Node] = []
        while let root = try parser.nextRoot() { documents.append(root) }
        return documents
    }

    static func sameNode(_ a: Node, _ b: Node) -> Bool {
        switch (a, b) {
        case let (.scalar(x), .scalar(y)):
            // Same written tag and text imply the same resolved tag; resolving
            // (regex matching) is only needed when the written tags differ.
            return x.string == y.string && (x.tag.rawValue == y.tag.rawValue || a.tag.rawValue == b.tag.rawValue)
        case let (.mapping(x), .mapping(y)):
            return a.tag.rawValue == b.tag.rawValue && x.count == y.count && zip(x, y).allSatisfy { sameNode($0.key, $1.key) && sameNode($0.value, $1.value) }
        case let (.sequence(x), .sequence(y)):
            return a.tag.rawValue == b.tag.rawValue && x.count == y.count && zip(x, y).allSatisfy(sameNode)
        default:
            return false
        }
    }
}
