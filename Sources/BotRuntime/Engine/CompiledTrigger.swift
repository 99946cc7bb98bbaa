import FlowDSL
import OrderedCollections

/// A trigger ready to test events against: its kind decoded, its regex compiled, its default
/// `when` rule known.
final class CompiledTrigger: Sendable {
    enum Kind: Sendable {
        case keyword(String, ignoreCase: Bool)
        /// The message's first word (Meya's `ping`), compared as written.
        case firstWord(String)
        case regex(PythonRegex)
        case catchall
        case eventType(String)
        case agentCommand(PythonRegex)
        case buttonID(String)
        case lifecycle(String)
        /// Any event of one of these types from the user (page_open, chat_open, media …).
        case lifecycleEvent(Set<String>)
    }

    /// Who may fire a trigger when it has no `when:` (spec §3.1, §3.2).
    enum DefaultRule: Sendable {
        /// User sender, not sensitive, thread in bot mode.
        case standard
        /// User sender and bot mode, sensitive or not.
        case userInBotMode
        /// An agent sent it, in any mode.
        case agent
        /// Always.
        case always
    }

    let kind: Kind
    let element: Element
    /// The flow that owns the trigger (nil for a step's dynamic trigger).
    let flowID: String?
    let defaultRule: DefaultRule
    let baseConfidence: Double
    /// Catch-alls lose ties to anything more specific at the same confidence.
    let isCatchAll: Bool
    /// Position among all static triggers (app order), for ties.
    let order: Int

    init?(_ element: Element, flowID: String?, order: Int) {
        self.element = element
        self.flowID = flowID
        self.order = order
        var isCatchAll = false, baseConfidence = 1.0
        let ignoreCase = element["ignorecase"].flatMap { if case .value(.bool(let flag)) = $0 { flag } else { nil } } ?? true
        func pattern(_ field: String) -> PythonRegex? {
            guard case .value(.string(let text))? = element[field] else { return nil }
            return try? PythonRegex(text, ignoreCase: ignoreCase)
        }
        switch element.type {
        case "meya.text.trigger.keyword":
            guard let keyword = element["keyword"]?.constantText else { return nil }
            kind = .keyword(ignoreCase ? keyword.lowercased() : keyword, ignoreCase: ignoreCase)
            defaultRule = .standard
        case "meya.util.latency.trigger.ping":
            kind = .firstWord(element["keyword"] == nil ? "_ping" : element["keyword"]?.constantText ?? "")
            defaultRule = .standard
        case "meya.text.trigger.regex":
            guard let regex = pattern("regex") else { return nil }
            kind = .regex(regex)
            defaultRule = .standard
        case "meya.text.trigger.catchall":
            kind = .catchall
            defaultRule = .standard
            (baseConfidence, isCatchAll) = (0.001, true)
        case "meya.event.trigger.type":
            guard case .value(.string(let type))? = element["event_type"] else { return nil }
            kind = .eventType(type)
            defaultRule = .always
        case "meya.csp.trigger.agent.command":
            guard let regex = pattern("agent_command") else { return nil }
            kind = .agentCommand(regex)
            defaultRule = .agent
        case "meya.button.trigger":
            guard let id = element["button_id"]?.constantText else { return nil }
            kind = .buttonID(id)
            defaultRule = .always
        case "meya.lifecycle.trigger":
            guard let id = element["lifecycle_id"]?.constantText else { return nil }
            kind = .lifecycle(id)
            defaultRule = .always
        case "meya.session.trigger.page.open":
            kind = .lifecycleEvent([EventTypes.pageOpen])
            defaultRule = .userInBotMode
        case "meya.session.trigger.chat.open":
            kind = .lifecycleEvent([EventTypes.chatOpen])
            defaultRule = .userInBotMode
        case "meya.session.trigger.chat.close":
            kind = .lifecycleEvent([EventTypes.chatClose])
            defaultRule = .userInBotMode
        case "meya.media.trigger", "meya.image.trigger", "meya.file.trigger":
            kind = .lifecycleEvent([EventTypes.media])
            defaultRule = .userInBotMode
        default:
            return nil
        }
        self.isCatchAll = isCatchAll
        self.baseConfidence = baseConfidence
    }

    /// What the trigger adds to the new flow scope when `event` matches it, or nil. `text` is
    /// the event's text prepared once for all triggers; regular expressions search it within
    /// `options`' budget.
    func match(_ event: Event, text prepared: EventText?, options: EngineOptions) -> TemplateMap? {
        switch kind {
        case .keyword(let keyword, let ignoreCase):
            guard event.type == EventTypes.say, let prepared else { return nil }
            guard (ignoreCase ? prepared.folded : prepared.trimmed) == keyword else { return nil }
            return ["result": .string(prepared.raw)]
        case .firstWord(let word):
            guard event.type == EventTypes.say, let prepared, prepared.raw.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false).first == Substring(word) else {
                return nil
            }
            return ["result": .string(prepared.raw)]
        case .regex(let regex):
            guard event.type == EventTypes.say, let prepared,
                  let found = options.search(regex, in: prepared.raw, lowercased: prepared.lowercased, what: element.id) else { return nil }
            return ["result": .string(found.text), "groups": found.scopeValue]
        case .catchall:
            guard event.type == EventTypes.say, let text = event.text, !text.isEmpty else { return nil }
            return ["result": .string(text)]
        case .eventType(let type):
            return event.type == type ? [:] : nil
        case .agentCommand(let regex):
            guard event.type == EventTypes.agentCommand, let prepared,
                  let found = options.search(regex, in: prepared.raw, lowercased: prepared.lowercased, what: element.id) else { return nil }
            return ["result": .string(found.text), "groups": found.scopeValue]
        case .buttonID(let id):
            guard event.type == EventTypes.click, case .string(id)? = event.data["button_id"] else { return nil }
            return ["context": event.data["context"] ?? .map([:])]
        case .lifecycle(let id):
            guard case .string(id)? = event.data["lifecycle_id"] else { return nil }
            return ["context": event.data["context"] ?? .map([:])]
        case .lifecycleEvent(let types):
            guard types.contains(event.type) else { return nil }
            return ["result": event.data["url"] ?? .none, "context": event.data["context"] ?? .map([:])]
        }
    }
}

import Foundation

/// An event's text in the forms triggers compare with, computed once per event.
struct EventText {
    let raw: String
    let lowercased: String
    let trimmed: String
    /// Trimmed and lowercased, for case-insensitive keywords.
    let folded: String

    init?(_ event: Event) {
        guard let text = event.text else { return nil }
        raw = text
        lowercased = text.lowercased()
        trimmed = text.trimmingSpaces
        folded = trimmed.lowercased()
    }
}
