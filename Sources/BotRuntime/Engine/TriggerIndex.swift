import FlowDSL

/// The app's flow triggers arranged by what an event must be to match them, so that a turn
/// tests only the triggers its event could match, not every trigger of the app: keywords by
/// their text, the rest by the event type they need.
///
/// Which of the found triggers wins does not depend on the order they are found in (the
/// matcher breaks ties by app order), so the index changes no outcome.
struct TriggerIndex: Sendable {
    /// Case-insensitive keywords, by their trimmed lowercased text.
    private var foldedKeywords: [String: [CompiledTrigger]] = [:]
    /// Case-sensitive keywords, by their trimmed text.
    private var exactKeywords: [String: [CompiledTrigger]] = [:]
    /// Triggers that match one event type (regexes, catch-alls, `event_type:` …), by that type.
    private var byEventType: [String: [CompiledTrigger]] = [:]
    /// Triggers any event may match (`lifecycle_id:`).
    private var anyEvent: [CompiledTrigger] = []

    init(_ triggers: [CompiledTrigger]) {
        for trigger in triggers {
            switch trigger.kind {
            case .keyword(let keyword, ignoreCase: true): foldedKeywords[keyword, default: []].append(trigger)
            case .keyword(let keyword, ignoreCase: false): exactKeywords[keyword, default: []].append(trigger)
            case .regex, .catchall, .firstWord: byEventType[EventTypes.say, default: []].append(trigger)
            case .eventType(let type): byEventType[type, default: []].append(trigger)
            case .agentCommand: byEventType[EventTypes.agentCommand, default: []].append(trigger)
            case .buttonID: byEventType[EventTypes.click, default: []].append(trigger)
            case .lifecycleEvent(let types): for type in types { byEventType[type, default: []].append(trigger) }
            case .lifecycle: anyEvent.append(trigger)
            }
        }
    }

    /// Calls `body` with every trigger `event` could match (each still has to `match`).
    func forEachCandidate(for event: Event, text: EventText?, _ body: (CompiledTrigger) throws -> Void) rethrows {
        if event.type == EventTypes.say, let text {
            try foldedKeywords[text.folded]?.forEach(body)
            try exactKeywords[text.trimmed]?.forEach(body)
        }
        try byEventType[event.type]?.forEach(body)
        try anyEvent.forEach(body)
    }
}
