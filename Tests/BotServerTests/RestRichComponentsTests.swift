import BotRuntime
import FlowDSL
import Foundation
import Testing

/// Tiles and forms over the REST channel: as text with buttons for Rasa's clients and whole under
/// `custom`; a form answered with `"form": {"id", "fields"}`, refused fields said by name.
@Suite("REST: tiles and forms")
struct RestRichComponentsTests {
    static let app: [String: String] = [
        "flow/shop.yaml": """
            triggers:
              - keyword: shop
            steps:
              - tiles:
                  - title: Console
                    description: 100 points
                    buttons: [{text: Order, result: console}]
              - page:
                  - type: email_address_input
                    label: Email
                    required: true
                  - choices: [Red, {text: Blue, value: b}]
              - say: (@ flow.result[0] ) likes (@ flow.result[1] )
            """,
    ]

    @Test("tiles answer as text and buttons with the cards under custom; a form is submitted whole, a refused field named")
    func tilesAndForm() async throws {
        try await LiveServer.with(files: Self.app) { server in
            let tiles = try await server.say("shop").json
            guard case .list(let messages) = tiles, case .map(let first)? = messages.first,
                  case .map(let custom)? = first["custom"], case .list(let cards)? = custom["tiles"] else {
                Issue.record("no tiles under custom: \(tiles)")
                return
            }
            #expect(first["text"] == "Console — 100 points")
            #expect(first["buttons"] == (try TemplateValue(jsonText: #"[{"title": "Order", "payload": "flow.shop.steps.0.tiles.0.buttons.0"}]"#)))
            #expect(TemplateValue.list(cards) == (try TemplateValue(jsonText: """
                [{"title": "Console", "description": "100 points", "buttons": [{"text": "Order", "button_id": "flow.shop.steps.0.tiles.0.buttons.0"}]}]
                """)))

            let asked = try await server.post(#"{"sender": "ana", "button": "flow.shop.steps.0.tiles.0.buttons.0"}"#).json
            guard case .list(let formMessages) = asked, case .map(let message)? = formMessages.first, case .map(let formCustom)? = message["custom"],
                  case .map(let form)? = formCustom["form"], case .string(let id)? = form["form_id"] else {
                Issue.record("no form under custom: \(asked)")
                return
            }
            #expect(message["text"] == "Email")
            #expect(form["fields"] == (try TemplateValue(jsonText: """
                [{"name": "0", "type": "email", "required": true, "label": "Email"},
                 {"name": "1", "type": "choice", "required": false, "options": [{"text": "Red"}, {"text": "Blue"}]}]
                """)))

            let refused = try await server.post(#"{"sender": "ana", "form": {"id": "\#(id)", "fields": {"0": "ana@", "1": "Blue"}}}"#)
            #expect(try refused.json == TemplateValue(jsonText: """
                [{"recipient_id": "ana", "text": "Please enter a valid email address.",
                  "custom": {"form_id": "\(id)", "errors": {"0": "Please enter a valid email address."}}}]
                """))
            let taken = try await server.post(#"{"sender": "ana", "form": {"id": "\#(id)", "fields": {"0": "ana@example.com", "1": "Blue"}}}"#)
            #expect(try taken.json == TemplateValue(jsonText: """
                [{"recipient_id": "ana", "custom": {"form_id": "\(id)", "errors": {}}}, {"recipient_id": "ana", "text": "ana@example.com likes b"}]
                """))

            let malformed = try await server.post(#"{"sender": "ana", "form": {"fields": {}}}"#)
            #expect(malformed.status == 400 && malformed.error == "`form.id` must be the form's id (its `form_id`)", "\(malformed.body)")
        }
    }
}
