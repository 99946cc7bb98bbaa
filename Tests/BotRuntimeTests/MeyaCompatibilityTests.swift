import BotRuntime
import BotTesting
import FlowDSL
import Foundation
import SharedTestFixtures
import Testing
import Vault

/// Valid Meya that Parley rejected or ran differently, each written as the smallest app that
/// shows it (issue #20 item 1; measured on public Meya apps). Meya's SDK
/// (`meya-customers/meya-sdk`) is the reference for each expectation.
@Suite("Meya compatibility")
struct MeyaCompatibilityTests {
    /// What `botcli check` reports for `files`: the errors' texts, `file:line: message`.
    static func errors(_ files: [String: String]) -> [String] {
        AppLoader(registry: .standard).load(sources: files.map { AppSource(path: $0.key, text: $0.value) }).diagnostics
            .filter { $0.severity == .error }.map { "\($0.position.file):\($0.position.line): \($0.message)" }
    }

    @Test("null is valid for Meya's optional signature fields: `say:` and `ask:` with no text show only their quick replies, `- mode:` is back to bot mode, `event_user_id:` none is the bot again")
    func nullSignatureFields() async throws {
        let client = try bot(steps: """
              - mode: agent
              - say:
                quick_replies:
                  - text: One
              - mode:
              - say: mode (@ thread.mode )
              - event_user_id:
              - ask:
                quick_replies: [Yes, No]
              - say: got (@ flow.result )
            """)
        #expect(try await client.say("go") == ["button: One", "bot: mode bot", "button: Yes", "button: No"])
        #expect(try await client.say("Yes") == ["bot: got Yes"])
        #expect(try await client.threadScope()["mode"] == .string("bot"))
    }

    @Test("`status` is interactive as in Meya: with quick replies it is a status step (not ambiguous with quick_replies) and a reply's action runs")
    func statusWithQuickReplies() async throws {
        let client = try bot(steps: """
              - status: Looking it up…
                quick_replies:
                  - text: Cancel
                    action:
                      jump: cancel
              - say: found
              - end
              - (cancel)
              - say: canceled
            """)
        let shown = try await client.say("go")
        #expect(shown == ["status: Looking it up…", "button: Cancel"], "\(shown)")
        let clicked = try await client.click("Cancel")
        #expect(clicked == ["bot: canceled"], "\(clicked)")
    }

    @Test("an explicit `type:` does not need the signature fields Meya defaults (`ask_form`, `expect`); `retries: .inf` asks until the answer is valid")
    func explicitTypeAndInfiniteRetries() async throws {
        let client = try bot(steps: """
              - type: meya.email.component.address.ask.form
                retries: .inf
                error_message: That's not an email address.
              - say: thanks, (@ flow.result )
            """)
        try await client.say("go")
        for _ in 0..<4 { #expect(try await client.say("nope") == ["bot: That's not an email address."]) }
        #expect(try await client.say("ana@example.com") == ["bot: thanks, ana@example.com"])
        #expect(Self.errors(["flow/main.yaml": "steps:\n  - type: meya.text.component.ask.form\n"]).isEmpty)
    }

    @Test("Python regex group names with `_` (which ICU forbids) work in triggers, `ask` + `regex` and `match`; unnamed groups are `flow.groups[0]`")
    func regexGroupNames() async throws {
        let client = try BotTestClient(files: [
            "flow/name.yaml": """
                triggers:
                  - regex: my\\ name\\ is\\ (?P<first_name>\\w+)\\ (\\w+)
                steps:
                  - say: (@ flow.groups.first_name ) / (@ flow.groups[0] ) / (@ flow.groups[1] )
                  - ask: Order?
                    regex: ^(?P<order_id>\\d+)$
                  - say: order (@ flow.groups.order_id )
                  - match:
                      (?P<some_word>\\w+)\\ (?P=some_word): {jump: twice}
                    value: bye bye
                  - end
                  - (twice)
                  - say: twice (@ flow.groups.some_word )
                """,
        ], logger: TestLogs.logger("parley.runtime"))
        let named = try await client.say("my name is Ada Lovelace")
        #expect(named == ["bot: Ada / Ada / Lovelace", "bot: Order?"], "\(named)")
        let order = try await client.say("1234")
        #expect(order == ["bot: order 1234", "bot: twice bye"], "\(order)")
    }

    @Test("a typed trigger (`type: page_open`) may carry `action: {data: …}` without `jump:`")
    func typedTriggerActionData() async throws {
        let client = try BotTestClient(files: [
            "flow/open.yaml": """
                triggers:
                  - type: meya.session.trigger.page.open
                    action:
                      data:
                        source: page
                steps:
                  - say: opened from (@ flow.source )
                """,
        ], logger: TestLogs.logger("parley.runtime"))
        #expect(try await client.openPage() == ["bot: opened from page"])
    }

    @Test("`jump:` and `flow:` references are stripped as Meya strips them, written or rendered by a folded template")
    func strippedReferences() async throws {
        let client = try bot(steps: """
              - jump: "  middle "
              - say: skipped
              - (middle)
              - flow_set:
                  target: second
              - jump: >
                  (@ flow.target )
              - say: skipped too
              - (second)
              - flow: " flow.other "
            """, extra: ["flow/other.yaml": "steps:\n  - say: in other\n"])
        #expect(try await client.say("go") == ["bot: in other"])
    }

    @Test("Meya's enum helpers: `thread.mode.bot` and `event_user.type.user` are whether the value is that word")
    func enumHelpers() async throws {
        let client = try bot(steps: """
              - say: (@ thread.mode.bot ) (@ thread.mode.agent ) (@ event_user.type.user ) (@ event_user.type.bot )
              - mode: agent
              - say: (@ thread.mode.agent )
            """)
        #expect(try await client.say("go") == ["bot: True False True False", "bot: True"])
    }

    @Test("Meya's type name meya.event.component.config.event_user_id is a step (Parley's earlier name stays an alias); schema fields Meya has are accepted")
    func typeNamesAndSchemaGaps() {
        let errors = Self.errors(["flow/main.yaml": """
            triggers:
              - button_id: b1
                text: Go
            steps:
              - type: meya.event.component.config.event_user_id
                event_user_id: agent-7
              - type: meya.event.component.config.user
                event_user_id: agent-7
              - ask: Email?
                expect: email_address
                catchall: true
              - ask: Code?
                regex: \\d+
                catchall: true
              - ask: Pick
                buttons: [A, B]
                error_message: Pick A or B.
              - match:
                  yes: next
                ignorecase: true
            """])
        #expect(errors.isEmpty, "\(errors)")
    }

    @Test("did-you-mean offers a step of the same vendor or product only: none for a Meya integration Parley does not have")
    func didYouMeanSameVendor() {
        let diagnostics = AppLoader(registry: .standard).load(sources: [
            AppSource(path: "flow/main.yaml", text: "steps:\n  - type: meya.mailgun.component.send\n"),
        ]).diagnostics
        #expect(diagnostics.count == 1 && diagnostics.first?.hint == nil, "\(diagnostics.map(\.hint))")
        let typo = AppLoader(registry: .standard).load(sources: [
            AppSource(path: "flow/main.yaml", text: "steps:\n  - type: meya.text.component.sey\n"),
        ]).diagnostics
        #expect(typo.first?.hint?.contains("meya.text.component.say") == true, "\(typo.map(\.hint))")
    }

    @Test("Meya's configuration-only integrations load with any fields and one warning each saying what Parley does instead")
    func inertIntegrations() {
        let result = AppLoader(registry: .standard).load(sources: [
            AppSource(path: "integration/orb.yaml", text: "type: meya.orb.integration\nlogo: https://example.com/logo.png\n"),
            AppSource(path: "integration/db.yaml", text: "type: meya.db.integration\n"),
            AppSource(path: "integration/sensitive_data.yaml", text: "type: meya.sensitive_data.integration\n"),
            AppSource(path: "integration/webhook.yaml", text: "type: meya.webhook.integration\nurl: https://example.com/hook\n"),
            AppSource(path: "flow/main.yaml", text: "steps:\n  - say: hi\n"),
        ])
        #expect(result.app != nil && !result.diagnostics.contains { $0.severity == .error }, "\(result.diagnostics)")
        let warnings = result.diagnostics.filter { $0.severity == .warning }
        #expect(warnings.count == 4, "\(warnings)")
        #expect(warnings.first { $0.position.file == "integration/orb.yaml" }?.message
                == "`meya.orb.integration` is Meya configuration that Parley accepts and does nothing with: Parley's chat page (/chat) is the web channel")
    }

    @Test("open_chat and close_chat file Meya's chat open and close events")
    func openAndCloseChat() async throws {
        let client = try bot(steps: """
              - open_chat
              - type: meya.session.component.chat.close
              - say: done
            """)
        let turn = try await client.turn(EventTypes.say, data: ["text": "go"])
        #expect(turn.outputs.map(\.type) == [EventTypes.chatOpen, EventTypes.chatClose, EventTypes.say])
    }

    @Test("a trigger in a file of its own (Meya's trigger element) starts the flow its action names, at its label")
    func standaloneTrigger() async throws {
        let client = try BotTestClient(files: [
            "triggers/transfer.yaml": """
                keyword: transfer
                ignorecase: true
                action:
                  flow: flow.warranty
                  jump: transfer
                """,
            "flow/warranty.yaml": "steps:\n  - say: warranty\n  - (transfer)\n  - say: transferring\n",
        ], logger: TestLogs.logger("parley.runtime"))
        let said = try await client.say("TRANSFER")
        #expect(said == ["bot: transferring"], "\(said)")
        let unknown = Self.errors(["triggers/x.yaml": "keyword: x\naction:\n  flow: flow.nowhere\n"])
        #expect(unknown.contains { $0.contains("unknown flow `flow.nowhere`") }, "\(unknown)")
        let noFlow = Self.errors(["triggers/x.yaml": "keyword: x\n", "flow/a.yaml": "steps:\n  - end\n"])
        #expect(noFlow.contains { $0.contains("needs `action: {flow: flow.NAME}`") }, "\(noFlow)")
    }

    @Test("a quick reply with only text makes no trigger: typing or clicking it goes to the flow triggers, not to the waiting step")
    func textOnlyQuickReply() async throws {
        let client = try bot(steps: """
              - say: Anything else?
                quick_replies:
                  - text: Talk to a person
                    action:
                      jump: person
                  - text: Help
              - say: continued
              - end
              - (person)
              - say: a person then
            """, extra: ["flow/help.yaml": "triggers:\n  - keyword: help\nsteps:\n  - say: Here is the help.\n"])
        #expect(try await client.say("go") == ["bot: Anything else?", "button: Talk to a person", "button: Help"])
        let help = try await client.say("Help")
        #expect(help == ["bot: Here is the help."], "\(help)")
        let person = try await client.click("Talk to a person")
        #expect(person == ["bot: a person then"], "\(person)")
    }

    @Test("a `when:` that does not render skips its trigger and says so: logged, and in the turn's warnings")
    func whenThatFails() async throws {
        let client = try BotTestClient(files: [
            "flow/vip.yaml": "triggers:\n  - keyword: hi\n    when: (@ flow.customer.tier == 'vip' )\nsteps:\n  - say: VIP\n",
            "flow/hello.yaml": "triggers:\n  - keyword: hi\nsteps:\n  - say: Hello!\n",
        ], logger: TestLogs.logger("parley.runtime"))
        let turn = try await client.turn(EventTypes.say, data: ["text": "hi"])
        #expect(turn.plainLines == ["bot: Hello!"])
        #expect(turn.warnings.count == 1 && turn.warnings.first?.contains("flow/vip.yaml:2:5") == true, "\(turn.warnings)")
    }

    @Test("a step Parley does not have is named once by its own key (Meya's Dialogflow ask: `ask:` with `language:`), not as an unknown field of the step whose key it shares; a misspelled field is still one")
    func unknownStepNamedByItsKey() {
        let errors = Self.errors(["flow/main.yaml": """
            steps:
              - ask: What can I do for you?
                language: en
                integration: integration.dialogflow
              - ask: Name?
                quick_replise: [Ana]
            """])
        #expect(errors == [
            "flow/main.yaml:3: unknown step `language:` (here with `ask:`): Parley has no step that takes `language`",
            "flow/main.yaml:6: unknown field `quick_replise` in `ask` step",
        ], "\(errors)")
    }

    @Test("the `*_sensitive` filters: a value sealed with the app's vault key is kept sealed in the scopes, shown to the user, `[redacted]` in the ledger")
    func sensitiveFilters() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("parley-sensitive-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let files = ["flow/card.yaml": """
            triggers:
              - keyword: go
            steps:
              - ask: Your card?
              - user_set:
                  card: (@ flow.result | encrypt_sensitive )
              - say: Card (@ user.card ), (@ user.card | redact_sensitive ), (@ "plain" | try_decrypt_sensitive ), (@ user.card | decrypt_sensitive )
            """]
        let app = try #require(AppLoader(registry: .standard).load(sources: files.map { AppSource(path: $0.key, text: $0.value) }).app)
        let vault = AppVault(app: root, environment: [:])
        _ = try vault.keyring.generate(force: false)
        let engine = BotEngine(app: app, store: MemoryStore(), vault: try await VaultSource(vault: vault).load(),
                               logger: TestLogs.logger("parley.runtime"))
        func say(_ text: String) async throws -> TurnResult {
            try await engine.handle(Event(type: EventTypes.say, threadID: "t", userID: "u", data: ["text": .string(text)]))
        }
        _ = try await say("go")
        #expect(try await say("4242 4242").plainLines == ["bot: Card 4242 4242, [redacted], plain, 4242 4242"])
        let ledger = try await engine.events(thread: "t")
        #expect(ledger.last?.text == "Card [redacted], [redacted], plain, [redacted]")
        let card = try await engine.userScope("u")["card"]?.pythonString ?? ""
        #expect(card.hasPrefix("[sensitive:") && !card.contains("4242"), "\(card)")

        // Without a vault key pair the filter says what it needs.
        let keyless = BotEngine(app: app, store: MemoryStore(), logger: TestLogs.logger("parley.runtime"))
        _ = try await keyless.handle(Event(type: EventTypes.say, threadID: "k", userID: "u", data: ["text": "go"]))
        let failed = try await keyless.handle(Event(type: EventTypes.say, threadID: "k", userID: "u", data: ["text": "4242"]))
        #expect(failed.plainLines.first?.contains("encrypt_sensitive needs the app's vault key") == true, "\(failed.plainLines)")
    }

    @Test("Meya's Orb widget settings (`orb_header:`, `orb_launcher:` …) load with one warning each and are kept on the thread, as Meya keeps them")
    func orbSettings() async throws {
        let files = ["flow/main.yaml": """
            triggers:
              - keyword: go
            steps:
              - orb_header:
                  title: {text: Support}
              - orb_launcher:
              - say: (@ thread.orb_header.title.text )
            """]
        let result = AppLoader(registry: .standard).load(sources: files.map { AppSource(path: $0.key, text: $0.value) })
        #expect(!result.diagnostics.contains { $0.severity == .error }, "\(result.diagnostics)")
        #expect(result.diagnostics.filter { $0.severity == .warning }.map(\.message) == [
            "`meya.orb.component.config.header` is Meya configuration that Parley accepts and does nothing with: Parley's chat page does not read Meya's Orb settings; the value is kept as `thread.orb_header`",
            "`meya.orb.component.config.launcher` is Meya configuration that Parley accepts and does nothing with: Parley's chat page does not read Meya's Orb settings; the value is kept as `thread.orb_launcher`",
        ])
        let client = try BotTestClient(files: files, logger: TestLogs.logger("parley.runtime"))
        #expect(try await client.say("go") == ["bot: Support"])
        #expect(try await client.threadScope()["orb_header"] == .map(["title": .map(["text": "Support"])]))
    }

    @Test("Meya's event config steps (`header:`, `composer:`, `markdown:`) are steps, kept where Meya keeps them: the thread's event_header …, or the flow's")
    func eventConfigSteps() async throws {
        let client = try bot(steps: """
              - header:
                  title: Support
                  buttons: [{text: Restart}]
              - composer:
                  visibility: hide
                scope: flow
              - markdown: true
              - say: (@ thread.event_header.title ) (@ flow.event_composer.visibility ) (@ thread.event_markdown )
              - header:
              - say: header (@ thread.event_header )
            """)
        let shown = try await client.say("go")
        #expect(shown == ["bot: Support hide True", "bot: header None"], "\(shown)")
    }

    @Test("Meya's image step shows an image (`meya.image.event`): the simulator's line names its URL and alternative text, after the caption")
    func imageStep() async throws {
        let client = try bot(steps: """
              - image: https://example.com/(@ flow.name | default('logo') ).png
                alt: The logo
                text: Our logo
            """)
        let turn = try await client.turn(EventTypes.say, data: ["text": "go"])
        #expect(turn.plainLines == ["bot: Our logo", "image: https://example.com/logo.png (The logo)"], "\(turn.plainLines)")
        #expect(turn.outputs.first?.type == "meya.image.event" && turn.outputs.first?.data["alt"] == .string("The logo"))
    }
}
