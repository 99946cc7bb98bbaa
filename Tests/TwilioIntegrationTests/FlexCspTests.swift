import BotRuntime
import FlowDSL
import Foundation
import SharedTestFixtures
import Testing
import TwilioIntegration

/// Meya's console-neutral agent steps (`meya.csp.component.session.agent.request`, `.end`) on
/// Flex: a Meya app moving to Flex from another console keeps them and changes only the
/// integration they name.
@Suite("Meya's agent steps on Flex")
struct FlexCspTests {
    static let flows = [
        "flow/handoff.yaml": """
            triggers:
              - keyword: agent
            steps:
              - user_set:
                  name: Ada Lovelace
              - type: meya.csp.component.session.agent
                say: Transferring you to a live agent...
                integration: integration.twilio.flex
                note: Asked about a refund.
                data:
                  Plan__c: gold
              - say: ok (@ flow.result.ok )
            """,
        "flow/bye.yaml": """
            triggers:
              - keyword: bye
                when: true
            steps:
              - type: meya.csp.component.session.end
                integration: integration.twilio.flex
              - say: back (@ flow.result.ok )
            """,
    ]

    @Test("an agent request says its text, then hands off as start_chat does (its note the reason, its data the task's attributes); a session end closes the chat")
    func requestThenEnd() async throws {
        try await FlexBot.with(files: Self.flows, conversation: TwilioFixtures.conversationSid) { bot in
            try await bot.startHandoff()
            let create = try #require(bot.fake.requests.first { $0.path == "/v1/Interactions" })
            let routing = try TemplateValue(jsonText: try #require(create.form["Routing"]))
            guard case .map(let top) = routing, case .map(let properties)? = top["properties"],
                  case .map(let attributes)? = properties["attributes"] else { throw FixtureError("no routing attributes") }
            #expect(attributes["handoffReason"] == .string("Asked about a refund."))
            #expect(attributes["Plan__c"] == .string("gold"))
            #expect(attributes["customerName"] == .string("Ada Lovelace"))
            let said = try await bot.ledger().filter { $0.sender == .bot && $0.type == EventTypes.say }.compactMap(\.text)
            #expect(said == ["Transferring you to a live agent...", "ok True"], "\(said)")

            try await bot.say("bye")
            try await bot.settle()
            #expect(try await bot.mode() == "bot")
            let after = try await bot.ledger().filter { $0.sender == .bot && $0.type == EventTypes.say }.compactMap(\.text)
            #expect(after.last == "back True", "\(after)")
        }
    }

    @Test("check: a step naming another vendor's integration is told what it is; Meya's timeout_flow is said not to run, with what to use instead")
    func checked() throws {
        let files = [
            "integration/twilio/flex.yaml": FlexBot.conversationsIntegration,
            "vault.yaml": FlexBot.vaultYAML,
            "config.yaml": "twilio:\n  api_base_url: http://127.0.0.1:1\n",
            "integration/salesforce.yaml": "type: meya.salesforce.live_agent.integration\n",
            "flow/a.yaml": """
                steps:
                  - type: meya.csp.component.session.agent.request
                    integration: integration.twilio.flex
                    timeout: 30
                    timeout_flow: flow.a
                  - type: meya.csp.component.session.end
                    integration: integration.salesforce
                """,
        ]
        let result = AppLoader(registry: FlexBot.registry).load(sources: files.map { AppSource(path: $0.key, text: $0.value) })
        let found = result.diagnostics.map { "\($0.position.file):\($0.position.line) \($0.severity.rawValue): \($0.message)" }
        #expect(found == [
            "flow/a.yaml:5 warning: Parley does not run `timeout_flow`: the Flex task waits in its queue until an agent takes it or its TaskRouter workflow's timeout cancels it",
            // A vendor's integration is named as what it is, not as an unknown id.
            "flow/a.yaml:7 error: integration `integration.salesforce` is a `meya.salesforce.live_agent.integration`, a type Parley does not have",
            "integration/salesforce.yaml:1 error: unknown element type `meya.salesforce.live_agent.integration`",
        ], "\(found)")
    }
}
