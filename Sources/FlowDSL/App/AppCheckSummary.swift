import Foundation

/// How much of an app `botcli check` finds clean, for a Meya author sizing a port at a glance
/// (`botcli check --summary`): the share of flow files and of steps with no error in them, the
/// types Parley does not have (the app's own Python components apart), and the other errors by
/// the type of step they are in.
public struct AppCheckSummary: Sendable, Equatable {
    public var flowFiles = 0, cleanFlowFiles = 0
    public var steps = 0, cleanSteps = 0
    /// Types the app uses that Parley does not have, with the errors naming each, most first.
    public var unknownTypes: [Count] = []
    /// The app's own components (Meya's Python: `component.*`, or a name its Python files give,
    /// `AppPythonElements`): what a port rewrites.
    public var ownComponents: [Count] = []
    /// Every other error, by the type of the step it is in (or the file's element).
    public var errorsByType: [Count] = []

    public struct Count: Sendable, Equatable {
        public var name: String
        public var count: Int
    }

    /// The summary of a load's `sources` and `diagnostics`.
    public init(_ result: AppLoadResult, registry: ElementRegistry) {
        var unknown: [String: Int] = [:], own: [String: Int] = [:], byType: [String: Int] = [:]
        var errorLines: [String: [Int]] = [:]
        for error in result.diagnostics where error.severity == .error {
            errorLines[error.position.file, default: []].append(error.position.line)
            if let type = Self.unknownType(in: error.message) {
                if Self.isOwn(type, result) { own[type, default: 0] += 1 } else { unknown[type, default: 0] += 1 }
            }
        }
        for source in result.sources where source.path.hasPrefix("flow/") {
            let lines = errorLines[source.path] ?? []
            flowFiles += 1
            if lines.isEmpty { cleanFlowFiles += 1 }
            for document in YAMLReader.documents(in: source.text, file: source.path).documents {
                let items = document["steps"]?.items ?? []
                for (index, step) in items.enumerated() {
                    let end = index + 1 < items.count ? items[index + 1].position.line - 1 : Int.max
                    let inside = lines.filter { (step.position.line...end).contains($0) }
                    steps += 1
                    if inside.isEmpty { cleanSteps += 1 }
                    let type = Self.type(of: step, registry: registry)
                    if !Self.isOwn(type, result), unknown[type] == nil { byType[type, default: 0] += inside.count }
                }
            }
        }
        for error in result.diagnostics where error.severity == .error && !error.position.file.hasPrefix("flow/")
            && Self.unknownType(in: error.message) == nil {
            byType[error.position.file, default: 0] += 1
        }
        func sorted(_ counts: [String: Int]) -> [Count] {
            counts.filter { $0.value > 0 }.map { Count(name: $0.key, count: $0.value) }
                .sorted { ($0.count, $1.name) > ($1.count, $0.name) }
        }
        (unknownTypes, ownComponents, errorsByType) = (sorted(unknown), sorted(own), sorted(byType))
    }

    /// Whether `type` is one of the app's own Python elements (or named as Meya names them, `component.…`).
    static func isOwn(_ type: String, _ result: AppLoadResult) -> Bool {
        type.hasPrefix("component.") || result.pythonElements.element(named: type) != nil
    }

    /// The type an "unknown …" error names (`tiles` for "unknown step `tiles:`").
    static func unknownType(in message: String) -> String? {
        guard message.hasPrefix("unknown "), !message.hasPrefix("unknown field"), !message.hasPrefix("unknown label"),
              !message.hasPrefix("unknown flow"), !message.hasPrefix("unknown integration"),
              let start = message.firstIndex(of: "`") else { return nil }
        let rest = message[message.index(after: start)...]
        guard let end = rest.firstIndex(of: "`") else { return nil }
        let name = rest[..<end]
        return String(name.hasSuffix(":") ? name.dropLast() : name)
    }

    /// A step's type: its `type:`, the step its keys make, else its first key.
    static func type(of step: YAMLNode, registry: ElementRegistry) -> String {
        if let type = step["type"]?.scalar?.text { return registry.spec(named: type)?.name ?? type }
        if let word = step.scalar?.text { return registry.spec(named: word)?.name ?? word }
        let keys = step.pairs?.compactMap { $0.key.scalar?.text } ?? []
        if case .matched(let spec) = registry.matchShorthand(kind: .component, keys: keys, choiceValue: { step[$0]?.scalar?.text }) {
            return spec.name
        }
        return keys.first ?? "?"
    }

    /// The report `botcli check --summary` prints.
    public var text: String {
        func percent(_ part: Int, _ whole: Int) -> String { whole == 0 ? "–" : "\(Int((100 * Double(part) / Double(whole)).rounded()))%" }
        var lines = [
            "flow files: \(cleanFlowFiles) of \(flowFiles) check clean (\(percent(cleanFlowFiles, flowFiles)))",
            "steps: \(cleanSteps) of \(steps) check clean (\(percent(cleanSteps, steps)))",
        ]
        func section(_ title: String, _ counts: [Count]) {
            guard !counts.isEmpty else { return }
            let errors = counts.map(\.count).reduce(0, +)
            lines.append("\(title) (\(errors) error\(errors == 1 ? "" : "s")):")
            let width = String(counts.map(\.count).max() ?? 0).count
            lines += counts.map { String(repeating: " ", count: width - String($0.count).count + 2) + "\($0.count)  \($0.name)" }
        }
        section("types Parley does not have", unknownTypes)
        section("the app's own components (Meya's Python), to rewrite", ownComponents)
        section("other errors, by step type or file", errorsByType)
        return lines.joined(separator: "\n")
    }
}
