import BotRuntime
import BotTesting
import FlowDSL
import Foundation
import SharedTestFixtures
import Testing

/// An app's regular expressions cannot take the server down: each search has a time budget,
/// and one that runs out counts as no match.
@Suite("Regular expression budget")
struct RegexBudgetTests {
    static let app = [
        "flow/evil.yaml": "triggers:\n  - regex: ^(a+)+$\nsteps:\n  - say: matched\n",
        "flow/fallback.yaml": "triggers:\n  - catchall\nsteps:\n  - say: fallback\n",
        "flow/ask.yaml": """
            triggers:
              - keyword: ask
            steps:
              - ask: Code?
                regex: ^(\\w+\\s?)*$
                retries: 0
              - say: ok (@ flow.ok )
            """,
    ]

    @Test("a catastrophically backtracking trigger gives up within its budget, counts the timeout and falls through")
    func trigger() async throws {
        let client = try BotTestClient(files: Self.app, options: EngineOptions(realDelays: false, regexBudget: .milliseconds(50)), logger: TestLogs.logger("parley.runtime"))
        #expect(try await client.say("aaaa") == ["bot: matched"])
        let start = ContinuousClock.now
        #expect(try await client.say(String(repeating: "a", count: 40) + "!") == ["bot: fallback"])
        #expect(ContinuousClock.now - start < .seconds(2))
        #expect(client.engine.options.regexTimeouts.total == 1)
    }

    @Test("an ask with a pathological regex treats a timed-out answer as not matching")
    func ask() async throws {
        let client = try BotTestClient(files: Self.app, options: EngineOptions(realDelays: false, regexBudget: .milliseconds(50)), logger: TestLogs.logger("parley.runtime"))
        #expect(try await client.say("ask") == ["bot: Code?"])
        let start = ContinuousClock.now
        _ = try await client.say(String(repeating: "word ", count: 12) + "!")
        #expect(ContinuousClock.now - start < .seconds(2))
        #expect(client.engine.options.regexTimeouts.total == 1)
    }

    @Test("regular expressions see the first 4,096 characters of a message")
    func boundedText() async throws {
        let client = try BotTestClient(files: ["flow/end.yaml": "triggers:\n  - regex: z$\nsteps:\n  - say: found\n",
                                               "flow/fallback.yaml": "triggers:\n  - catchall\nsteps:\n  - say: fallback\n"], logger: TestLogs.logger("parley.runtime"))
        #expect(try await client.say(String(repeating: "y", count: 4_000) + "z") == ["bot: found"])
        #expect(try await client.say(String(repeating: "y", count: 5_000) + "z") == ["bot: fallback"])
    }

    @Test("botcli check warns on nested unbounded quantifiers and overlapping repeated alternatives, not on safe patterns",
          arguments: [("^(a+)+$", true), ("(\\\\w+\\\\s?)*", true), ("^(a|ab)*c", true), ("(x|x)+", true), ("^(?:a|b)+$", false),
                      ("^order (\\\\d+)$", false), ("^(hi|hello)$", false), ("(ab){2,5}", false)])
    func checkWarns(pattern: String, warns: Bool) {
        let result = AppLoader().load(sources: [AppSource(path: "flow/f.yaml",
                                                          text: "triggers:\n  - regex: \"\(pattern)\"\nsteps:\n  - say: hi\n")])
        let warnings = result.diagnostics.filter { $0.description.contains("exponential time") }
        #expect(warnings.count == (warns ? 1 : 0), "\(result.diagnostics)")
        #expect(result.app != nil)
    }
}
