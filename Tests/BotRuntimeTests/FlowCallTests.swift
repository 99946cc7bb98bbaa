import BotRuntime
import BotTesting
import FlowDSL
import SharedTestFixtures
import Testing

@Suite("Sub-flows")
struct FlowCallTests {
    static let files = [
        "flow/main.yaml": """
            triggers:
              - keyword: go
            steps:
              - flow_set:
                  mine: kept
              - flow: flow.child
                data:
                  name: Ana
              - say: back with (@ flow.greeting ) and (@ flow.mine ) (@ flow.name is defined )
            """,
        "flow/child.yaml": """
            steps:
              - say: child sees (@ flow.name ) (@ flow.mine is defined )
              - end:
                  greeting: hi (@ flow.name )
            """,
        "flow/transfer.yaml": """
            triggers:
              - keyword: transfer
            steps:
              - flow: flow.middle
              - say: grandparent resumes with (@ flow.from )
            """,
        "flow/middle.yaml": """
            steps:
              - flow: flow.last
                transfer: true
              - say: never
            """,
        "flow/last.yaml": "steps:\n  - end:\n      from: last\n",
        "flow/jumpcall.yaml": "triggers:\n  - keyword: jumpcall\nsteps:\n  - flow: flow.labelled\n    jump: b\n",
        "flow/labelled.yaml": "steps:\n  - say: a\n  - (b)\n  - say: b\n",
        "flow/past_end.yaml": "triggers:\n  - keyword: past\nsteps:\n  - flow: flow.quiet\n  - say: result is (@ flow.result | default('unset') )\n",
        "flow/quiet.yaml": "steps:\n  - flow_set:\n      result: inner\n",
    ]

    @Test("the child sees only its data; end data merges into the caller's saved scope")
    func dataFlow() async throws {
        let client = try BotTestClient(files: Self.files, logger: TestLogs.logger("parley.runtime"))
        #expect(try await client.say("go") == ["bot: child sees Ana False", "bot: back with hi Ana and kept False"])
    }

    @Test("transfer replaces the caller, so end returns to the grandparent")
    func transfer() async throws {
        let client = try BotTestClient(files: Self.files, logger: TestLogs.logger("parley.runtime"))
        #expect(try await client.say("transfer") == ["bot: grandparent resumes with last"])
    }

    @Test("flow: + jump: starts the callee at the label")
    func jumpIntoCallee() async throws {
        let client = try BotTestClient(files: Self.files, logger: TestLogs.logger("parley.runtime"))
        #expect(try await client.say("jumpcall") == ["bot: b"])
    }

    @Test("a sub-flow that runs past its last step returns nothing: the caller keeps its own result")
    func pastTheEnd() async throws {
        let client = try BotTestClient(files: Self.files, logger: TestLogs.logger("parley.runtime"))
        #expect(try await client.say("past") == ["bot: result is past"])
    }

    @Test("a trigger action {jump:, data:} starts its flow at the label with the data")
    func triggerAction() async throws {
        let client = try BotTestClient(files: ["flow/a.yaml": """
            triggers:
              - regex: ^refund \\s (?P<order>\\d+)$
                action:
                  jump: lookup
                  data:
                    source: trigger
            steps:
              - say: start
              - (lookup)
              - say: order (@ flow.groups.order ) from (@ flow.source )
            """], logger: TestLogs.logger("parley.runtime"))
        #expect(try await client.say("refund 42") == ["bot: order 42 from trigger"])
    }
}
