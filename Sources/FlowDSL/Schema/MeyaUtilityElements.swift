import Foundation

/// Meya's small utility elements, named and shaped as in Meya's SDK: `echo`, `random_hex`,
/// `split_name` (`meya/util/text`), `ping` / `pong` (`meya/util/latency`), `file_path:`
/// (`meya/file/component/load.py`), business hours (`meya/time/component/availability.py`),
/// the Orb's hero and screens (`meya/orb/component`), read and delivery receipts, and the steps
/// that publish an event for other flows' triggers: `lifecycle:` (`meya/lifecycle`), `track:`
/// and `identify:` (`meya/analytics`).
enum MeyaUtilityElements {
    static var all: [ElementSpec] {
        let base = StandardComponents.base, interactive = StandardComponents.interactive
        return [
            ElementSpec("meya.util.text.component.echo", kind: .component, parent: base, aliases: ["echo"],
                        summary: "Say `flow.result` (the text that started the flow) back."),
            ElementSpec("meya.util.text.component.random_hex", kind: .component, parent: base,
                        summary: "`flow.result` is 32 random hexadecimal digits (a version 4 UUID's)."),
            ElementSpec("meya.util.text.component.split_name", kind: .component, parent: base,
                        fields: [FieldSpec("name", .string, required: true, "a full name")],
                        summary: "`flow.result.first_name` is the name's first word, `flow.result.last_name` the rest."),
            ElementSpec("meya.util.latency.trigger.ping", kind: .trigger, parent: StandardTriggers.base, aliases: ["ping"],
                        fields: [FieldSpec("keyword", .string, "the message's first word (default `_ping`)")],
                        summary: "A message whose first word is the keyword (`_ping`)."),
            ElementSpec("meya.util.latency.component.pong", kind: .component, parent: interactive, aliases: ["pong"],
                        fields: [FieldSpec("keyword", .string, "the answer's first word (default `_pong`)")],
                        summary: "Say how long the bot took since the message of this turn arrived: `_pong 1.2ms`."),
            ElementSpec("meya.file.component.load", kind: .component, parent: base,
                        fields: [
                            FieldSpec("file_path", .appFile, required: true, signature: true, "a text file, relative to the app's folder"),
                            FieldSpec("template", .bool, "render the file as a template"),
                            FieldSpec("template_context", .map(.any), "the template's names (default: the flow, user, thread … scopes)"),
                        ],
                        summary: "`flow.result` is a text file of the app, rendered as a template with `template: true`."),
            ElementSpec("meya.time.component.availability", kind: .component, parent: base,
                        fields: [FieldSpec("timezone", .string, "an IANA time zone (default `America/Toronto`)")]
                            + OpenHours.days.map { FieldSpec($0, .string, "open hours that day: `9-12, 13-16:30`; none: closed") },
                        summary: "`flow.ok` is whether now falls within the day's open hours.",
                        rules: [availabilityRule]),
            ElementSpec("meya.lifecycle.component", kind: .component, parent: base,
                        fields: [FieldSpec("lifecycle", .oneOf([.null, .string]), required: true, signature: true,
                                           "the lifecycle id `lifecycle_id:` triggers wait for"),
                                 FieldSpec("text", .string)],
                        summary: "Publish `meya.lifecycle.event`: the flows whose `lifecycle_id:` trigger names it start."),
            ElementSpec("meya.analytics.component.track", kind: .component, parent: base,
                        fields: [FieldSpec("track", .string, required: true, signature: true, "the event's name"),
                                 FieldSpec("data", .map(.any)), FieldSpec("timestamp", .number)],
                        summary: "Publish `meya.analytics.event.track` (`event`, `data`, `timestamp`) for `event_type:` triggers."),
            ElementSpec("meya.analytics.component.identify", kind: .component, parent: base,
                        fields: [FieldSpec("identify", .map(.any), required: true, signature: true, "what is known of the user"),
                                 FieldSpec("timestamp", .number)],
                        summary: "Publish `meya.analytics.event.identify` (`data`, `timestamp`) for `event_type:` triggers."),
            ElementSpec("meya.orb.component.hero", kind: .component, parent: interactive,
                        fields: [FieldSpec("hero", .oneOf([.null, .string]), required: true, signature: true, "the title"),
                                 FieldSpec("description", .string)],
                        summary: "A title with a description (Meya's Orb draws it large; Parley's channels as a message)."),
            ElementSpec("meya.orb.component.screen.continue", kind: .component, parent: base, aliases: ["continue_screen"],
                        summary: "Files `meya.orb.event.screen.continue` (Meya's Orb shows its chat again; Parley's page always does)."),
            ElementSpec("meya.orb.component.screen.end", kind: .component, parent: base, aliases: ["end_screen"],
                        summary: "Files `meya.orb.event.screen.end` (Meya's Orb shows an end screen; Parley's page does not draw it)."),
        ]
    }

    static var events: [EventTypeSpec] {
        [
            EventTypeSpec("meya.orb.event.hero", dataFields: [FieldSpec("title", .string), FieldSpec("description", .string)],
                          summary: "a title with a description"),
            EventTypeSpec("meya.analytics.event.track",
                          dataFields: [FieldSpec("event", .string), FieldSpec("data", .any), FieldSpec("timestamp", .number)],
                          summary: "a flow tracked something (`track:`); no analytics service receives it yet"),
            EventTypeSpec("meya.analytics.event.identify", dataFields: [FieldSpec("data", .any), FieldSpec("timestamp", .number)],
                          summary: "a flow said who the user is (`identify:`); no analytics service receives it yet"),
            EventTypeSpec("meya.orb.event.screen.continue"),
            EventTypeSpec("meya.orb.event.screen.end"),
            EventTypeSpec("meya.presence.event.receipt.read", summary: "the user read the bot's messages (no Parley channel reports it yet)"),
            EventTypeSpec("meya.presence.event.receipt.delivered",
                          summary: "the bot's messages reached the user (no Parley channel reports it yet)"),
        ]
    }

    /// Checks a written time zone and schedule the way the step reads them.
    private static let availabilityRule: ElementSpec.Rule = { element in
        var findings: [ElementSpec.Finding] = []
        if let zone = element["timezone"]?.constantText, TimeZone(identifier: zone) == nil {
            findings.append(.init(.error, "unknown time zone `\(zone)`", hint: "an IANA name such as `America/Toronto` or `Europe/Paris`",
                                  at: "timezone"))
        }
        for day in OpenHours.days {
            guard let text = element[day]?.constantText else { continue }
            if case .failure(let problem) = OpenHours.parse(text) {
                findings.append(.init(.error, "`\(day)`: \(problem.message)", hint: "hours as `9-12, 13-16:30`", at: day))
            }
        }
        return findings
    }
}

/// One day's open hours as Meya's availability step writes them: `9-12, 13-16:30`, each slot
/// from–to in hours and optional minutes, the end not before the start.
public struct OpenHours: Sendable, Equatable {
    /// The slots, as minutes since midnight.
    public var slots: [Range<Int>]

    /// The day fields, Monday first (Meya's order, Python's `weekday()`).
    public static let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    public struct Problem: Error, Sendable, Equatable {
        public var message: String
    }

    public static func parse(_ text: String) -> Result<OpenHours, Problem> {
        var slots: [Range<Int>] = []
        for slot in text.split(separator: ",") {
            let ends = slot.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard ends.count == 2, let from = minutes(ends[0]), let to = minutes(ends[1]) else {
                return .failure(Problem(message: "`\(slot.trimmingCharacters(in: .whitespaces))` is not hours such as `9-17` or `13-16:30`"))
            }
            guard from <= to else { return .failure(Problem(message: "`\(ends[0])` must be earlier than `\(ends[1])`")) }
            slots.append(from..<to)
        }
        return .success(OpenHours(slots: slots))
    }

    /// `9` or `16:30` as minutes since midnight.
    private static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        // Meya reads each end with `strptime(…, "%H:%M")`, `:00` added when there is no colon.
        guard (1...2).contains(parts.count), let hours = Int(parts[0]), (0..<24).contains(hours) else { return nil }
        guard let minutes = parts.count == 2 ? Int(parts[1]) : 0, (0..<60).contains(minutes) else { return nil }
        return hours * 60 + minutes
    }

    /// Whether `minute` (since midnight) falls strictly inside a slot, as Meya compares.
    public func isOpen(atMinute minute: Double) -> Bool {
        slots.contains { Double($0.lowerBound) < minute && minute < Double($0.upperBound) }
    }
}
