import BotRuntime
import BotTesting
import FlowDSL
import SharedTestFixtures
import Testing

@Suite("Triggers")
struct TriggerTests {
    static let files = [
        "flow/keyword.yaml": "triggers:\n  - keyword: Hello\nsteps:\n  - say: keyword (@ flow.result )\n",
        "flow/regex.yaml": "triggers:\n  - regex: ^order \\s (?P<n>\\d+)$\nsteps:\n  - say: order (@ flow.groups.n ) (@ flow.groups['0'] )\n",
        "flow/catchall.yaml": "triggers:\n  - catchall\nsteps:\n  - say: didn't get (@ flow.result )\n",
        "flow/page.yaml": "triggers:\n  - page_open\nsteps:\n  - say: welcome from (@ flow.result )\n",
        "flow/event.yaml": "triggers:\n  - event_type: meya.session.event.chat.open\nsteps:\n  - say: chat opened\n",
        "flow/command.yaml": "triggers:\n  - agent_command: verify\nsteps:\n  - say: verifying for (@ flow.event.data.text )\n",
        "flow/button.yaml": "triggers:\n  - button_id: menu.help\nsteps:\n  - say: help menu\n",
        "flow/when.yaml": "triggers:\n  - keyword: vip\n    when: (@ user.vip )\n  - keyword: vip\n    confidence: 0.5\n    action:\n      jump: nope\nsteps:\n  - say: welcome VIP\n  - end\n  - (nope)\n  - say: members only\n",
        "flow/setvip.yaml": "triggers:\n  - keyword: make me vip\nsteps:\n  - user_set:\n      vip: true\n",
    ]

    @Test("keyword (case-insensitive), regex (VERBOSE, groups), catchall last")
    func textTriggers() async throws {
        let client = try BotTestClient(files: Self.files, logger: TestLogs.logger("parley.runtime"))
        #expect(try await client.say("hello") == ["bot: keyword hello"])
        #expect(try await client.say("order 42") == ["bot: order 42 42"])
        #expect(try await client.say("what?") == ["bot: didn't get what?"])
    }

    @Test("page_open, event_type, agent_command, button_id")
    func eventTriggers() async throws {
        let client = try BotTestClient(files: Self.files, logger: TestLogs.logger("parley.runtime"))
        #expect(try await client.openPage(url: "https://example.com/help") == ["bot: welcome from https://example.com/help"])
        #expect(try await client.send(EventTypes.chatOpen) == ["bot: chat opened"])
        #expect(try await client.agent("/verify now") == ["bot: verifying for /verify now"])
        #expect(try await client.send(EventTypes.click, data: ["button_id": .string("menu.help")]) == ["bot: help menu"])
    }

    @Test("case-sensitive keywords, lifecycle_id, and app order between kinds at equal confidence")
    func exactKeywordsLifecycleAndOrder() async throws {
        let client = try BotTestClient(files: [
            "flow/a_regex.yaml": "triggers:\n  - regex: ^status$\nsteps:\n  - say: regex first\n",
            "flow/b_keyword.yaml": "triggers:\n  - keyword: status\n  - keyword: Exact\n    ignorecase: false\nsteps:\n  - say: keyword (@ flow.result )\n",
            "flow/c_lifecycle.yaml": "triggers:\n  - lifecycle_id: welcome\nsteps:\n  - say: lifecycle (@ flow.context.from )\n",
            "flow/d_catchall.yaml": "triggers:\n  - catchall\nsteps:\n  - say: caught (@ flow.result )\n",
        ], logger: TestLogs.logger("parley.runtime"))
        #expect(try await client.say("Status") == ["bot: regex first"], "the earlier file wins, whichever kind")
        #expect(try await client.say("  Exact ") == ["bot: keyword   Exact "])
        #expect(try await client.say("exact") == ["bot: caught exact"], "ignorecase: false keeps case")
        #expect(try await client.send("meya.lifecycle.event", data: ["lifecycle_id": .string("welcome"),
                                                                     "context": .map(["from": .string("home")])]) == ["bot: lifecycle home"])
    }

    @Test("when: gates a trigger; confidence ranks ties")
    func whenAndConfidence() async throws {
        let client = try BotTestClient(files: Self.files, logger: TestLogs.logger("parley.runtime"))
        #expect(try await client.say("vip") == ["bot: members only"])
        try await client.say("make me vip")
        #expect(try await client.say("vip") == ["bot: welcome VIP"])
    }

    @Test("a keyword beats an ask waiting for any text; the waiting ask's button beats a keyword")
    func tieBreaking() async throws {
        let client = try BotTestClient(files: [
            "flow/ask.yaml": "triggers:\n  - keyword: start\nsteps:\n  - ask: Name?\n  - say: hi (@ flow.result )\n",
            "flow/pick.yaml": "triggers:\n  - keyword: pick\nsteps:\n  - ask: Which?\n    buttons:\n      - text: start\n        result: the button\n  - say: picked (@ flow.result )\n",
        ], logger: TestLogs.logger("parley.runtime"))
        #expect(try await client.say("start") == ["bot: Name?"])
        #expect(try await client.say("start") == ["bot: Name?"], "the keyword restarts the flow")
        #expect(try await client.say("Ana") == ["bot: hi Ana"])
        try await client.say("pick")
        #expect(try await client.say("start") == ["bot: picked the button"], "the waiting step's button wins")
    }

    @Test("a new flow that waits replaces the waiting one; one that just runs leaves the question open")
    func replacement() async throws {
        let client = try BotTestClient(files: [
            "flow/name.yaml": "triggers:\n  - keyword: name\nsteps:\n  - ask: Name?\n  - say: name is (@ flow.result )\n",
            "flow/age.yaml": "triggers:\n  - keyword: age\nsteps:\n  - ask: Age?\n  - say: age is (@ flow.result )\n",
            "flow/help.yaml": "triggers:\n  - keyword: help\nsteps:\n  - say: I can ask your name or age.\n",
        ], logger: TestLogs.logger("parley.runtime"))
        try await client.say("name")
        #expect(try await client.say("help") == ["bot: I can ask your name or age."])
        #expect(try await client.say("Ana") == ["bot: name is Ana"], "the name question was still open")
        try await client.say("name")
        #expect(try await client.say("age") == ["bot: Age?"])
        #expect(try await client.say("30") == ["bot: age is 30"], "the age question replaced the name question")
        #expect(try await client.say("Bo") == [], "nothing is waiting any more and no trigger matches")
    }
}

@Suite("Agent mode")
struct AgentModeTests {
    static let files = [
        "flow/handoff.yaml": "triggers:\n  - keyword: agent\nsteps:\n  - mode: agent\n  - say: connecting you\n",
        "flow/hello.yaml": "triggers:\n  - keyword: hello\nsteps:\n  - say: hello from the bot\n",
        "flow/escape.yaml": "triggers:\n  - keyword: back to bot\n    when: true\nsteps:\n  - mode: bot\n  - say: the bot is back\n",
        "flow/status.yaml": "triggers:\n  - event_type: meya.session.event.chat.close\nsteps:\n  - status: chat closed (@ thread.mode )\n",
        "flow/ask.yaml": "triggers:\n  - keyword: ask\nsteps:\n  - ask: Question?\n  - say: got (@ flow.result )\n",
    ]

    @Test("ordinary triggers and ask answers are silent; when: true and event_type still fire")
    func silencing() async throws {
        let client = try BotTestClient(files: Self.files, logger: TestLogs.logger("parley.runtime"))
        try await client.say("ask")
        #expect(try await client.say("agent") == ["bot: connecting you"])
        #expect(try await client.say("hello") == [])
        #expect(try await client.say("an answer") == [], "the ask's catch-all is silent in agent mode")
        #expect(try await client.agent("Hi, I'm Sam", name: "Sam") == ["agent(Sam): Hi, I'm Sam"])
        #expect(try await client.send(EventTypes.chatClose) == ["status: chat closed agent"])
        #expect(try await client.say("back to bot") == ["bot: the bot is back"])
        #expect(try await client.say("hello") == ["bot: hello from the bot"])
    }

    @Test("user events in agent mode are filed as sensitive")
    func sensitive() async throws {
        let client = try BotTestClient(files: Self.files, logger: TestLogs.logger("parley.runtime"))
        try await client.say("agent")
        let result = try await client.turn(EventTypes.say, data: ["text": .string("private")])
        #expect(result.inbound.isSensitive)
    }
}
