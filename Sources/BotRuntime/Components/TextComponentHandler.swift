import FlowDSL
import Foundation
import OrderedCollections

/// Runs the steps that send something and ask for something: say, ask (text, regex, email,
/// image, file, form), buttons, quick replies, status, note, typing, delay, mode, Meya's
/// open_chat / close_chat and Orb screens (their events), hero, echo and pong.
struct TextComponentHandler: ComponentHandler {
    static let askTypes: Set<String> = [
        "meya.text.component.ask", "meya.text.component.ask_regex", "meya.email.component.address.ask",
        "meya.image.component.ask", "meya.file.component.ask", "meya.text.component.ask.form",
        "meya.email.component.address.ask.form",
    ]

    var types: [String] {
        Array(Self.askTypes) + [
            "meya.text.component.say", "meya.button.component.ask", "meya.button.component.quick_replies",
            "meya.text.component.status", "meya.csp.component.note", "meya.presence.component.typing",
            "meya.time.component.delay", "meya.thread.component.config.mode", "meya.event.component.config.event_user_id",
            "meya.session.component.chat.open", "meya.session.component.chat.close", "meya.image.component.v2",
            "meya.image.component", "meya.file.component.v2", "meya.file.component",
            "meya.event.component.config.header", "meya.event.component.config.composer", "meya.event.component.config.markdown",
            "meya.orb.component.screen.continue", "meya.orb.component.screen.end", "meya.orb.component.hero",
            "meya.util.text.component.echo", "meya.util.latency.component.pong",
        ] + MeyaConfigurationElements.orbConfigKeys.map { "meya.orb.component.config.\($0.dropFirst(4))" }
    }

    func run(_ element: Element, in context: inout ComponentContext) async throws -> ComponentOutcome {
        switch element.type {
        case "meya.text.component.say":
            let text = try context.renderShown(element["say"])
            let replies = try ButtonItem.items(of: element, field: "quick_replies", in: context)
            // A channel's template (Twilio Content), which channels that send templates send instead of the text.
            var template = TemplateMap()
            for key in ["content_sid", "content_variables"] {
                if let field = element[key] { template[key] = try context.render(field) }
            }
            emitText(EventTypes.say, text: text, buttons: replies, key: "quick_replies", extra: template, context: &context)
            return replies.contains { $0.isActionable } ? .wait : .next()
        case "meya.button.component.ask", "meya.button.component.quick_replies":
            let text = try context.renderShown(element["ask"])
            let field = element.type == "meya.button.component.ask" ? "buttons" : "quick_replies"
            let buttons = try ButtonItem.items(of: element, field: field, in: context)
            emitText(EventTypes.buttons, text: text, buttons: buttons, key: "buttons", context: &context)
            return .wait
        case _ where Self.askTypes.contains(element.type):
            let text = try context.renderShown(element["ask"] ?? element["ask_form"])
            let replies = try ButtonItem.items(of: element, field: "quick_replies", in: context)
            emitText(EventTypes.ask, text: text, buttons: replies, key: "quick_replies", context: &context)
            return .wait
        case "meya.text.component.status":
            // Interactive in Meya: a status line may offer quick replies, and then waits like `say`.
            let text = try context.renderShown(element["status"])
            let replies = try ButtonItem.items(of: element, field: "quick_replies", in: context)
            emitText(EventTypes.status, text: text, buttons: replies, key: "quick_replies", context: &context)
            return replies.contains { $0.isActionable } ? .wait : .next()
        case "meya.csp.component.note":
            let text = try context.renderShown(element["note"])
            emitText(EventTypes.note, text: text, buttons: [], key: "", context: &context)
            return .next()
        case "meya.presence.component.typing":
            let value = try context.render(element["typing"])
            let on = value == .bool(true) || value == .string("on")
            context.emit(on ? EventTypes.typingOn : EventTypes.typingOff, data: [:])
            return .next()
        case "meya.event.component.config.header", "meya.event.component.config.composer", "meya.event.component.config.markdown":
            // Kept where Meya keeps it; Parley's channels do not draw headers or composer settings yet.
            let key = String(element.type.split(separator: ".").last ?? "")
            let value = try context.render(element[key])
            if case .value(.string("flow"))? = element["scope"] {
                context.mergeFlowScope(["event_" + key: value])
            } else {
                context.setThread("event_" + key, value == .none ? nil : value)
            }
            return .next()
        case "meya.image.component.v2", "meya.image.component", "meya.file.component.v2", "meya.file.component":
            // Each event field from the step's field of that meaning (Meya's versions name them apart).
            let fields: [(key: String, field: String)] = switch element.type {
            case "meya.image.component.v2": [("url", "image"), ("alt", "alt"), ("filename", "filename"), ("text", "text")]
            case "meya.image.component": [("url", "url"), ("alt", "alt"), ("text", "text")]
            case "meya.file.component.v2": [("url", "file"), ("filename", "name"), ("text", "text")]
            default: [("url", "url"), ("filename", "filename"), ("text", "text")]
            }
            return try emitFields(element.type.hasPrefix("meya.file.") ? EventTypes.file : EventTypes.image, fields, of: element, context: &context)
        case _ where element.type.hasPrefix("meya.orb.component.config."):
            // Meya keeps an Orb setting on the thread under its key (`ThreadConfigComponent`).
            guard let key = element.fields.keys.first(where: { $0.hasPrefix("orb_") }) else { return .next() }
            let value = try context.render(element[key])
            context.setThread(key, value == .none ? nil : value)
            return .next()
        case "meya.session.component.chat.open", "meya.session.component.chat.close":
            context.emit(element.type.hasSuffix(".open") ? EventTypes.chatOpen : EventTypes.chatClose, data: [:])
            return .next()
        case "meya.orb.component.screen.continue", "meya.orb.component.screen.end":
            context.emit(element.type.hasSuffix(".end") ? EventTypes.screenEnd : EventTypes.screenContinue, data: [:])
            return .next()
        case "meya.orb.component.hero":
            return try emitFields(EventTypes.hero, [("title", "hero"), ("description", "description")], of: element, context: &context)
        case "meya.util.text.component.echo":
            // Meya's echo says the text its flow's trigger matched, `flow.result`.
            emitText(EventTypes.say, text: try context.renderShown(Self.flowResult), buttons: [], key: "", context: &context)
            return .next()
        case "meya.util.latency.component.pong":
            // The time since this turn's message arrived (Meya's "internal" latency).
            let keyword = element["keyword"] == nil ? "_pong" : try context.renderText(element["keyword"])
            let milliseconds = context.options.clock().timeIntervalSince(context.event.time) * 1000
            let text = TemplateValue.string("\(keyword) \(String(format: "%.1f", milliseconds))ms")
            emitText(EventTypes.say, text: (text, text), buttons: [], key: "", context: &context)
            return .next()
        case "meya.time.component.delay":
            let value = try context.render(element["delay"])
            let seconds: Double = switch value {
            case .int(let number): Double(number)
            case .double(let number): number
            default: 0
            }
            if context.options.realDelays, seconds > 0 { try await Task.sleep(for: .seconds(min(seconds, 20))) }
            return .next()
        case "meya.thread.component.config.mode":
            // `- mode:` with no value is Meya's way back to the bot (ThreadMode's default).
            let value = try context.render(element["mode"])
            let mode = value == .none ? "bot" : value.pythonString
            context.setThread("mode", .string(mode))
            context.emit(EventTypes.mode, data: ["mode": .string(mode)])
            return .next()
        case "meya.event.component.config.event_user_id":
            // None: the events are the bot's again (Meya's default).
            let id = try context.render(element["event_user_id"])
            if case .value(.string("thread"))? = element["scope"] {
                context.setThread("_event_user_id", id)
            } else {
                context.mergeFlowScope(["_event_user_id": id])
            }
            return .next()
        default:
            throw RuntimeError.noHandler(element.type)
        }
    }

    func resume(_ element: Element, answer: Answer, in context: inout ComponentContext) async throws -> ComponentOutcome {
        if let index = answer.buttonIndex {
            let buttons = try ButtonItem.answers(of: element, in: context)
            if index < buttons.count { return buttons[index].outcome() }
        }
        let text = answer.event.text ?? answer.event.data["value"]?.pythonString ?? ""
        switch element.type {
        case "meya.text.component.ask_regex":
            guard let regex = context.runtime.patterns[element.id] else {
                return .next(["result": .string(text), "ok": .bool(false)])
            }
            if let found = context.options.search(regex, in: text, what: element.id) {
                return .next(["result": .string(found.text), "groups": found.scopeValue, "ok": .bool(true)])
            }
            return try retry(element, text: text, context: &context)
        case "meya.email.component.address.ask", "meya.email.component.address.ask.form":
            let address = text.trimmingSpaces
            if FormComponentHandler.isEmailAddress(address) {
                return .next(["result": .string(address), "ok": .bool(true)])
            }
            return try retry(element, text: text, context: &context)
        case "meya.image.component.ask", "meya.file.component.ask":
            return .next(["result": answer.event.data["url"] ?? .string(text), "ok": .bool(true)])
        default:
            return .next(["result": .string(text)])
        }
    }

    /// An invalid answer: say why and ask again, until `retries` runs out.
    private func retry(_ element: Element, text: String, context: inout ComponentContext) throws -> ComponentOutcome {
        // `retries: .inf` (Meya's default) asks until the answer is valid.
        let retries = try context.render(element["retries"]).number
        if let retries, Double(context.attempts) >= retries {
            return .next(["result": .string(text), "ok": .bool(false)])
        }
        let message = element["error_message"] != nil
            ? try context.renderShown(element["error_message"])
            : (TemplateValue.string("Sorry, that doesn't look right. Please try again."), TemplateValue.string("Sorry, that doesn't look right. Please try again."))
        emitText(EventTypes.say, text: message, buttons: [], key: "", context: &context)
        return .wait
    }

    /// Emits an event of `type` whose data keys are the step's fields as users are shown them
    /// (`fields`: data key, step field; absent ones left out), with the step's quick replies;
    /// the step waits when a reply can act.
    private func emitFields(_ type: String, _ fields: [(key: String, field: String)], of element: Element,
                            context: inout ComponentContext) throws -> ComponentOutcome {
        var kept = TemplateMap(), shown = TemplateMap()
        for (key, field) in fields {
            let value = try context.renderShown(element[field])
            guard value.kept != .none else { continue }
            (kept[key], shown[key]) = (.string(value.kept.pythonString), .string(value.shown.pythonString))
        }
        let replies = try ButtonItem.items(of: element, field: "quick_replies", in: context)
        if !replies.isEmpty { (kept["quick_replies"], shown["quick_replies"]) = (.list(replies.map(\.eventValue)), .list(replies.map(\.eventValue))) }
        context.emit(type, data: kept, shown: kept == shown ? nil : shown)
        return replies.contains { $0.isActionable } ? .wait : .next()
    }

    /// `(@ flow.result )`, which `echo` says.
    private static let flowResult: FieldValue? = (try? Template("(@ flow.result )")).map(FieldValue.template)

    private func emitText(_ type: String, text: (kept: TemplateValue, shown: TemplateValue), buttons: [ButtonItem], key: String,
                          extra: TemplateMap = [:], context: inout ComponentContext) {
        var kept = extra, shown = extra
        if text.kept != .none {
            kept["text"] = .string(text.kept.pythonString)
            shown["text"] = .string(text.shown.pythonString)
        }
        if !buttons.isEmpty {
            kept[key] = .list(buttons.map { $0.eventValue })
            shown[key] = kept[key]
        }
        context.emit(type, data: kept, shown: kept == shown ? nil : shown)
    }
}
