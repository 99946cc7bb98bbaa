import BotRuntime
import BotTesting
import FlowDSL
import Foundation
import SharedTestFixtures
import Testing

/// Meya's small utility elements (`meya/util`, `meya/file/component/load.py`,
/// `meya/time/component/availability.py`, `meya/orb/component`), each from the smallest app that
/// uses it as public Meya apps do (issue #20). Meya's SDK is the reference for each expectation.
@Suite("Meya utility steps")
struct MeyaUtilityTests {
    @Test("`echo` says the text its flow's trigger matched; `random_hex` is a version 4 UUID's 32 hex digits; `split_name` splits at the first space")
    func textUtilities() async throws {
        let client = try BotTestClient(files: [
            "flow/echo.yaml": """
                triggers:
                  - regex: ^.*echo.*$
                steps:
                  - echo
                  - say: 'again: (@ flow.result )'
                """,
            "flow/hex.yaml": """
                triggers:
                  - keyword: _hex
                steps:
                  - type: meya.util.text.component.random_hex
                  - say: hex=(@ flow.result )
                """,
            "flow/name.yaml": """
                triggers:
                  - keyword: _split_name
                steps:
                  - ask: What's your name?
                  - type: meya.util.text.component.split_name
                    name: (@ flow.result )
                  - say: first=(@ flow.result.first_name ) last=(@ flow.result.last_name )
                """,
        ], options: EngineOptions(realDelays: false, random: { $0 - 1 }))
        #expect(try await client.say("please echo this") == ["bot: please echo this", "bot: again: please echo this"])
        // The engine's randomness gives every digit its largest value: the version and variant digits stay UUID v4's.
        #expect(try await client.say("_hex") == ["bot: hex=ffffffffffff4fffbfffffffffffffff"])
        try await client.say("_split_name")
        #expect(try await client.say("Ana Maria da Silva") == ["bot: first=Ana last=Maria da Silva"])
        try await client.say("_split_name")
        #expect(try await client.say("Cher") == ["bot: first=Cher last="])
    }

    @Test("`ping` starts its flow when a message's first word is `_ping` (options may follow); `pong` says the milliseconds since that message arrived")
    func pingPong() async throws {
        let arrived = Date(timeIntervalSince1970: 1_800_000_000)
        let client = try BotTestClient(files: [
            "flow/latency.yaml": "triggers:\n  - ping\nsteps:\n  - pong\n",
            "flow/other.yaml": "triggers:\n  - catchall\nsteps:\n  - say: not a ping\n",
        ], options: EngineOptions(realDelays: false, clock: { arrived.addingTimeInterval(0.0123) }))
        let engine = client.engine
        for text in ["_ping", "_ping benchmark"] {
            let turn = try await engine.handle(Event(type: EventTypes.say, threadID: "t-\(text)", userID: "u", data: ["text": .string(text)],
                                                     time: arrived))
            #expect(turn.plainLines == ["bot: _pong 12.3ms"], "\(text): \(turn.plainLines)")
        }
        #expect(try await client.say("say _ping") == ["bot: not a ping"])
        #expect(try await client.say("_PING") == ["bot: not a ping"])
    }

    @Test("business hours: `flow.ok` is whether now, in the step's time zone, falls inside that weekday's slots; a closed day is false")
    func availability() async throws {
        let steps = """
            triggers:
              - keyword: open?
            steps:
              - type: meya.time.component.availability
                timezone: America/Toronto
                mon: 9-17
                tue: 9-12, 13-16:30
              - say: (@ flow.ok )
            """
        // (UTC instant, what Toronto's clock says): Monday 2026-12-07 09:30 EST; Tuesday 12:30 (the lunch gap) and
        // 16:29; Tuesday 23:30 EST, already Wednesday in UTC (Meya would read Wednesday's hours); a Sunday.
        let cases: [(String, String)] = [
            ("2026-12-07T14:30:00Z", "True"), ("2026-12-07T13:59:00Z", "False"), ("2026-12-08T17:30:00Z", "False"),
            ("2026-12-08T21:29:00Z", "True"), ("2026-12-09T04:30:00Z", "False"), ("2026-12-13T15:00:00Z", "False"),
        ]
        for (instant, open) in cases {
            let now = try #require(ISO8601DateFormatter().date(from: instant))
            let client = try BotTestClient(files: ["flow/hours.yaml": steps], options: EngineOptions(realDelays: false, clock: { now }))
            #expect(try await client.say("open?") == ["bot: \(open)"], "\(instant)")
        }
        let wrong = MeyaCompatibilityTests.errors(["flow/hours.yaml": """
            steps:
              - type: meya.time.component.availability
                timezone: Mars/Olympus
                mon: 17-9
                tue: nine to five
            """])
        #expect(wrong == [
            "flow/hours.yaml:3: unknown time zone `Mars/Olympus`",
            "flow/hours.yaml:4: `mon`: `17` must be earlier than `9`",
            "flow/hours.yaml:5: `tue`: `nine to five` is not hours such as `9-17` or `13-16:30`",
        ], "\(wrong)")
    }

    @Test("`file_path:` reads a text file of the app into `flow.result`, rendered with `template: true`; paths outside the app, hidden or the vault's are refused by check and at run time")
    func fileLoad() async throws {
        let root = try TemporaryApp.write([
            "flow/load.yaml": """
                triggers:
                  - keyword: load
                steps:
                  - file_path: ./template/plain.txt
                  - say: (@ flow.result )
                  - file_path: template/card.txt
                    template: true
                    template_context:
                      name: Ana
                      items: [tea, cake]
                  - say: (@ flow.result )
                  - flow_set:
                      emoji: ⛈
                  - file_path: template/flow.txt
                    template: true
                  - say: (@ flow.result )
                """,
            "flow/any.yaml": """
                triggers:
                  - regex: ^read (?P<path>.+)$
                steps:
                  - file_path: (@ flow.groups.path )
                  - say: (@ flow.result )
                """,
            "template/plain.txt": "Plain (@ not rendered )",
            "template/card.txt": "Hi (@ name ), (@ items | join(', ') )",
            "template/flow.txt": "Weather: (@ flow.emoji )",
            "vault.secret.yaml": "api_key: s3cret-value\n",
            ".parley/keys": "k3y-material",
        ], prefix: "parley-file-load")
        defer { try? FileManager.default.removeItem(at: root) }
        // A link inside the app to a file outside it.
        let outside = root.deletingLastPathComponent().appendingPathComponent("parley-outside-\(UUID().uuidString).txt")
        try "0utside-c0ntent".write(to: outside, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: outside) }
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("template/escape.txt").path, withDestinationPath: outside.path)
        // And a link inside the app to its vault's secrets.
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("template/secrets.txt").path,
                                                   withDestinationPath: root.appendingPathComponent("vault.secret.yaml").path)
        let loaded = AppLoader(registry: .standard).load(root)
        let app = try #require(loaded.app, "\(loaded.diagnostics)")
        let client = BotTestClient(engine: BotEngine(app: app, store: MemoryStore(), options: EngineOptions(realDelays: false),
                                                     logger: TestLogs.logger("parley.runtime")))
        #expect(try await client.say("load") == ["bot: Plain (@ not rendered )", "bot: Hi Ana, tea, cake", "bot: Weather: ⛈"])
        for path in ["../outside.txt", "vault.secret.yaml", ".parley/keys", "/etc/hostname", "template/missing.txt", "template",
                     "template/escape.txt", "template/secrets.txt"] {
            let shown = try await client.say("read \(path)")
            #expect(shown.count == 1 && shown[0].hasPrefix("error:") && shown[0].contains("`\(path)`"), "\(path): \(shown)")
            #expect(!["s3cret-value", "k3y-material", "0utside-c0ntent"].contains { shown.joined().contains($0) }, "\(shown)")
        }

        try "steps:\n  - file_path: ../x.txt\n  - file_path: vault.secret.yaml\n  - file_path: template/nope.txt\n"
            .write(to: root.appendingPathComponent("flow/bad.yaml"), atomically: true, encoding: .utf8)
        let checked = AppLoader(registry: .standard).load(root).diagnostics.filter { $0.severity == .error }.map { "\($0.position.line): \($0.message)" }
        #expect(checked == [
            "2: `../x.txt` leads outside the app's folder",
            "3: `vault.secret.yaml` is the vault's file, which flows may not read",
            "4: `template/nope.txt` is not a file of the app",
        ], "\(checked)")
    }

    @Test("the Orb's `hero:` is a message (title, then description) with its quick replies; `continue_screen` / `end_screen` file their events; an image with quick replies waits for them")
    func orbSteps() async throws {
        let client = try bot(steps: """
              - continue_screen
              - hero: How can we help you?
                description: Pick one
                quick_replies:
                  - text: Returns
                    action:
                      jump: returns
              - (returns)
              - image: https://example.com/returns.png
                alt: A box
                quick_replies:
                  - text: Done
                    action:
                      jump: done
              - say: not clicked
              - (done)
              - end_screen
              - say: bye
            """)
        let first = try await client.turn(EventTypes.say, data: ["text": "go"])
        #expect(first.outputs.map(\.type) == ["meya.orb.event.screen.continue", "meya.orb.event.hero"])
        #expect(first.plainLines == ["bot: How can we help you?\nPick one", "button: Returns"], "\(first.plainLines)")
        #expect(try await client.click("Returns") == ["image: https://example.com/returns.png (A box)", "button: Done"])
        #expect(try await client.click("Done") == ["bot: bye"])
        let ledger = try await client.engine.events(thread: client.threadID).filter { $0.sender == .bot }.map(\.type)
        #expect(ledger.suffix(2) == ["meya.orb.event.screen.end", EventTypes.say], "\(ledger)")
    }

    @Test("`track:`, `lifecycle:` and `identify:` publish an event that starts the flows whose triggers wait for it, in a turn of its own after the step's")
    func publishedEvents() async throws {
        let client = try BotTestClient(files: [
            "flow/update.yaml": """
                triggers:
                  - keyword: solved
                steps:
                  - track: ticket_solved
                    data:
                      ticket: (@ 41 + 1 )
                  - lifecycle: flow.survey
                    text: after the ticket
                  - identify:
                      email: ana@example.com
                  - say: noted
                """,
            "flow/solved.yaml": """
                triggers:
                  - event_type: meya.analytics.event.track
                    when: (@ event.data.get("event") == "ticket_solved" )
                steps:
                  - say: ticket (@ event.data.data.ticket ) solved
                """,
            "flow/ignored.yaml": """
                triggers:
                  - event_type: meya.analytics.event.track
                    when: (@ event.data.get("event") == "ticket_opened" )
                steps:
                  - say: wrong event
                """,
            "flow/survey.yaml": "triggers:\n  - lifecycle_id: flow.survey\nsteps:\n  - say: survey (@ event.data.text )\n",
            "flow/who.yaml": "triggers:\n  - event_type: meya.analytics.event.identify\nsteps:\n  - user_set:\n      email: (@ event.data.data.email )\n",
        ], logger: TestLogs.logger("parley.runtime"))
        try await client.engine.resumeOutbox()
        #expect(try await client.say("solved") == ["bot: noted"])
        let said = { @Sendable in try await client.engine.events(thread: client.threadID).flatMap(\.plainLines) }
        #expect(await OutboxTimerTests.eventually {
            let lines = try await said()
            return lines.contains("bot: ticket 42 solved") && lines.contains("bot: survey after the ticket")
        })
        #expect(await OutboxTimerTests.eventually { try await client.userScope()["email"] == .string("ana@example.com") })
        let published = try await client.engine.events(thread: client.threadID).filter { $0.sender == .system }.map(\.type)
        #expect(Set(published) == [EventTypes.track, EventTypes.lifecycle, EventTypes.identify] && published.count == 3, "\(published)")
        let lines = try await said()
        #expect(!lines.contains("bot: wrong event"), "\(lines)")
        await client.engine.stop()
    }

    @Test("a flow that publishes what starts it stops at the chain limit with an error, instead of running turns forever")
    func endlessChainStops() async throws {
        let client = try BotTestClient(files: [
            "flow/loop.yaml": """
                triggers:
                  - keyword: go
                  - lifecycle_id: again
                steps:
                  - user_set:
                      rounds: (@ (user.rounds or 0) + 1 )
                  - lifecycle: again
                """,
        ], logger: TestLogs.logger("parley.runtime"))
        try await client.engine.resumeOutbox()
        try await client.say("go")
        let limit = ComponentContext.maxPublishedChain
        #expect(await OutboxTimerTests.eventually {
            try await client.engine.events(thread: client.threadID).contains { $0.type == EventTypes.error }
        })
        let errors = try await client.engine.events(thread: client.threadID).filter { $0.type == EventTypes.error }.compactMap(\.text)
        #expect(errors.count == 1 && errors[0].contains("published events started one another \(limit) turns in a row"), "\(errors)")
        // The first turn and `limit` published ones ran; the error stopped the next, and nothing is left to fire.
        #expect(try await client.userScope()["rounds"] == .int(limit + 1))
        #expect(try await client.engine.store.nextTimerDue() == nil)
        await client.engine.stop()
    }

    @Test("read and delivery receipts are event types flows may react to")
    func receiptEvents() async throws {
        let client = try BotTestClient(files: [
            "flow/read.yaml": "triggers:\n  - event_type: meya.presence.event.receipt.read\nsteps:\n  - thread_set:\n      read: true\n",
        ])
        try await client.send("meya.presence.event.receipt.read")
        #expect(try await client.threadScope()["read"] == .bool(true))
    }
}
