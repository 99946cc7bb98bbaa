import BotRuntime
import FlowDSL

/// Turns YAML nodes into cases and steps, collecting every format error.
struct ConversationTestParser {
    let file: String
    var cases: [ConversationTestCase] = []
    var diagnostics: [Diagnostic] = []

    static let caseKeys = ["name", "steps"]
    static let stepKeys = ["user", "click", "event", "agent", "bot", "buttons", "status", "error", "thread"]

    init(file: String) { self.file = file }

    mutating func error(_ position: SourcePosition, _ message: String, hint: String? = nil) {
        diagnostics.append(.error(at: position, message, hint: hint))
    }

    mutating func readFile(_ document: YAMLNode) {
        guard let items = document.items else {
            if document.scalar?.value == TemplateValue.none { return }
            error(document.position, "a test file is a list of test cases (`- name: …` with `steps:`), found \(document.kindDescription)")
            return
        }
        for item in items {
            if let testCase = readCase(item) { cases.append(testCase) }
        }
    }

    private mutating func readCase(_ node: YAMLNode) -> ConversationTestCase? {
        guard let pairs = node.pairs else {
            error(node.position, "a test case is a mapping with `name:` and `steps:`, found \(node.kindDescription)")
            return nil
        }
        for pair in pairs {
            let key = pair.key.scalar?.text ?? ""
            guard !Self.caseKeys.contains(key) else { continue }
            error(pair.key.position, "unknown test case key `\(key)`", hint: Self.suggestion(key, among: Self.caseKeys) ?? "a case has `name:` and `steps:`")
        }
        var name = ""
        if let nameNode = node["name"] {
            if let scalar = nameNode.scalar, scalar.value != .none, !scalar.text.isEmpty {
                name = scalar.text
            } else {
                error(nameNode.position, "`name:` needs text")
            }
        } else {
            error(node.position, "test case is missing `name:`")
        }
        guard let stepsNode = node["steps"] else {
            error(node.position, "test case \(name.isEmpty ? "" : "`\(name)` ")is missing `steps:`")
            return nil
        }
        guard let stepNodes = stepsNode.items, !stepNodes.isEmpty else {
            error(stepsNode.position, "`steps:` needs a list of steps, found \(stepsNode.kindDescription)")
            return nil
        }
        let steps = stepNodes.compactMap { readStep($0) }
        return ConversationTestCase(name: name, position: node.position, steps: steps)
    }

    private mutating func readStep(_ node: YAMLNode) -> ConversationStep? {
        guard let pairs = node.pairs, pairs.count == 1, let pair = pairs.first else {
            if let pairs = node.pairs, pairs.count > 1 {
                error(pairs[1].key.position, "a step has exactly one key; start a new `- ` item for `\(pairs[1].key.scalar?.text ?? "")`")
            } else {
                error(node.position, "a step is a one-key mapping such as `- user: hello` or `- bot: Hi!`, found \(node.kindDescription)")
            }
            return nil
        }
        let key = pair.key.scalar?.text ?? ""
        let value = pair.value
        let position = pair.key.position
        func text(_ what: String) -> String? {
            guard let scalar = value.scalar, scalar.value != .none else {
                error(value.position, "`\(key):` needs \(what), found \(value.kindDescription)")
                return nil
            }
            return scalar.text
        }
        switch key {
        case "user":
            if value.pairs != nil { return scope(.user, value, at: position) }
            return text("the text the user types (or a mapping of user scope values to check)").map { .init(.input(.user($0)), at: position) }
        case "thread":
            return scope(.thread, value, at: position)
        case "click":
            return text("the text of a button the bot offered").map { .init(.input(.click($0)), at: position) }
        case "agent":
            return text("the text the agent writes").map { .init(.input(.agent($0)), at: position) }
        case "event":
            return event(value, at: position)
        case "bot", "status", "error":
            return matcher(value, key: key).map { .init(.expect(ConversationExpectation(kind: key, text: $0)), at: position) }
        case "buttons":
            guard let items = value.items, !items.isEmpty else {
                error(value.position, "`buttons:` needs a list of button texts, such as `[Yes, No]`, found \(value.kindDescription)")
                return nil
            }
            var texts: [String] = []
            for item in items {
                guard let scalar = item.scalar, scalar.value != .none else {
                    error(item.position, "a button is given by its text, found \(item.kindDescription)")
                    return nil
                }
                texts.append(scalar.text)
            }
            return .init(.buttons(texts), at: position)
        default:
            error(position, "unknown step `\(key):`",
                  hint: Self.suggestion(key, among: Self.stepKeys) ?? "steps are user, click, event, agent, bot, buttons, status, error, thread")
            return nil
        }
    }

    private mutating func matcher(_ node: YAMLNode, key: String) -> ConversationTextMatcher? {
        if let scalar = node.scalar, scalar.value != .none { return .exact(scalar.text) }
        guard let pairs = node.pairs else {
            error(node.position, "`\(key):` needs the text expected, or `{regex: PATTERN}`; found \(node.kindDescription)")
            return nil
        }
        guard pairs.count == 1, pairs[0].key.scalar?.text == "regex" else {
            let other = pairs.first { $0.key.scalar?.text != "regex" } ?? pairs[0]
            error(other.key.position, "`\(key):` takes text or `{regex: PATTERN}`; unknown key `\(other.key.scalar?.text ?? "")`")
            return nil
        }
        let patternNode = pairs[0].value
        guard let pattern = patternNode.scalar, pattern.value != .none else {
            error(patternNode.position, "`regex:` needs a pattern, found \(patternNode.kindDescription)")
            return nil
        }
        do {
            return .regex(try PythonRegex(pattern.text, ignoreCase: false, verbose: false))
        } catch {
            self.error(patternNode.position, error.message)
            return nil
        }
    }

    private mutating func event(_ node: YAMLNode, at position: SourcePosition) -> ConversationStep? {
        func input(type: String, data: TemplateMap = [:], sender: Sender = .user) -> ConversationStep {
            .init(.input(.event(type: ConversationInput.eventAliases[type] ?? type, data: data, sender: sender)), at: position)
        }
        if let scalar = node.scalar, scalar.value != .none, !scalar.text.isEmpty { return input(type: scalar.text) }
        guard let pairs = node.pairs else {
            error(node.position, "`event:` needs a type (`page_open`) or `{type: TYPE, data: {…}}`, found \(node.kindDescription)")
            return nil
        }
        let keys = ["type", "data", "sender"]
        for pair in pairs where !keys.contains(pair.key.scalar?.text ?? "") {
            let key = pair.key.scalar?.text ?? ""
            error(pair.key.position, "unknown event key `\(key)`", hint: Self.suggestion(key, among: keys) ?? "an event has `type:`, `data:` and `sender:`")
            return nil
        }
        guard let typeNode = node["type"], let type = typeNode.scalar, type.isString, !type.text.isEmpty else {
            error(node["type"]?.position ?? node.position, "`event:` needs `type:` (an event type such as `page_open` or `meya.text.event.say`)")
            return nil
        }
        var data = TemplateMap()
        if let dataNode = node["data"] {
            guard case .map(let map) = dataNode.value else {
                error(dataNode.position, "`data:` needs a mapping, found \(dataNode.kindDescription)")
                return nil
            }
            data = map
        }
        var sender = Sender.user
        if let senderNode = node["sender"] {
            guard let name = senderNode.scalar?.text, let parsed = Sender(rawValue: name) else {
                error(senderNode.position, "`sender:` is one of user, bot, agent, system")
                return nil
            }
            sender = parsed
        }
        return input(type: type.text, data: data, sender: sender)
    }

    private mutating func scope(_ scope: ConversationScope, _ node: YAMLNode, at position: SourcePosition) -> ConversationStep? {
        guard case .map(let values) = node.value, !values.isEmpty else {
            error(node.position, "`\(scope.rawValue):` to check the \(scope.rawValue) scope needs a mapping such as `{\(scope == .thread ? "mode: agent" : "name: Ana")}`, found \(node.kindDescription)")
            return nil
        }
        return .init(.scope(scope, values), at: position)
    }

    static func suggestion(_ key: String, among keys: [String]) -> String? {
        Spelling.hint(for: key, among: keys)
    }
}
