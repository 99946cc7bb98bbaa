import BotRuntime
import FlowDSL
import Foundation

/// `:state`: what the runtime keeps about the conversation, one value per line.
///
/// Values come from the store as the engine keeps them, so vault values appear as their
/// placeholders (`[vault.KEY]`), never in the clear.
struct StateReport {
    var threadID: String
    var userID: String
    var thread: ThreadRecord?
    var userScope: TemplateMap
    var app: BotApp

    var lines: [String] {
        var lines = ["thread: \(threadID)" + (thread == nil ? " (nothing stored yet)" : ""),
                     "user: \(userID)",
                     "mode: \(thread?.mode ?? "bot")"]
        if let waiting = thread?.waiting {
            lines.append("waiting: " + describe(waiting.frame) + (waiting.attempts > 0 ? ", \(waiting.attempts) invalid answer\(waiting.attempts == 1 ? "" : "s") so far" : ""))
            for caller in waiting.callers.reversed() { lines.append("  called from " + describe(caller)) }
        } else {
            lines.append("waiting: nothing (no question is open)")
        }
        lines.append("thread scope:" + Self.inline(.map(thread?.scope ?? [:])))
        lines += Self.block(.map(thread?.scope ?? [:]), indent: "  ")
        lines.append("user scope:" + Self.inline(.map(userScope)))
        lines += Self.block(.map(userScope), indent: "  ")
        return lines
    }

    /// `flow.pre_chat step 3 (flow/pre_chat.yaml:13:5)`.
    private func describe(_ frame: FlowFrame) -> String {
        var text = "\(frame.flowID) step \(frame.index)"
        if let steps = app.flows[frame.flowID]?.steps, steps.indices.contains(frame.index) {
            text += " (\(steps[frame.index].position))"
        }
        return text
    }

    /// After `key:` — a scalar or an empty collection on the same line, else nothing.
    static func inline(_ value: TemplateValue) -> String {
        switch value {
        case .map(let map) where map.isEmpty: " {}"
        case .list(let items) where items.isEmpty: " []"
        case .map, .list: ""
        default: " " + scalar(value)
        }
    }

    /// The lines under `key:` for a map or list, indented.
    static func block(_ value: TemplateValue, indent: String) -> [String] {
        switch value {
        case .map(let map):
            map.flatMap { key, child in [indent + key + ":" + inline(child)] + block(child, indent: indent + "  ") }
        case .list(let items):
            items.flatMap { item in [indent + "-" + inline(item)] + block(item, indent: indent + "  ") }
        default:
            []
        }
    }

    /// A scalar as JSON, but text bare when it cannot be mistaken for something else.
    static func scalar(_ value: TemplateValue) -> String {
        guard case .string(let text) = value else { return value.jsonText }
        let looksLikeOther = ["true", "false", "null", "{}", "[]"].contains(text) || Double(text) != nil
        let safe = !text.isEmpty && !looksLikeOther && text.first != "\"" && text.first != "-"
            && text.trimmingCharacters(in: .whitespaces) == text
            && !text.unicodeScalars.contains { $0.value < 0x20 }
        return safe ? text : value.jsonText
    }
}
