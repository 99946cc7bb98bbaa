import BotRuntime
import BotTesting
import FlowDSL
import Testing

private typealias S = ConversationTestSupport

@Suite("Conversation tests: the file format")
struct ConversationTestFormatTests {
    @Test("steps are read with their positions")
    func steps() throws {
        let file = S.file("""
            # a comment
            - name: greeting
              steps:
                - event: page_open
                - event: {type: meya.x.event.y, data: {a: 1}, sender: agent}
                - user: hi
                - click: Yes
                - agent: /verify
                - bot: Hello
                - bot: {regex: '^H'}
                - buttons: [A, B]
                - status: working
                - error: {regex: x}
                - thread: {mode: agent}
                - user: {name: Ana, age: 3}
            """)
        #expect(file.diagnostics.isEmpty, "\(file.diagnostics)")
        let testCase = try #require(file.cases.first)
        #expect(testCase.name == "greeting")
        #expect(testCase.position.description == "tests/t.yaml:2:3")
        #expect(testCase.steps.map(\.position.line) == Array(4...15))
        #expect(testCase.steps.flatMap(\.transcriptLines) == [
            "event: page_open", "event: meya.x.event.y {a: 1} (from agent)", "user: hi", "click: Yes", "agent: /verify",
            "bot: Hello", "bot: {regex: ^H}", "button: A", "button: B", "status: working", "error: {regex: x}",
            "thread: {mode: agent}", "user: {name: Ana, age: 3}",
        ])
        guard case .input(.event(let type, _, _)) = testCase.steps[0].kind else { Issue.record("not an event"); return }
        #expect(type == EventTypes.pageOpen)
    }

    @Test("format errors are reported as file:line:col with every problem of the file")
    func formatErrors() {
        let file = S.file("""
            - name: one
              steps:
                - usr: hi
                - bot: {regex: '(unclosed'}
                - bot: {rgx: x}
                - buttons: []
                - user: hi
                  bot: two keys
                - event: {data: {a: 1}}
                - thread: agent
            - steps:
                - user: hi
            - name: no steps
              colour: red
            """)
        #expect(file.diagnostics.map(\.description) == [
            "tests/t.yaml:3:7: error: unknown step `usr:`; did you mean `user`?",
            "tests/t.yaml:4:20: error: invalid regular expression `(unclosed`",
            "tests/t.yaml:5:13: error: `bot:` takes text or `{regex: PATTERN}`; unknown key `rgx`",
            "tests/t.yaml:6:16: error: `buttons:` needs a list of button texts, such as `[Yes, No]`, found a list",
            "tests/t.yaml:8:7: error: a step has exactly one key; start a new `- ` item for `bot`",
            "tests/t.yaml:9:14: error: `event:` needs `type:` (an event type such as `page_open` or `meya.text.event.say`)",
            "tests/t.yaml:10:15: error: `thread:` to check the thread scope needs a mapping such as `{mode: agent}`, found the text `agent`",
            "tests/t.yaml:11:3: error: test case is missing `name:`",
            "tests/t.yaml:13:3: error: test case `no steps` is missing `steps:`",
            "tests/t.yaml:14:3: error: unknown test case key `colour`; a case has `name:` and `steps:`",
        ])
    }

    @Test("a file that is not a list of cases, and YAML syntax errors")
    func wrongShapes() {
        #expect(S.file("name: x\nsteps: []\n").diagnostics.map(\.description)
                == ["tests/t.yaml:1:1: error: a test file is a list of test cases (`- name: …` with `steps:`), found a mapping"])
        #expect(S.file("").diagnostics.map(\.description) == ["tests/t.yaml:1:1: error: the file is empty; expected a list of test cases"])
        let syntax = S.file("- name: x\n  steps: [\n")
        #expect(syntax.diagnostics.count == 1)
        #expect(syntax.diagnostics.first?.description.hasPrefix("tests/t.yaml:") == true)
        #expect(syntax.cases.isEmpty)
    }

    @Test("a suite reads files and folders, naming files relative to the app")
    func suite() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("parley-convo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("tests/more"), withIntermediateDirectories: true)
        let one = S.steps("user: go")
        try one.write(to: root.appendingPathComponent("tests/b.yaml"), atomically: true, encoding: .utf8)
        try one.write(to: root.appendingPathComponent("tests/more/a.yml"), atomically: true, encoding: .utf8)
        try "notes".write(to: root.appendingPathComponent("tests/README.md"), atomically: true, encoding: .utf8)
        let all = try ConversationTestSuite(reading: [root.appendingPathComponent("tests")], appRoot: root)
        #expect(all.files.map(\.path) == ["tests/b.yaml", "tests/more/a.yml"])
        let some = try ConversationTestSuite(reading: [root.appendingPathComponent("tests/more/a.yml")], appRoot: root)
        #expect(some.files.map(\.path) == ["tests/more/a.yml"])
        #expect(throws: ConversationTestSuiteError.self) {
            try ConversationTestSuite(reading: [root.appendingPathComponent("tests/nope.yaml")], appRoot: root)
        }
    }
}

import Foundation
