import BotRuntime
import BotTesting
import FlowDSL
import SharedTestFixtures
import Testing

/// A bot whose single flow `flow/main.yaml` starts on the keyword `go`.
func bot(steps: String, extra: [String: String] = [:]) throws -> BotTestClient {
    try BotTestClient(files: ["flow/main.yaml": "triggers:\n  - keyword: go\nsteps:\n" + steps].merging(extra) { $1 }, logger: TestLogs.logger("parley.runtime"))
}

@Suite("Steps")
struct StepTests {
    @Test("say, ask and user_set keep the answer in the user scope")
    func sayAskUserSet() async throws {
        let client = try bot(steps: """
              - say: Hello!
              - ask: What's your name?
              - user_set: name
              - say: Nice to meet you, (@ user.name ).
            """)
        #expect(try await client.say("go") == ["bot: Hello!", "bot: What's your name?"])
        #expect(try await client.say("Ana") == ["bot: Nice to meet you, Ana."])
        #expect(try await client.userScope()["name"] == .string("Ana"))
    }

    @Test("ask with buttons: results, actions, and typing a button's text")
    func buttons() async throws {
        let client = try bot(steps: """
              - ask: Pick one
                buttons:
                  - text: Hardware
                    result: hw
                  - text: Other
                    action:
                      jump: other
              - say: You chose (@ flow.result ).
              - end
              - (other)
              - say: Something else then.
            """)
        #expect(try await client.say("go") == ["bot: Pick one", "button: Hardware", "button: Other"])
        #expect(try await client.click("Hardware") == ["bot: You chose hw."])
        try await client.say("go")
        #expect(try await client.say("other") == ["bot: Something else then."])
    }

    @Test("a button ask takes typed text as its answer unless `required: true`")
    func requiredButtons() async throws {
        let client = try bot(steps: """
              - ask: Free?
                buttons: [A]
              - say: got (@ flow.result )
              - ask: Strict?
                buttons:
                  - text: B
                    result: b
                required: true
              - say: strict (@ flow.result )
            """)
        try await client.say("go")
        #expect(try await client.say("anything") == ["bot: got anything", "bot: Strict?", "button: B"])
        #expect(try await client.say("anything") == [], "typed text does not answer a required button ask")
        #expect(try await client.click("B") == ["bot: strict b"])
    }

    @Test("flow_set, thread_set and templates over flow, thread and config scopes")
    func scopes() async throws {
        let client = try bot(steps: """
              - flow_set:
                  count: 2
              - thread_set:
                  topic: billing
              - say: (@ flow.count * 3 ) (@ thread.topic | upper ) (@ config.brand )
            """, extra: ["config.yaml": "brand: Parley\n"])
        #expect(try await client.say("go") == ["bot: 6 BILLING Parley"])
        #expect(try await client.threadScope()["topic"] == .string("billing"))
    }

    @Test("if / case / cond / match / random choose actions")
    func branching() async throws {
        let client = try bot(steps: """
              - ask: Number?
              - if: (@ flow.result | int > 10 )
                then:
                  say: big
                else:
                  say: small
              - case:
                  "7": {say: seven}
                default:
                  say: not seven
              - cond:
                  - (@ flow.result | int % 2 == 0 ): {say: even}
                default:
                  say: odd
              - value: (@ flow.result )
                match:
                  ^1\\d$: {say: teen-ish}
                  ^\\d$: {say: one digit}
              - random:
                  - say: only choice
            """)
        try await client.say("go")
        #expect(try await client.say("7") == ["bot: small", "bot: seven", "bot: odd", "bot: one digit", "bot: only choice"])
        try await client.say("go")
        #expect(try await client.say("12") == ["bot: big", "bot: not seven", "bot: even", "bot: teen-ish", "bot: only choice"])
    }

    @Test("labels and jumps, templated labels too")
    func jumps() async throws {
        let client = try bot(steps: """
              - flow_set:
                  target: end here
              - jump: skip
              - say: never
              - (skip)
              - jump: (@ flow.target )
              - say: never either
              - (end here)
              - say: done
            """)
        #expect(try await client.say("go") == ["bot: done"])
    }

    @Test("status lines show; notes, typing and delays do not")
    func statusNoteTypingDelay() async throws {
        let client = try bot(steps: """
              - typing: on
              - status: Looking…
              - note: only agents see this
              - delay: 5
              - typing: off
              - say: found it
            """)
        #expect(try await client.say("go") == ["status: Looking…", "bot: found it"])
    }

    @Test("mode: agent sets thread.mode")
    func mode() async throws {
        let client = try bot(steps: "  - mode: agent\n")
        try await client.say("go")
        #expect(try await client.threadScope()["mode"] == .string("agent"))
    }

    @Test("ask + regex re-asks until it matches and sets groups")
    func askRegex() async throws {
        let client = try bot(steps: """
              - ask: Order number?
                regex: ^(?P<number>\\d{4})$
                error_message: Four digits, please.
              - say: Order (@ flow.groups.number ).
            """)
        try await client.say("go")
        #expect(try await client.say("12") == ["bot: Four digits, please."])
        #expect(try await client.say("1234") == ["bot: Order 1234."])
    }

    @Test("ask + expect email_address validates, retries runs out")
    func email() async throws {
        let client = try bot(steps: """
              - ask: Email?
                expect: email_address
                retries: 1
              - say: (@ flow.ok ) (@ flow.result )
            """)
        try await client.say("go")
        #expect(try await client.say("nope") == ["bot: Sorry, that doesn't look right. Please try again."])
        #expect(try await client.say("still nope") == ["bot: False still nope"])
        try await client.say("go")
        #expect(try await client.say("ana@example.com") == ["bot: True ana@example.com"])
    }

    @Test("ask_form waits for the answer")
    func askForm() async throws {
        let client = try bot(steps: "  - ask_form: Name?\n  - say: hi (@ flow.result )\n")
        #expect(try await client.say("go") == ["bot: Name?"])
        #expect(try await client.send(EventTypes.formSubmit, data: ["value": .string("Bo")]) == ["bot: hi Bo"])
    }

    @Test("say with text-only quick replies does not wait; with actions it does")
    func quickReplies() async throws {
        let client = try bot(steps: """
              - say: Text only
                quick_replies: [Yes, No]
              - say: Acting
                quick_replies:
                  - text: Go on
                    result: onwards
              - say: (@ flow.result )
            """)
        #expect(try await client.say("go") == ["bot: Text only", "button: Yes", "button: No", "bot: Acting", "button: Go on"])
        #expect(try await client.click("Go on") == ["bot: onwards"])
    }

    @Test("a template error stops the flow with an error naming it; the thread stays usable")
    func templateError() async throws {
        let client = try bot(steps: "  - say: (@ flow.missing )\n", extra: ["flow/ok.yaml": "triggers:\n  - keyword: ok\nsteps:\n  - say: fine\n"])
        let lines = try await client.say("go")
        #expect(lines.count == 1)
        #expect(lines == ["error: flow `flow.main` step 0 (flow/main.yaml:4:5): template render error: 'flow.missing' is undefined"])
        #expect(try await client.say("ok") == ["bot: fine"])
    }
}
