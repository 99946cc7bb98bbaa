/// Parley's built-in steps, named and shaped as in Meya (spec §4).
enum StandardComponents {
    static let base = "meya.component.element"
    static let interactive = "meya.interactive.component.element"

    static var all: [ElementSpec] {
        let common = [
            FieldSpec("context", .any, "data copied onto the events this step emits"),
            FieldSpec("sensitive", .bool, "treat this step's events as sensitive"),
            FieldSpec("triggers", .triggers, "dynamic triggers active while the step waits"),
        ]
        let interactiveFields = [
            FieldSpec("quick_replies", .buttons, "buttons shown under the message until the user answers"),
            FieldSpec("composer", .any, "chat input settings (focus, visibility, placeholder …)"),
            FieldSpec("header", .any, "chat header settings"),
            FieldSpec("markdown", .any, "render the text as markdown"),
        ]
        let catchall = FieldSpec("catchall", .bool, "Meya: answer every message while waiting; Parley's asks always take the next message")
        let timeout = FieldSpec("timeout", .duration,
                                "how long to wait for an answer (`48h`, `10m`, `2s`) before `parley.session.event.timeout`; "
                                    + "default `thread.reply_timeout`, which a channel may set")
        // Meya's optional signature fields: `say:` with no text shows only its quick replies or composer change.
        let optionalText = FieldType.oneOf([.null, .string])
        let askExtras = [
            FieldSpec("retries", .number, "how many times to ask again on invalid input (`.inf`, Meya's default: until it is valid)"),
            FieldSpec("error_message", .string, "what to say when the input is invalid"),
            timeout,
        ]
        let formExtras = [
            FieldSpec("label", .string), FieldSpec("placeholder", .string), FieldSpec("icon", .string),
            FieldSpec("field_name", .string), FieldSpec("autocomplete", .string),
        ] + askExtras
        let dataOrNothing = FieldType.oneOf([.null, .map(.any)])
        let nameOrData = FieldType.oneOf([.string, .map(.any)])

        return [
            ElementSpec(base, kind: .component, abstract: true, fields: common),
            ElementSpec(interactive, kind: .component, parent: base, abstract: true, fields: interactiveFields),

            ElementSpec("meya.text.component.say", kind: .component, parent: interactive,
                        fields: [
                            FieldSpec("say", optionalText, required: true, signature: true, "text to send (none: only the quick replies)"),
                            FieldSpec("content_sid", .string, "a Twilio Content template (HX…) that Twilio Conversations channels "
                                      + "send instead of the text (WhatsApp outside its 24-hour window)"),
                            FieldSpec("content_variables", .map(.any), "the template's variables (`{\"1\": \"Ana\"}`)"),
                        ],
                        summary: "Send a message and go on."),
            ElementSpec("meya.text.component.ask", kind: .component, parent: interactive,
                        fields: [FieldSpec("ask", optionalText, required: true, signature: true, "the question")] + askExtras,
                        summary: "Ask a question and wait; `flow.result` is the answer."),
            ElementSpec("meya.button.component.ask", kind: .component, parent: interactive,
                        fields: [
                            FieldSpec("buttons", .buttons, required: true, signature: true, "the buttons"),
                            FieldSpec("ask", optionalText, "text shown above the buttons"),
                            FieldSpec("multi", .bool), FieldSpec("label", .string), FieldSpec("required", .bool),
                            FieldSpec("error_message", .string, "what to say when the answer is not one of the buttons"),
                            timeout,
                        ],
                        summary: "Show buttons and wait for a click."),
            ElementSpec("meya.button.component.quick_replies", kind: .component, parent: base,
                        fields: [FieldSpec("quick_replies", .buttons, required: true, signature: true)],
                        summary: "Show quick replies without a message."),
            ElementSpec("meya.text.component.ask_regex", kind: .component, parent: interactive,
                        fields: [
                            FieldSpec("ask", optionalText, required: true, signature: true),
                            FieldSpec("regex", .regex, required: true, signature: true, "the answer must match it"),
                            FieldSpec("ignorecase", .bool), catchall,
                        ] + askExtras,
                        summary: "Ask until the answer matches a pattern; sets `result` and `groups`."),
            ElementSpec("meya.email.component.address.ask", kind: .component, parent: interactive,
                        fields: [
                            FieldSpec("ask", optionalText, required: true, signature: true),
                            FieldSpec("expect", .choice(["email_address"]), signature: true), catchall,
                        ] + askExtras,
                        summary: "Ask for an email address."),
            ElementSpec("meya.image.component.ask", kind: .component, parent: interactive,
                        fields: [FieldSpec("ask", optionalText, required: true, signature: true),
                                 FieldSpec("expect", .choice(["image"]), signature: true)] + askExtras),
            ElementSpec("meya.file.component.ask", kind: .component, parent: interactive,
                        fields: [FieldSpec("ask", optionalText, required: true, signature: true),
                                 FieldSpec("expect", .choice(["file"]), signature: true)] + askExtras),
            ElementSpec("meya.text.component.ask.form", kind: .component, parent: interactive,
                        fields: [FieldSpec("ask_form", optionalText, signature: true)] + formExtras,
                        summary: "Ask through a form field and wait for it."),
            ElementSpec("meya.email.component.address.ask.form", kind: .component, parent: interactive,
                        fields: [FieldSpec("ask_form", optionalText, signature: true),
                                 FieldSpec("expect", .choice(["email_address"]), signature: true)] + formExtras),

            ElementSpec("meya.flow.component", kind: .component, parent: base, aliases: ["meya.flow.component.flow"],
                        fields: [
                            FieldSpec("flow", .flowReference, required: true, signature: true, "the flow to call"),
                            FieldSpec("data", .map(.any), "the called flow's starting scope"),
                            FieldSpec("jump", .label, "start the called flow at this label"),
                            FieldSpec("transfer", .bool, "replace this flow instead of returning to it"),
                            FieldSpec("async", .bool), FieldSpec("bot", .string), FieldSpec("thread_id", .string),
                        ],
                        summary: "Call another flow."),
            ElementSpec("meya.flow.component.jump", kind: .component, parent: base,
                        fields: [FieldSpec("jump", .label, required: true, signature: true), FieldSpec("data", .map(.any))],
                        summary: "Go to a label in this flow."),
            ElementSpec("meya.flow.component.if", kind: .component, parent: base,
                        fields: [
                            FieldSpec("if", .expression, required: true, signature: true),
                            FieldSpec("then", .component, required: true), FieldSpec("else", .component),
                        ],
                        summary: "Run `then` when the condition is true, else `else` (default: next)."),
            ElementSpec("meya.flow.component.case", kind: .component, parent: base,
                        fields: [
                            FieldSpec("case", .componentMap, required: true, signature: true),
                            FieldSpec("value", .expression), FieldSpec("default", .component), FieldSpec("ignorecase", .bool),
                        ],
                        summary: "Run the action whose key equals the value (default `flow.result`)."),
            ElementSpec("meya.flow.component.cond", kind: .component, parent: base,
                        fields: [FieldSpec("cond", .conditionList, required: true, signature: true), FieldSpec("default", .component)],
                        summary: "Run the action of the first true condition."),
            ElementSpec("meya.flow.component.match", kind: .component, parent: base,
                        fields: [
                            FieldSpec("match", .componentMap, required: true, signature: true),
                            FieldSpec("value", .expression), FieldSpec("default", .component), FieldSpec("ignorecase", .bool),
                        ],
                        summary: "Run the action of the pattern with the longest match."),
            ElementSpec("meya.flow.component.random", kind: .component, parent: base,
                        fields: [FieldSpec("random", .componentList, required: true, signature: true)],
                        summary: "Run one of the actions at random."),
            ElementSpec("meya.flow.component.end", kind: .component, parent: base, aliases: ["end"],
                        fields: [FieldSpec("end", dataOrNothing, signature: true, "data returned to the calling flow")],
                        summary: "End the flow."),
            ElementSpec("meya.flow.component.next", kind: .component, parent: base, aliases: ["next"],
                        fields: [FieldSpec("next", dataOrNothing, signature: true, "data merged into the flow scope")],
                        summary: "Go on to the next step."),
            ElementSpec("meya.flow.component.set", kind: .component, parent: base,
                        fields: [FieldSpec("flow_set", nameOrData, required: true, signature: true)],
                        summary: "Write the flow scope: a name copies `flow.result`."),
            ElementSpec("meya.user.component.set", kind: .component, parent: base,
                        fields: [FieldSpec("user_set", nameOrData, required: true, signature: true), FieldSpec("user_id", .string)],
                        summary: "Write the user scope."),
            ElementSpec("meya.thread.component.set", kind: .component, parent: base,
                        fields: [FieldSpec("thread_set", nameOrData, required: true, signature: true), FieldSpec("thread_id", .string)],
                        summary: "Write the thread scope."),
            ElementSpec("meya.text.component.status", kind: .component, parent: interactive,
                        fields: [FieldSpec("status", .string, required: true, signature: true), FieldSpec("ephemeral", .bool)],
                        summary: "Show a status line."),
            ElementSpec("meya.image.component.v2", kind: .component, parent: interactive,
                        fields: [
                            FieldSpec("image", .string, required: true, signature: true, "the image's URL"),
                            FieldSpec("alt", .string, "what the image shows, for those who cannot see it"),
                            FieldSpec("filename", .string), FieldSpec("text", .string, "a caption shown with it"),
                        ],
                        summary: "Show an image (chat page: the image; SMS and the simulator: its link)."),
            ElementSpec("meya.session.component.chat.open", kind: .component, parent: base, aliases: ["open_chat"],
                        summary: "Files `meya.session.event.chat.open` (Meya opens its chat widget; Parley's page is open already)."),
            ElementSpec("meya.session.component.chat.close", kind: .component, parent: base, aliases: ["close_chat"],
                        summary: "Files `meya.session.event.chat.close`."),
            ElementSpec("meya.time.component.delay", kind: .component, parent: base,
                        fields: [FieldSpec("delay", .number, required: true, signature: true, "seconds, at most 20")],
                        summary: "Pause."),
            ElementSpec("meya.presence.component.typing", kind: .component, parent: base,
                        fields: [FieldSpec("typing", .oneOf([.bool, .choice(["on", "off"])]), required: true, signature: true)],
                        summary: "Show or hide the typing indicator."),
            ElementSpec("meya.csp.component.note", kind: .component, parent: base,
                        fields: [FieldSpec("note", .string, required: true, signature: true)],
                        summary: "A note only agents see."),
            ElementSpec("meya.thread.component.config.mode", kind: .component, parent: base,
                        fields: [FieldSpec("mode", optionalText, required: true, signature: true, "none (`- mode:`) is `bot`")],
                        summary: "Set the thread mode (`bot`, `agent` …)."),
            eventConfig("header", "the chat header (title, buttons, progress …) the following events carry"),
            eventConfig("composer", "the chat input (focus, visibility, placeholder …) the following events carry"),
            eventConfig("markdown", "whether (and which) markdown the following events' text uses"),
            ElementSpec("meya.event.component.config.event_user_id", kind: .component, parent: base,
                        aliases: ["meya.event.component.config.user"],
                        fields: [FieldSpec("event_user_id", optionalText, required: true, signature: true, "none: the bot again"),
                                 FieldSpec("scope", .choice(["thread", "flow"]))],
                        summary: "Publish the following events as another user."),
        ]
    }

    /// Meya's event configuration steps (`- header: {title: …}`): the value is kept on the
    /// thread (or, with `scope: flow`, the flow) as `event_header`, `event_composer`,
    /// `event_markdown`, where Meya's later events read it. None removes it.
    private static func eventConfig(_ key: String, _ what: String) -> ElementSpec {
        ElementSpec("meya.event.component.config.\(key)", kind: .component, parent: base,
                    fields: [FieldSpec(key, .any, required: true, signature: true, what),
                             FieldSpec("scope", .choice(["thread", "flow"]), "where it is kept (default: thread)")],
                    summary: "Set \(what) (Meya's event config; kept as `event_\(key)`).")
    }
}
