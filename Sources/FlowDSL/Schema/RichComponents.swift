/// Meya's rich components, named and shaped as in Meya's SDK (`meya/tile`, `meya/widget`,
/// `meya/form`, `meya/text/component/input`): tiles, ratings, and forms — a page of fields or
/// one field alone (`text_input`, `email_address_input`, `choices:`, `checkbox:`,
/// `regex_input:`, `select:`) — and `info:` text. Every channel shows them through the one
/// model of what users see: the chat page draws cards and forms, text channels number the
/// choices and ask a form's fields one at a time.
enum RichComponents {
    static var all: [ElementSpec] {
        let interactive = StandardComponents.interactive
        let timeout = FieldSpec("timeout", .duration, "how long to wait for an answer before `parley.session.event.timeout`")
        let optionalText = FieldType.oneOf([.null, .string])
        let submit = FieldSpec("submit", .oneOf([.null, .object([FieldSpec("text", .string)])]),
                               "the submit button: `{text: Next}` (default `Submit`); none: no button")
        // What every field widget takes, alone or in a page (`meya/widget/component/field.py`).
        let field = [
            FieldSpec("required", .bool, "an empty answer is refused"), FieldSpec("label", .string, "shown above the field"),
            FieldSpec("disabled", .bool), FieldSpec("error_message", .string, "what to say when the answer is refused"), timeout,
        ]
        let input = [
            FieldSpec("placeholder", .string, "shown in the empty field"), FieldSpec("default", .any, "the field's value to start with"),
            FieldSpec("icon", .any),
        ] + field
        let option = FieldType.oneOf([.string, .object([
            FieldSpec("text", .string, required: true), FieldSpec("value", .any, "what `flow.result` gets (default: the text)"),
            FieldSpec("default", .bool), FieldSpec("disabled", .bool),
        ])])
        let tile = FieldType.object([
            FieldSpec("title", .string), FieldSpec("description", .string),
            FieldSpec("image", .oneOf([.string, .object([FieldSpec("url", .string, required: true), FieldSpec("alt", .string)])]),
                      "`{url, alt}`"),
            FieldSpec("rows", .any, "label–value lines: `[[{cell: Size, value: 42}]]`"),
            FieldSpec("buttons", .buttons, "the tile's buttons"),
        ] + ElementBuilder.buttonFields.filter { $0.name != "text" })

        return [
            ElementSpec("meya.tile.component.ask", kind: .component, parent: interactive,
                        fields: [
                            FieldSpec("tiles", .list(tile), required: true, signature: true,
                                      "cards: title, description, image, rows, buttons; a tile with `result:` or `action:` is a button itself"),
                            FieldSpec("ask", optionalText, "text shown above the tiles"),
                            FieldSpec("button_style", .choice(["action", "radio", "text"])),
                            FieldSpec("layout", .choice(["column", "row"])), timeout,
                        ],
                        summary: "Show tiles (cards) and wait for a click on one of their buttons; `flow.result` is its `result`."),
            ElementSpec("meya.tile.component.rating", kind: .component, parent: interactive,
                        fields: [
                            FieldSpec("rating", .choice(["faces", "stars", "thumbs", "custom"]), required: true, signature: true,
                                      "faces −2…2, stars 1…5, thumbs −1 or 1, or custom `options`"),
                            FieldSpec("title", .string, required: true, "the question"),
                            FieldSpec("options", .list(.object([FieldSpec("icon", .any), FieldSpec("text", .string), FieldSpec("score", .any)])),
                                      "with `rating: custom`: `{text, icon, score}`"),
                            FieldSpec("fill", .bool), FieldSpec("backfill", .bool), timeout,
                        ],
                        summary: "Ask for a rating; `flow.result` is the score."),
            ElementSpec("meya.widget.component.page", kind: .component, parent: interactive,
                        fields: [
                            FieldSpec("page", .componentList, required: true, signature: true,
                                      "the fields: text_input, email_address_input, regex_input, choices, checkbox, info"),
                            submit, FieldSpec("extra_buttons", .buttons, "buttons beside submit, answered without checking the fields"),
                            timeout,
                        ],
                        summary: "Show a form and wait until its fields are valid; `flow.result` lists their values in order (info left out)."),
            ElementSpec("meya.text.component.input", kind: .component, parent: interactive, aliases: ["text_input"], fields: input,
                        summary: "A text field (alone, or in a page); `flow.result` is the text."),
            ElementSpec("meya.email.component.address.input", kind: .component, parent: interactive, aliases: ["email_address_input"],
                        fields: input, summary: "An email address field (alone, or in a page); `flow.result` is the address."),
            ElementSpec("meya.text.component.regex_input", kind: .component, parent: interactive,
                        fields: [
                            FieldSpec("regex_input", .regex, required: true, signature: true, "the answer must match it"),
                            FieldSpec("capture_groups", .bool, "`flow.result` is the named groups instead of the match"),
                            FieldSpec("ignorecase", .bool),
                        ] + input,
                        summary: "A text field whose answer must match a pattern."),
            ElementSpec("meya.tile.component.choice", kind: .component, parent: interactive,
                        fields: [
                            FieldSpec("choices", .list(option), required: true, signature: true, "the options"),
                            FieldSpec("multi", .bool, "several may be chosen (`flow.result` is a list)"), submit,
                        ] + field,
                        summary: "Choose among options (alone, or in a page)."),
            ElementSpec("meya.tile.component.checkbox", kind: .component, parent: interactive,
                        fields: [FieldSpec("checkbox", .string, required: true, signature: true, "the box's text"),
                                 FieldSpec("default", .any, "checked to start with"), submit] + field,
                        summary: "A checkbox (alone, or in a page); `flow.result` is true or false."),
            ElementSpec("meya.form.component.select", kind: .component, parent: interactive,
                        fields: [
                            FieldSpec("select", .string, required: true, signature: true, "the field's label"),
                            FieldSpec("options", .list(option), required: true), FieldSpec("multi", .bool),
                            FieldSpec("custom", .bool, "any text is accepted too"), FieldSpec("search", .bool),
                            FieldSpec("default", .any), FieldSpec("placeholder", .string), FieldSpec("icon", .any),
                            FieldSpec("name", .string), FieldSpec("autocomplete", .string), FieldSpec("no_results_text", .string),
                            FieldSpec("retries", .number, "how many invalid answers before going on with `flow.ok` false (default: no limit)"),
                            FieldSpec("error_message", .string), timeout,
                        ],
                        summary: "Choose from a list; `flow.result` is the option's value, `flow.ok` true."),
            // Meya's first image and file steps take `url:`; `url:` with `alt:` is an image,
            // with `filename:` a file (Meya's image also takes a filename; Parley leaves it to
            // the file, so that `url:` + `filename:` is not ambiguous).
            ElementSpec("meya.image.component", kind: .component, parent: interactive,
                        fields: [FieldSpec("url", .string, required: true, signature: true, "the image's URL"),
                                 FieldSpec("alt", .string), FieldSpec("text", .string, "a caption shown with it")],
                        summary: "Show an image (Meya's first image step; `image:` is the newer)."),
            ElementSpec("meya.file.component.v2", kind: .component, parent: interactive,
                        fields: [FieldSpec("file", .string, required: true, signature: true, "the file's URL"),
                                 FieldSpec("name", .string, "its file name"), FieldSpec("icon", .any),
                                 FieldSpec("text", .string, "a caption shown with it")],
                        summary: "Show a file to download (chat page: a link with its name; text channels: the link)."),
            ElementSpec("meya.file.component", kind: .component, parent: interactive,
                        fields: [FieldSpec("url", .string, required: true, signature: true, "the file's URL"),
                                 FieldSpec("filename", .string, "its file name"), FieldSpec("icon", .any), FieldSpec("text", .string)],
                        summary: "Show a file (Meya's first file step; `file:` is the newer)."),
            ElementSpec("meya.text.component.info", kind: .component, parent: interactive,
                        fields: [FieldSpec("info", .string, required: true, signature: true, "the text (markdown)")],
                        summary: "Show text (alone, or in a page) and go on."),
        ]
    }

    static var events: [EventTypeSpec] {
        [
            EventTypeSpec("meya.tile.event.ask", summary: "tiles shown"),
            EventTypeSpec("meya.tile.event.rating", summary: "a rating asked"),
            EventTypeSpec("meya.text.event.info", dataFields: [FieldSpec("info", .string)], summary: "text shown"),
            EventTypeSpec("meya.form.event.ask", summary: "a form shown: its `form_id` and `fields`"),
            EventTypeSpec("meya.form.event.error", summary: "a form's answers refused: `form_id`, `fields` (name: why)"),
            EventTypeSpec("meya.form.event.ok", summary: "a form's answers taken: `form_id`"),
        ]
    }
}
