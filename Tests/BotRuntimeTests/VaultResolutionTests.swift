import BotRuntime
import FlowDSL
import Foundation
import SharedTestFixtures
import Testing
import Vault

@Suite("Vault values in the engine")
struct VaultResolutionTests {
    @Test("keygen, upload, and an integration's fields get the values; kept copies get placeholders")
    func roundTrip() async throws {
        let root = try TemporaryApp.write([
            "vault.yaml": "twilio.account_sid: xxx\ntwilio.key_secret: xxx\nsupport_phone: xxx\n",
            "integration/crm.yaml": """
                type: test.crm.integration
                account: (@ vault.twilio.account_sid )-(@ vault.twilio.key_secret | length )
                """,
            "flow/a.yaml": "triggers:\n  - keyword: call\nsteps:\n  - say: Call (@ vault.support_phone )\n  - thread_set:\n      phone: (@ vault.support_phone )\n",
        ], prefix: "parley-vault")
        defer { try? FileManager.default.removeItem(at: root) }
        let vault = AppVault(app: root, environment: [:])
        _ = try vault.keyring.generate(force: false)
        _ = try await vault.upload([("twilio.account_sid", .string("AC-PLANTED-1")), ("twilio.key_secret", .string("s3cret")),
                              ("support_phone", .string("+1-555-0100"))])

        var registry = ElementRegistry.standard
        registry.register(ElementSpec("test.crm.integration", kind: .integration, fields: [FieldSpec("account", .string)]))
        let result = AppLoader(registry: registry).load(root)
        let app = try #require(result.app, "\(result.diagnostics)")
        let engine = BotEngine(app: app, store: MemoryStore(),
                               vault: try await VaultSource(vault: vault, placeholders: app.vaultKeys.keys).load(), logger: TestLogs.logger("parley.runtime"))
        #expect(try engine.integrationSettings("integration.crm")["account"] == .string("AC-PLANTED-1-6"))

        let turn = try await engine.handle(Event(type: EventTypes.say, threadID: "t", userID: "u", data: ["text": .string("call")]))
        #expect(turn.plainLines == ["bot: Call +1-555-0100"], "the user is shown the value")
        let ledger = try await engine.events(thread: "t")
        #expect(ledger.compactMap(\.text) == ["call", "Call [vault.support_phone]"], "the ledger keeps the placeholder")
        #expect(try await engine.thread("t")?.scope["phone"] == .string("[vault.support_phone]"), "scopes keep the placeholder")
    }

    @Test("a retried delivery gets the first answer as it was shown, vault values included, while the ledger keeps placeholders",
          arguments: [false, true])
    func retriedAnswer(sqlite: Bool) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-retry-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let app = try #require(AppLoader().load(sources: [AppSource(path: "vault.yaml", text: "support.phone: xxx\n"),
                                                          AppSource(path: "flow/a.yaml", text: """
            triggers:
              - keyword: call
            steps:
              - ask: Call (@ vault.support.phone ) or write to [vault.not_a_key]
                buttons:
                  - text: Call (@ vault.support.phone )
                    result: call
            """)]).app)
        let store: any BotStore = sqlite ? try SQLiteStore(path: folder.appendingPathComponent("state.sqlite").path) : MemoryStore()
        let engine = BotEngine(app: app, store: store, vault: VaultScope(flat: ["support.phone": .string("+1-555-0100")]), logger: TestLogs.logger("parley.runtime"))
        let event = Event(type: EventTypes.say, threadID: "t", userID: "u", data: ["text": .string("call")], idempotencyKey: "m-1")
        let first = try await engine.handle(event)
        let again = try await engine.handle(event)
        #expect(again.isDuplicate)
        // Button labels show placeholders (they are kept as rendered for the ledger).
        #expect(first.plainLines == ["bot: Call +1-555-0100 or write to [vault.not_a_key]", "button: Call [vault.support.phone]"])
        #expect(again.plainLines == first.plainLines)
        #expect(try await engine.events(thread: "t").last?.text == "Call [vault.support.phone] or write to [vault.not_a_key]")
    }
}
