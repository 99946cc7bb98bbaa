import Foundation
import FlowDSL
import OrderedCollections

/// Runs the steps that steer flows: flow calls, jump, if, case, cond, match, random, end,
/// next, and the scope setters flow_set, user_set, thread_set.
struct FlowComponentHandler: ComponentHandler {
    var types: [String] {
        [
            "meya.flow.component", "meya.flow.component.jump", "meya.flow.component.if", "meya.flow.component.case",
            "meya.flow.component.cond", "meya.flow.component.match", "meya.flow.component.random",
            "meya.flow.component.end", "meya.flow.component.next", "meya.flow.component.set",
            "meya.user.component.set", "meya.thread.component.set",
        ]
    }

    /// A flow or label named by `field`, rendered and stripped as Meya strips every reference
    /// (a folded-block template computing a label ends with a newline).
    private func reference(_ field: FieldValue?, _ context: ComponentContext) throws -> String {
        try context.renderText(field).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func run(_ element: Element, in context: inout ComponentContext) async throws -> ComponentOutcome {
        switch element.type {
        case "meya.flow.component":
            let flow = try reference(element["flow"], context)
            let label = try element["jump"].map { try reference($0, context) }
            let data = try mapValue(element["data"], context)
            let transfer = try context.render(element["transfer"]).isTruthy
            return .call(flow: flow, label: label, data: data, transfer: transfer)
        case "meya.flow.component.jump":
            return .jump(try reference(element["jump"], context), data: try mapValue(element["data"], context))
        case "meya.flow.component.if":
            if try context.render(element["if"]).isTruthy, let then = element["then"]?.element { return .action(then) }
            if let otherwise = element["else"]?.element { return .action(otherwise) }
            return .next()
        case "meya.flow.component.case":
            let value = element["value"] != nil ? try context.render(element["value"]) : (context.flowScope["result"] ?? .none)
            let ignoreCase = (try? context.render(element["ignorecase"])).map { $0 == .none || $0.isTruthy } ?? true
            let written = Self.caseText(value)
            for (key, action) in element["case"]?.map ?? [:] {
                let matches = ignoreCase ? key.lowercased() == written.lowercased() : key == written
                if matches, let action = action.element { return .action(action) }
            }
            return element["default"]?.element.map { .action($0) } ?? .next()
        case "meya.flow.component.cond":
            for entry in element["cond"]?.list ?? [] {
                guard let fields = entry.map, let action = fields["action"]?.element else { continue }
                if try context.render(fields["when"]).isTruthy { return .action(action) }
            }
            return element["default"]?.element.map { .action($0) } ?? .next()
        case "meya.flow.component.match":
            let value = element["value"] != nil ? try context.render(element["value"]) : (context.flowScope["result"] ?? .none)
            let text = Self.caseText(value)
            var best: (length: Int, action: Element, data: TemplateMap)?
            for (key, action) in element["match"]?.map ?? [:] {
                guard let regex = context.runtime.patterns["\(element.id)#\(key)"], let found = context.options.search(regex, in: text, what: element.id),
                      let action = action.element else { continue }
                if best == nil || found.text.count > best!.length {
                    best = (found.text.count, action, ["result": .string(found.text), "groups": found.scopeValue, "ok": .bool(true)])
                }
            }
            if let best { return .action(best.action, data: best.data) }
            if let fallback = element["default"]?.element { return .action(fallback, data: ["ok": .bool(false)]) }
            return .next(["ok": .bool(false)])
        case "meya.flow.component.random":
            let actions = (element["random"]?.list ?? []).compactMap(\.element)
            guard !actions.isEmpty else { return .next() }
            return .action(actions[context.options.random(actions.count)])
        case "meya.flow.component.end":
            return .end(try mapValue(element["end"], context))
        case "meya.flow.component.next":
            return .next(try mapValue(element["next"], context))
        case "meya.flow.component.set":
            return .next(try assignments(element, field: "flow_set", context))
        case "meya.user.component.set":
            for (key, value) in try assignments(element, field: "user_set", context) { context.setUser(key, value) }
            return .next()
        case "meya.thread.component.set":
            for (key, value) in try assignments(element, field: "thread_set", context) { context.setThread(key, value) }
            return .next()
        default:
            throw RuntimeError.noHandler(element.type)
        }
    }

    /// `x_set: name` copies `flow.result` to `name`; `x_set: {k: v}` sets each key.
    private func assignments(_ element: Element, field: String, _ context: ComponentContext) throws -> TemplateMap {
        let value = element[field]
        if let name = value?.constantText {
            guard let result = context.flowScope["result"] else { throw RuntimeError.unsetResult(field) }
            return [name: result]
        }
        switch try context.render(value) {
        case .map(let map): return map
        case .string(let name):
            guard let result = context.flowScope["result"] else { throw RuntimeError.unsetResult(field) }
            return [name: result]
        default: return [:]
        }
    }

    private func mapValue(_ field: FieldValue?, _ context: ComponentContext) throws -> TemplateMap {
        if case .map(let map) = try context.render(field) { return map }
        return [:]
    }

    /// A value as `case:` keys are written: `True` / `true` both match a boolean.
    static func caseText(_ value: TemplateValue) -> String {
        switch value {
        case .string(let text): text
        case .bool(let flag): flag ? "true" : "false"
        case .none: "null"
        default: value.pythonString
        }
    }
}
