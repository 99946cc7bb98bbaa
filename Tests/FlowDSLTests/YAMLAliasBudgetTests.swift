import FlowDSL
import Foundation
import Testing

/// A few lines of aliases to aliases must not cost seconds and gigabytes ("billion laughs").
@Suite("YAML alias budget")
struct YAMLAliasBudgetTests {
    /// `levels` anchors, each a list of ten aliases to the one before: 10^levels leaves.
    static func bomb(levels: Int, asKey: Bool = false) -> String {
        var lines = ["triggers:", "  - keyword: go", "steps:", "  - say: hi", "    data:", "      l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...levels {
            lines.append("      l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]")
        }
        lines.append(asKey ? "      ? *l\(levels)\n      : boom" : "      all: *l\(levels)")
        return lines.joined(separator: "\n") + "\n"
    }

    @Test("an alias bomb, as a value or as a key, is refused at the alias, quickly, with file:line:col; the other files still load",
          arguments: [false, true])
    func bombRefused(asKey: Bool) throws {
        let text = Self.bomb(levels: 7, asKey: asKey)
        #expect(text.utf8.count < 700)
        let start = ContinuousClock.now
        let result = AppLoader().load(sources: [AppSource(path: "flow/bomb.yaml", text: text),
                                                AppSource(path: "flow/ok.yaml", text: "triggers:\n  - keyword: hi\nsteps:\n  - say: hello\n")])
        #expect(ContinuousClock.now - start < .seconds(2))
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 1)
        let error = try #require(errors.first)
        #expect(error.description.hasPrefix("flow/bomb.yaml:"))
        // As a value, the alias that crosses the budget; as a key, any alias (the YAML library
        // would compare the whole expansion to find duplicate keys).
        #expect(error.message.hasPrefix(asKey ? "an alias cannot be (part of) a mapping key" : "YAML aliases expand to more than 100000 nodes"))
        #expect(error.position.line > 6)
    }

    @Test("aliases used as they are meant to (a shared list of buttons in a few places) load as if written out")
    func ordinaryAliases() throws {
        let text = """
            triggers:
              - keyword: go
            steps:
              - ask: Which?
                buttons: &choices
                  - text: Hardware
                  - text: Software
              - ask: Again?
                buttons: *choices
            """
        let result = AppLoader().load(sources: [AppSource(path: "flow/f.yaml", text: text + "\n")])
        #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty, "\(result.diagnostics)")
        let flow = try #require(result.app?.flows["flow.f"])
        #expect(flow.steps.count == 2)
    }
}
