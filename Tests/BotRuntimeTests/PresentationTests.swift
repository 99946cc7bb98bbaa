import BotRuntime
import BotTesting
import FlowDSL
import Foundation
import SharedTestFixtures
import Testing

/// Meya's composer, header and markdown (`meya/event/entry/interactive.py`,
/// `meya/component/element/interactive.py`, `meya/bot/element/element.py`): what a step's events
/// carry for a chat client, from the step, the event config steps and the bot (issue #20 item 3).
@Suite("Composer, header and markdown")
struct PresentationTests {
    @Test("a step's composer and header are laid over the config steps' field by field; markdown is the step's, else the config's, else the bot's")
    func mergedAsMeyaDoes() async throws {
        let client = try BotTestClient(files: [
            "bot/default.yaml": "type: meya.bot.element\nname: Returns Bot\nmarkdown: [linkify]\n",
            "flow/main.yaml": """
                triggers:
                  - keyword: go
                steps:
                  - say: plain https://example.com
                  - composer:
                      placeholder: Your order number
                      visibility: show
                  - header:
                      title: Returns
                      progress: 40
                      milestones: [Order, {text: Reason, current: true}, Label]
                      buttons:
                        - text: Help
                          url: https://example.com/help
                        - text: Restart
                          action: next
                  - markdown: true
                    scope: flow
                  - say: "**all set**"
                  - ask: Order?
                    composer:
                      visibility: hide
                      focus: blur
                    header:
                      title:
                        text: Step 2
                    markdown: false
                  - composer:
                  - header:
                  - say: back to (@ flow.result )
                """,
        ])
        let turn = try await client.turn(EventTypes.say, data: ["text": "go"])
        let first = try #require(turn.outputs.first)
        #expect(first.presentation == Presentation(markdown: ["linkify"]))
        let header: TemplateMap = [
            "title": .map(["text": "Returns"]), "progress": .map(["value": .double(40)]),
            "milestones": .list([.map(["text": "Order", "current": false]), .map(["text": "Reason", "current": true]),
                                 .map(["text": "Label", "current": false])]),
            "buttons": .list([.map(["text": "Help", "url": "https://example.com/help"])]),
        ]
        #expect(turn.outputs[1].presentation == Presentation(composer: ["placeholder": "Your order number", "visibility": "show"], header: header,
                                                             markdown: Presentation.markdownFeatures))
        var stepHeader = header
        stepHeader["title"] = .map(["text": "Step 2"])
        #expect(turn.outputs[2].presentation == Presentation(
            composer: ["focus": "blur", "visibility": "hide", "placeholder": "Your order number"], header: stepHeader))
        let answered = try await client.turn(EventTypes.say, data: ["text": "A-17"])
        // The config steps removed: the flow's markdown stays (its own config), the composer and header are gone.
        #expect(answered.outputs.map(\.presentation) == [Presentation(markdown: Presentation.markdownFeatures)])
        #expect(answered.plainLines == ["bot: back to A-17"])
    }

    @Test("events users do not see carry no presentation, and an app that sets none adds nothing to its events")
    func nothingUnasked() async throws {
        let client = try bot(steps: """
              - typing: on
              - say: hello
              - note: for agents
            """)
        let turn = try await client.turn(EventTypes.say, data: ["text": "go"])
        #expect(turn.outputs.allSatisfy { $0.presentation == nil && $0.data["composer"] == nil && $0.data["markdown"] == nil })
    }
}
