import BotRuntime
import BotTesting
import FlowDSL
import Foundation
import SharedTestFixtures
import Testing

/// Meya's rich components through the engine (issue #20 item 3): tiles, ratings, forms (a page
/// of fields, or one field alone) and info, as Meya's SDK runs them (`meya/tile`,
/// `meya/widget`, `meya/form`, `meya/text/component/input`), shown in the plain form every
/// text channel starts from.
@Suite("Meya rich components")
struct RichComponentTests {
    /// Sends a form's answers, by field name, to the form the last turn showed.
    static func submit(_ client: BotTestClient, form: String, _ fields: TemplateMap) async throws -> TurnResult {
        try await client.turn(EventTypes.formSubmit, data: ["form_id": .string(form), "fields": .map(fields)])
    }

    static func formID(_ result: TurnResult) throws -> String {
        let form = try #require(result.outputs.first { $0.type == EventTypes.formAsk }?.formView)
        return form.id
    }

    @Test("tiles show cards (rows, image, buttons); a tile button's or a whole tile's result is flow.result, by click or by its text")
    func tiles() async throws {
        let client = try bot(steps: """
              - ask: Pick a prize
                tiles:
                  - title: Console
                    description: 100,000 points
                    image: {url: https://example.com/c.png, alt: a console}
                    rows: [[{cell: Stock, value: 3}]]
                    buttons:
                      - text: Order
                        result: {sku: console}
                      - text: Details
                        url: https://example.com/c
                  - description: Skip
                    result:
                button_style: radio
                layout: row
              - say: chose (@ flow.result )
            """)
        #expect(try await client.say("go") == ["bot: Pick a prize", "tile: Console — 100,000 points", "row: Stock: 3",
                                               "image: https://example.com/c.png (a console)", "button: Order", "button: Details",
                                               "tile: Skip", "button: Skip"])
        #expect(try await client.click("Order") == ["bot: chose {'sku': 'console'}"])
        _ = try await client.say("go")
        #expect(try await client.click("Skip") == ["bot: chose None"], "a tile with `result:` none is a button itself")
        _ = try await client.say("go")
        #expect(try await client.say("order") == ["bot: chose {'sku': 'console'}"], "typed, a tile button's text chooses it")
    }

    @Test("tiles from a template; tiles whose buttons only link do not wait")
    func templatedAndLinkOnlyTiles() async throws {
        let client = try bot(steps: """
              - flow_set:
                  cards: [{title: A, buttons: [{text: Pick A, result: a}]}, {title: B, buttons: [{text: Pick B, result: b}]}]
              - tiles: (@ flow.cards )
              - say: chose (@ flow.result )
              - tiles:
                  - title: Docs
                    buttons: [{text: Open, url: https://example.com}]
              - say: went on
            """)
        #expect(try await client.say("go") == ["tile: A", "button: Pick A", "tile: B", "button: Pick B"])
        #expect(try await client.click("Pick B") == ["bot: chose b", "tile: Docs", "button: Open", "bot: went on"])
    }

    @Test("a rating offers its scale and flow.result is the score")
    func rating() async throws {
        let client = try bot(steps: """
              - rating: stars
                title: How did we do?
              - say: stars (@ flow.result )
              - rating: custom
                title: Best shape?
                options: [{text: Triangle, score: 2}, {text: Cube, score: 4}]
              - say: shape (@ flow.result )
            """)
        #expect(try await client.say("go") == ["bot: How did we do?", "button: ★", "button: ★★", "button: ★★★", "button: ★★★★", "button: ★★★★★"])
        #expect(try await client.click("★★★★") == ["bot: stars 4", "bot: Best shape?", "button: Triangle", "button: Cube"])
        #expect(try await client.click("Cube") == ["bot: shape 4"])
    }

    static let page = """
          - page:
              - info: About you
              - type: text_input
                label: Name
                required: true
              - type: email_address_input
                placeholder: Email
                required: true
                error_message: Not an address
              - choices: [Dog, {text: Cat, value: cat}]
                label: Pet
              - checkbox: News?
            submit:
              text: Next
            extra_buttons:
              - text: Back
                action:
                  jump: back
          - say: got (@ flow.result )
          - end
          - (back)
          - say: went back
        """

    @Test("a page submitted whole: refused fields say why and it keeps waiting; valid answers are flow.result in field order, info left out")
    func pageSubmitted() async throws {
        let client = try bot(steps: Self.page)
        let shown = try await client.turn(EventTypes.say, data: ["text": "go"])
        #expect(shown.plainLines == ["bot: About you", "bot: Name", "button: Back"])
        let form = try #require(shown.outputs.first?.formView)
        #expect(form.fields.map(\.type) == ["info", "text", "email", "choice", "checkbox"])
        #expect(form.fields.map(\.name) == ["0", "1", "2", "3", "4"])
        #expect(form.submitText == "Next" && form.fields[3].options == ["Dog", "Cat"])

        let refused = try await Self.submit(client, form: form.id, ["1": "", "2": "nope", "3": "Cat", "4": true])
        #expect(refused.outputs.map(\.type) == [EventTypes.formError])
        guard case .formResult(_, let errors)? = refused.outputs.first?.userView else { Issue.record("no form result"); return }
        #expect(errors == [FormFieldError(name: "1", message: "Please enter a value."), FormFieldError(name: "2", message: "Not an address")])

        let taken = try await Self.submit(client, form: form.id, ["1": "Ana", "2": "ana@example.com", "3": "Cat", "4": true])
        #expect(taken.outputs.map(\.type) == [EventTypes.formOK, EventTypes.say])
        #expect(taken.plainLines == ["bot: got ['Ana', 'ana@example.com', 'cat', True]"])
        #expect(try await client.threadScope()["_form_answers"] == nil)
    }

    @Test("on a text channel a page asks its fields one at a time; a choice by number; an extra button answers without the fields")
    func pageTyped() async throws {
        let client = try bot(steps: Self.page)
        _ = try await client.say("go")
        #expect(try await client.say("Ana") == ["bot: Email"])
        #expect(try await client.say("ana@") == ["bot: Not an address"])
        #expect(try await client.say("ana@example.com") == ["bot: Pet", "button: Dog", "button: Cat"])
        #expect(try await client.say("2") == ["bot: News?"])
        #expect(try await client.say("yes") == ["bot: got ['Ana', 'ana@example.com', 'cat', True]"])
        _ = try await client.say("go")
        #expect(try await client.click("Back") == ["bot: went back"])
    }

    @Test("fields alone: text_input and email_address_input give flow.result; select maps to values, runs out of retries with flow.ok false; choices take several")
    func fieldsAlone() async throws {
        let client = try bot(steps: """
              - type: text_input
                label: Your name?
              - say: name (@ flow.result )
              - type: email_address_input
              - say: email (@ flow.result )
              - select: Brand
                options: [Acer, {text: Asus, value: asus_1}]
                retries: 1
              - say: brand (@ flow.result ) (@ flow.ok )
              - choices: [Red, Green, Blue]
                multi: true
              - say: colors (@ flow.result )
              - info: That's all
              - say: bye
            """)
        #expect(try await client.say("go") == ["bot: Your name?"])
        #expect(try await client.say("Ana") == ["bot: name Ana", "bot: Your email address?"])
        #expect(try await client.say("a@b.co") == ["bot: email a@b.co", "bot: Brand", "button: Acer", "button: Asus"])
        #expect(try await client.say("asus") == ["bot: brand asus_1 True", "bot: Choose one or more (numbers or texts, separated by commas):",
                                                 "button: Red", "button: Green", "button: Blue"])
        #expect(try await client.say("1, blue") == ["bot: colors ['Red', 'Blue']", "bot: That's all", "bot: bye"])
        _ = try await client.say("go")
        _ = try await client.say("Ana")
        _ = try await client.say("a@b.co")
        #expect(try await client.say("Dell") == ["bot: Invalid value selected"])
        #expect(try await client.say("HP") == ["bot: brand HP False", "bot: Choose one or more (numbers or texts, separated by commas):",
                                               "button: Red", "button: Green", "button: Blue"])
    }

    @Test("files and images, in Meya's newer steps (`file:`, `image:`) and its first ones (`url:` with `filename:` or `alt:`), with quick replies")
    func filesAndImages() async throws {
        let client = try bot(steps: """
              - file: https://example.com/guide.pdf
                name: guide.pdf
                text: The guide
              - url: https://example.com/label.pdf
                filename: label.pdf
                quick_replies:
                  - text: Start over
                    action: {jump: start}
              - say: not reached
              - (start)
              - url: https://example.com/bike.jpg
                alt: A bike
              - say: done
            """)
        #expect(try await client.say("go") == ["bot: The guide", "file: https://example.com/guide.pdf (guide.pdf)",
                                               "file: https://example.com/label.pdf (label.pdf)", "button: Start over"])
        #expect(try await client.click("Start over") == ["image: https://example.com/bike.jpg (A bike)", "bot: done"])
    }

    @Test("Meya's rich components load without errors, as the apps write them")
    func loads() {
        let errors = MeyaCompatibilityTests.errors(["flow/main.yaml": """
            steps:
              - tiles: [{title: A, result: a}]
                button_style: (@ flow.style )
              - regex_input: ^\\d{5}$
                capture_groups: false
              - page:
                  - regex_input: ^[A-Z]{2}$
                  - type: meya.text.component.input
                    icon: (@ config.icon )
                    default: (@ user.name )
                submit:
              - rating: faces
                title: How was it?
                fill: true
              - select: Pick
                options: [a, b]
                search: true
                custom: true
            """])
        #expect(errors.isEmpty, "\(errors)")
    }
}
