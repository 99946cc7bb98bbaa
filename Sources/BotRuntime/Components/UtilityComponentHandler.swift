import FlowDSL
import Foundation

/// Runs Meya's utility steps that show users nothing: `random_hex`, `split_name`, `file_path:`
/// and business hours (`meya.time.component.availability`) compute `flow.result` or `flow.ok`;
/// `lifecycle:`, `track:` and `identify:` publish an event for other flows' triggers.
struct UtilityComponentHandler: ComponentHandler {
    var types: [String] {
        ["meya.util.text.component.random_hex", "meya.util.text.component.split_name", "meya.file.component.load",
         "meya.time.component.availability", "meya.lifecycle.component", "meya.analytics.component.track",
         "meya.analytics.component.identify"]
    }

    func run(_ element: Element, in context: inout ComponentContext) async throws -> ComponentOutcome {
        switch element.type {
        case "meya.util.text.component.random_hex":
            return .next(["result": .string(randomHex(context.options.random))])
        case "meya.util.text.component.split_name":
            // Meya splits at single spaces (`str.split(" ")`): the first part, then the rest joined again.
            guard case .string(let name) = try context.render(element["name"]) else {
                return .next(["result": .map(["first_name": .none, "last_name": .none])])
            }
            let parts = name.components(separatedBy: " ")
            return .next(["result": .map(["first_name": .string(parts[0]), "last_name": .string(parts.dropFirst().joined(separator: " "))])])
        case "meya.file.component.load":
            return .next(["result": .string(try loadFile(element, in: context))])
        case "meya.time.component.availability":
            return .next(["ok": .bool(try isAvailable(element, in: context))])
        case "meya.lifecycle.component":
            try context.publish(EventTypes.lifecycle, data: ["lifecycle_id": try context.render(element["lifecycle"]),
                                                         "text": try context.render(element["text"])])
            return .next()
        case "meya.analytics.component.track":
            try context.publish(EventTypes.track, data: ["event": try context.render(element["track"]), "data": try context.render(element["data"]),
                                                     "timestamp": try context.render(element["timestamp"])])
            return .next()
        case "meya.analytics.component.identify":
            try context.publish(EventTypes.identify, data: ["data": try context.render(element["identify"]),
                                                        "timestamp": try context.render(element["timestamp"])])
            return .next()
        default:
            throw RuntimeError.noHandler(element.type)
        }
    }

    /// 32 hexadecimal digits of a version 4 UUID (Meya's `uuid4().hex`), from the engine's randomness.
    private func randomHex(_ random: (Int) -> Int) -> String {
        let digits = Array("0123456789abcdef")
        return String((0..<32).map { index in
            switch index {
            case 12: "4"
            case 16: digits[8 + random(4)]
            default: digits[random(16)]
            }
        })
    }

    /// The file's text, rendered as a template with `template: true` — with `template_context`
    /// as its names, or else the step's own scopes (vault values as placeholders: the result
    /// goes into the flow scope).
    private func loadFile(_ element: Element, in context: ComponentContext) throws -> String {
        let path = try context.renderText(element["file_path"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let text: String
        switch AppFilePath.read(path, in: context.app.root) {
        case .success(let read): text = read
        case .failure(let refusal): throw RuntimeError.invalidValue("file_path: \(refusal.message)")
        }
        guard try context.render(element["template"]).isTruthy else { return text }
        let template: Template
        do { template = try Template(text) } catch { throw RuntimeError.invalidValue("file_path: `\(path)` is not a valid template: \(error)") }
        if let names = element["template_context"] {
            guard case .map(let scopes) = try context.render(names) else {
                throw RuntimeError.invalidValue("file_path: `template_context` is not a mapping")
            }
            return try template.renderString(TemplateContext(Dictionary(uniqueKeysWithValues: scopes.map { ($0.key, $0.value) }),
                                                             lenientScopes: []))
        }
        return try context.renderString(template)
    }

    /// Whether the clock's now, in the step's time zone, falls inside that weekday's open hours.
    /// Meya takes the weekday and date in UTC and the hours in the zone; Parley takes all three in
    /// the zone, so a schedule means the same at any hour.
    private func isAvailable(_ element: Element, in context: ComponentContext) throws -> Bool {
        let zoneName = element["timezone"] == nil ? "America/Toronto" : try context.renderText(element["timezone"])
        guard let zone = TimeZone(identifier: zoneName) else { throw RuntimeError.invalidValue("availability: unknown time zone `\(zoneName)`") }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let now = calendar.dateComponents([.weekday, .hour, .minute, .second, .nanosecond], from: context.options.clock())
        // Calendar counts Sunday as 1; Meya's days start on Monday.
        let day = OpenHours.days[((now.weekday ?? 2) + 5) % 7]
        let rendered = try context.render(element[day])
        guard case .string(let text) = rendered, !text.isEmpty else { return false }
        switch OpenHours.parse(text) {
        case .success(let hours):
            let minute = Double((now.hour ?? 0) * 60 + (now.minute ?? 0)) + (Double(now.second ?? 0) + Double(now.nanosecond ?? 0) / 1e9) / 60
            return hours.isOpen(atMinute: minute)
        case .failure(let problem):
            throw RuntimeError.invalidValue("availability: `\(day)`: \(problem.message)")
        }
    }
}
