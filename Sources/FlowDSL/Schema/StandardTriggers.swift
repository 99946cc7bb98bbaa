/// Parley's built-in triggers (spec §3.2), the bot element, and the core event types.
enum StandardTriggers {
    static let base = "meya.trigger.element"

    static var all: [ElementSpec] {
        let ignorecase = FieldSpec("ignorecase", .bool, "match without regard to case (default true)")
        return [
            ElementSpec(base, kind: .trigger, abstract: true, fields: [
                FieldSpec("when", .expression, "evaluate only when this is true (default: user message, bot mode)"),
                FieldSpec("action", .component, "what to run (default: this flow from its first step)"),
                FieldSpec("confidence", .number, "override the match confidence"),
                FieldSpec("bot", .string),
            ]),
            ElementSpec("meya.text.trigger.keyword", kind: .trigger, parent: base,
                        fields: [FieldSpec("keyword", .string, required: true, signature: true), ignorecase],
                        summary: "The whole message equals the keyword."),
            ElementSpec("meya.text.trigger.regex", kind: .trigger, parent: base,
                        fields: [FieldSpec("regex", .regex, required: true, signature: true), ignorecase],
                        summary: "The message matches a Python regular expression (VERBOSE: spaces in the pattern are ignored)."),
            ElementSpec("meya.text.trigger.catchall", kind: .trigger, parent: base, aliases: ["catchall"],
                        fields: [FieldSpec("catchall", .oneOf([.null, .bool]), signature: true)],
                        summary: "Any text, at the lowest confidence."),
            ElementSpec("meya.session.trigger.page.open", kind: .trigger, parent: base, aliases: ["page_open"],
                        fields: [FieldSpec("magic_link_error", .bool)], summary: "The chat page was opened."),
            ElementSpec("meya.session.trigger.chat.open", kind: .trigger, parent: base, aliases: ["chat_open"]),
            ElementSpec("meya.session.trigger.chat.close", kind: .trigger, parent: base, aliases: ["chat_close"]),
            ElementSpec("meya.lifecycle.trigger", kind: .trigger, parent: base,
                        fields: [FieldSpec("lifecycle_id", .string, required: true, signature: true), FieldSpec("text", .string)]),
            ElementSpec("meya.event.trigger.type", kind: .trigger, parent: base,
                        fields: [FieldSpec("event_type", .eventType, required: true, signature: true)],
                        summary: "An event of this type arrived (fires in any mode)."),
            ElementSpec("meya.csp.trigger.agent.command", kind: .trigger, parent: base,
                        fields: [FieldSpec("agent_command", .regex, required: true, signature: true), ignorecase],
                        summary: "An agent sent a matching /command."),
            ElementSpec("meya.button.trigger", kind: .trigger, parent: base,
                        fields: [FieldSpec("button_id", .string, required: true, signature: true),
                                 FieldSpec("text", .string, "the button's text (Meya keeps it for the click's event)")],
                        summary: "A button with this id was clicked."),
            ElementSpec("meya.media.trigger", kind: .trigger, parent: base, aliases: ["media"]),
            ElementSpec("meya.image.trigger", kind: .trigger, parent: base, aliases: ["image"]),
            ElementSpec("meya.file.trigger", kind: .trigger, parent: base, aliases: ["file"]),
        ]
    }

    static var bot: ElementSpec {
        ElementSpec("meya.bot.element", kind: .bot, aliases: ["meya.bot"], fields: [
            FieldSpec("name", .string), FieldSpec("avatar", .any), FieldSpec("markdown", .any),
            FieldSpec("typing", .bool), FieldSpec("default", .bool),
            // Parley's: what users are told when a flow fails (the details go to the log and the ledger).
            FieldSpec("error_message", .string),
        ], summary: "The bot's name and look, and what users are told when something fails.")
    }

    static var events: [EventTypeSpec] {
        let text = [FieldSpec("text", .string)]
        return [
            EventTypeSpec("meya.text.event.say", dataFields: text, summary: "a text message"),
            EventTypeSpec("meya.text.event.ask", dataFields: text, summary: "a question"),
            EventTypeSpec("meya.text.event.status", dataFields: text, summary: "a status line"),
            EventTypeSpec("meya.button.event.ask", summary: "buttons shown"),
            EventTypeSpec("meya.button.event.click", dataFields: [FieldSpec("button_id", .string), FieldSpec("text", .string)]),
            EventTypeSpec("meya.form.event.submit"),
            EventTypeSpec("meya.session.event.page.open", dataFields: [FieldSpec("url", .string)]),
            EventTypeSpec("meya.session.event.chat.open"),
            EventTypeSpec("meya.session.event.chat.close"),
            EventTypeSpec("parley.session.event.timeout",
                          dataFields: [FieldSpec("element", .string), FieldSpec("flow", .string), FieldSpec("timeout", .number),
                                       FieldSpec("due", .number)],
                          summary: "a waiting step's `timeout` (or `thread.reply_timeout`) passed without an answer"),
            EventTypeSpec("meya.lifecycle.event", dataFields: [FieldSpec("lifecycle_id", .string), FieldSpec("text", .string)],
                          summary: "a lifecycle step's event (`lifecycle:`), or one an integration sends"),
            EventTypeSpec("meya.presence.event.typing.on"),
            EventTypeSpec("meya.presence.event.typing.off"),
            EventTypeSpec("meya.media.event"),
            EventTypeSpec("meya.image.event", dataFields: [FieldSpec("url", .string), FieldSpec("alt", .string), FieldSpec("filename", .string),
                                                           FieldSpec("text", .string)], summary: "an image the bot shows"),
            EventTypeSpec("meya.file.event"),
            EventTypeSpec("meya.csp.event.note", dataFields: text),
            EventTypeSpec("meya.csp.event.agent.command", dataFields: text, summary: "an agent's /command"),
            EventTypeSpec("meya.thread.event.mode", dataFields: [FieldSpec("mode", .string)]),
            EventTypeSpec("meya.error.event", dataFields: text, summary: "an error the bot reports"),
        ]
    }
}

extension ElementRegistry {
    /// Parley's built-in components, triggers, bot element and core event types.
    public static let standard: ElementRegistry = {
        var registry = ElementRegistry()
        for spec in StandardComponents.all + RichComponents.all + StandardTriggers.all + [StandardTriggers.bot] + MeyaConfigurationElements.all
            + MeyaUtilityElements.all {
            registry.register(spec)
        }
        for event in StandardTriggers.events + RichComponents.events + MeyaUtilityElements.events { registry.register(event: event) }
        return registry
    }()
}
