import Foundation
import OrderedCollections

/// Loads a bot app folder into a `BotApp`, or reports every problem in it.
///
/// One pass reads every file, builds every element it can, and then checks what needs the
/// whole app (flow, integration and label references, duplicate ids). Diagnostics come sorted
/// by file and position.
public struct AppLoader: Sendable {
    public var registry: ElementRegistry

    public init(registry: ElementRegistry = .standard) {
        self.registry = registry
    }

    /// Loads the app in `root`.
    public func load(_ root: URL) -> AppLoadResult {
        let files: AppFiles
        do {
            files = try AppFiles(root: root)
        } catch {
            return AppLoadResult(app: nil, diagnostics: [.error(at: SourcePosition(file: root.path, line: 1, column: 1), error.message)])
        }
        var sources: [AppSource] = []
        var diagnostics: [Diagnostic] = []
        for path in files.elementFiles + ["config.yaml", "vault.yaml"] {
            let url = files.url(of: path)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            guard let data = FileManager.default.contents(atPath: url.path) else {
                diagnostics.append(.error(at: SourcePosition(file: path, line: 1, column: 1), "cannot read the file"))
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                diagnostics.append(.error(at: SourcePosition(file: path, line: 1, column: 1), "the file is not UTF-8 text"))
                continue
            }
            sources.append(AppSource(path: path, text: text))
        }
        var result = load(sources: sources, root: files.root.path, filesIn: files.root.path)
        // The app's Python only names what errors point at: an app that loads (every serve) reads none of it.
        if result.diagnostics.hasErrors {
            result.pythonElements = AppPythonElements(root: files.root, files: files.pythonFiles)
            result.diagnostics = result.diagnostics.map { naming(result.pythonElements, in: $0) }
        }
        result.diagnostics = (diagnostics + result.diagnostics).sortedByPosition()
        if result.diagnostics.hasErrors { result.app = nil }
        return result
    }

    /// Loads an app from file texts already in memory; `config.yaml` and `vault.yaml` among
    /// them play their special roles.
    public func load(sources: [AppSource], root: String = ".") -> AppLoadResult {
        load(sources: sources, root: root, filesIn: nil)
    }

    /// `filesIn`: the folder where the files flows read (`file_path:`) are checked to exist;
    /// none for sources only in memory.
    private func load(sources: [AppSource], root: String, filesIn folder: String?) -> AppLoadResult {
        var state = LoadState(registry: registry)
        for source in sources.sorted(by: { $0.path < $1.path }) {
            switch source.path {
            case "config.yaml": state.readConfig(source)
            case "vault.yaml": state.readVaultKeys(source)
            default: state.readElements(source)
            }
        }
        state.attachStandaloneTriggers()
        state.checkReferences(filesIn: folder)
        let diagnostics = state.diagnostics.sortedByPosition()
        guard !diagnostics.hasErrors else { return AppLoadResult(app: nil, diagnostics: diagnostics, sources: sources) }
        let app = BotApp(root: root, flows: state.flows, integrations: state.integrations, bot: state.bot,
                         config: state.config, vaultKeys: state.vaultKeys, vaultReferences: state.vaultReferences, registry: registry,
                         files: sources.map(\.path).filter { !AppFiles.isSpecialFile($0) }.sorted())
        return AppLoadResult(app: app, diagnostics: diagnostics, sources: sources)
    }
}

/// `diagnostic`, saying so when the unknown type it reports is one of the app's own Python elements.
private func naming(_ python: AppPythonElements, in diagnostic: Diagnostic) -> Diagnostic {
    guard diagnostic.severity == .error, let name = AppCheckSummary.unknownType(in: diagnostic.message),
          let element = python.element(named: name) else { return diagnostic }
    let kind = element.type.hasPrefix("trigger.") ? "trigger" : element.type.hasPrefix("component.") ? "component" : "element"
    var named = diagnostic
    named.message += ": the app's own Python \(kind) `\(element.type)` (\(element.file))"
    named.hint = "Parley does not run Python: port it to a service that a flow calls with `http_call:` (docs/porting-meya.md)"
    return named
}

/// One file's path (relative to the app) and text.
public struct AppSource: Sendable {
    public var path: String
    public var text: String

    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}

/// The app, when it is valid, and every diagnostic found.
public struct AppLoadResult: Sendable {
    public var app: BotApp?
    public var diagnostics: [Diagnostic]
    /// The files read, with their texts.
    public var sources: [AppSource] = []
    /// The app's own Python elements, read when the app has errors (none for an app read from
    /// memory, or one without errors).
    public var pythonElements = AppPythonElements()
}

/// What a load has gathered so far.
private struct LoadState {
    let registry: ElementRegistry
    var flows = OrderedDictionary<String, Flow>()
    var integrations = OrderedDictionary<String, Element>()
    var bot: Element?
    var config: TemplateValue = .map([:])
    var vaultKeys = OrderedDictionary<String, SourcePosition>()
    var diagnostics: [Diagnostic] = []
    var references: [AppReference] = []
    var idPositions: [String: SourcePosition] = [:]
    /// The ids that files with YAML errors would have had (from their paths): references to
    /// them are not reported again as unknown, the syntax error says what is wrong.
    var unreadableIDs: Set<String> = []
    /// Elements of a type Parley does not have (a vendor's integration), by id: a reference to
    /// one names that type instead of calling the id unknown.
    var unknownTypes: [String: String] = [:]
    var vaultReferences: [VaultReference] = []
    /// Triggers written in files of their own (Meya's trigger elements), by the flow their
    /// action starts; they join that flow's triggers once every flow is read.
    var standaloneTriggers: [(flow: String, trigger: Element)] = []

    init(registry: ElementRegistry) {
        self.registry = registry
    }

    mutating func readConfig(_ source: AppSource) {
        let (documents, problems) = YAMLReader.documents(in: source.text, file: source.path)
        diagnostics += problems
        guard let document = documents.first else { return }
        switch document.kind {
        case .mapping: config = document.value
        case .scalar(let scalar) where scalar.value == .none: break
        default: diagnostics.append(.error(at: document.position, "config.yaml must be a mapping, found \(document.kindDescription)"))
        }
    }

    mutating func readVaultKeys(_ source: AppSource) {
        let (documents, problems) = YAMLReader.documents(in: source.text, file: source.path)
        diagnostics += problems
        guard let document = documents.first, document.scalar?.value != TemplateValue.none else { return }
        guard let pairs = document.pairs else {
            diagnostics.append(.error(at: document.position, "vault.yaml must map each key to a placeholder, found \(document.kindDescription)"))
            return
        }
        for pair in pairs {
            guard let key = pair.key.scalar?.text else { continue }
            vaultKeys[key] = pair.key.position
        }
    }

    mutating func readElements(_ source: AppSource) {
        let (documents, problems) = YAMLReader.documents(in: source.text, file: source.path)
        diagnostics += problems
        let present = documents.filter { $0.scalar?.value != TemplateValue.none }
        let derivedID = source.path.replacingOccurrences(of: ".yaml", with: "").replacingOccurrences(of: ".yml", with: "")
            .replacingOccurrences(of: "/", with: ".")
        if problems.contains(where: { $0.severity == .error }) { unreadableIDs.insert(derivedID) }
        for (index, document) in present.enumerated() {
            guard document.pairs != nil else {
                diagnostics.append(.error(at: document.position, "expected an element (a mapping with `steps:` or `type:`), found \(document.kindDescription)"))
                continue
            }
            let id: String
            if let idNode = document["id"] {
                guard let text = idNode.scalar?.text, idNode.scalar!.isString, !text.isEmpty else {
                    diagnostics.append(.error(at: idNode.position, "`id:` must be text, found \(idNode.kindDescription)"))
                    continue
                }
                id = text
            } else if present.count > 1 {
                diagnostics.append(.error(at: document.position,
                                          "document \(index + 1) of \(present.count) has no `id:`; every document of a multi-document file needs one"))
                continue
            } else {
                id = derivedID
            }
            if let first = idPositions[id] {
                diagnostics.append(.error(at: document.position, "duplicate id `\(id)`", hint: "first defined at \(first)"))
                continue
            }
            idPositions[id] = document.position
            readElement(document, id: id)
        }
    }

    private mutating func readElement(_ document: YAMLNode, id: String) {
        if document["steps"] != nil {
            readFlow(document, id: id)
            return
        }
        guard let typeNode = document["type"] else {
            let keys = document.pairs!.compactMap { $0.key.scalar?.text }
            if case .matched = registry.matchShorthand(kind: .trigger, keys: keys, choiceValue: { document[$0]?.scalar?.text }) {
                readStandaloneTrigger(document, id: id)
                return
            }
            let hint = keys.lazy.compactMap { Spelling.hint(for: $0, among: ["steps", "type", "triggers"]) }.first
            diagnostics.append(.error(at: document.position, "not an element: a flow needs `steps:`, any other element a `type:`", hint: hint))
            return
        }
        guard let typeName = typeNode.scalar?.text, let spec = registry.spec(named: typeName), !spec.spec.isAbstract else {
            let name = typeNode.scalar?.text ?? ""
            if !name.isEmpty { unknownTypes[id] = name }
            let candidates = registry.names(of: .integration) + registry.names(of: .bot)
            diagnostics.append(.error(at: typeNode.position, "unknown element type `\(name)`",
                                      hint: Spelling.hint(for: name, among: ElementBuilder.sameVendor(as: name, candidates))))
            return
        }
        var builder = ElementBuilder(registry: registry)
        let element = builder.typedElement(document, id: id, spec: spec, excluding: ["id", "type", "timeout"])
        absorb(builder)
        guard let element else { return }
        switch spec.kind {
        case .integration: integrations[id] = element
        case .bot: if bot == nil || id == "bot.default" { bot = element }
        case .component, .trigger:
            diagnostics.append(.error(at: typeNode.position, "`\(typeName)` is a \(spec.kind.rawValue); use it inside a flow's `steps:` or `triggers:`"))
        }
    }

    /// A trigger in a file of its own (`keyword: rma` with `action: {flow: flow.warranty, jump:
    /// …}`): it belongs to the flow its action starts, as if written among that flow's triggers.
    private mutating func readStandaloneTrigger(_ document: YAMLNode, id: String) {
        var builder = ElementBuilder(registry: registry)
        let trigger = builder.trigger(document, id: id, isFlowTrigger: false)
        absorb(builder)
        guard let trigger else { return }
        guard let action = trigger["action"]?.element, action.type == "meya.flow.component",
              let flow = action["flow"]?.constantText?.trimmingCharacters(in: .whitespacesAndNewlines) else {
            diagnostics.append(.error(at: document.position, "a trigger in a file of its own needs `action: {flow: flow.NAME}`: the flow it starts"))
            return
        }
        standaloneTriggers.append((flow, trigger))
    }

    /// Adds each standalone trigger to the flow it starts (an unknown flow is reported with the
    /// other references).
    mutating func attachStandaloneTriggers() {
        for (flowID, trigger) in standaloneTriggers {
            guard let flow = flows[flowID] else { continue }
            flows[flowID] = Flow(id: flow.id, position: flow.position, triggers: flow.triggers + [trigger], steps: flow.steps)
        }
    }

    private mutating func readFlow(_ document: YAMLNode, id: String) {
        var builder = ElementBuilder(registry: registry, flowID: id)
        for pair in document.pairs! {
            guard let key = pair.key.scalar?.text, !["id", "steps", "triggers", "timeout"].contains(key) else { continue }
            builder.report(pair.key.position, "unknown field `\(key)` in flow", hint: Spelling.hint(for: key, among: ["steps", "triggers", "id"]))
        }
        var triggers: [Element] = []
        if let node = document["triggers"] {
            if let items = node.items {
                for (index, item) in items.enumerated() {
                    if let trigger = builder.trigger(item, id: "\(id).triggers.\(index)", isFlowTrigger: true) { triggers.append(trigger) }
                }
            } else if node.scalar?.value != TemplateValue.none {
                builder.report(node.position, "`triggers:` must be a list, found \(node.kindDescription)")
            }
        }
        var steps: [Flow.Step] = []
        var labelPositions: [String: SourcePosition] = [:]
        if let items = document["steps"]!.items {
            for (index, item) in items.enumerated() {
                if let label = Self.label(item) {
                    if let first = labelPositions[label] {
                        builder.report(item.position, "duplicate label `\(label)`", hint: "first defined at \(first)")
                    }
                    labelPositions[label] = labelPositions[label] ?? item.position
                    steps.append(.label(label, item.position))
                } else if let element = builder.component(item, id: "\(id).steps.\(index)") {
                    steps.append(.component(element))
                }
            }
        } else {
            let node = document["steps"]!
            builder.report(node.position, "`steps:` must be a list, found \(node.kindDescription)")
        }
        absorb(builder)
        flows[id] = Flow(id: id, position: document.position, triggers: triggers, steps: steps)
    }

    /// `- (name)`: a step that is a plain string in parentheses.
    private static func label(_ node: YAMLNode) -> String? {
        guard let scalar = node.scalar, scalar.isString, scalar.text.hasPrefix("("), scalar.text.hasSuffix(")"),
              scalar.text.count > 2, !scalar.text.hasPrefix("(@"), !scalar.text.hasPrefix("(%") else { return nil }
        return String(scalar.text.dropFirst().dropLast())
    }

    private mutating func absorb(_ builder: ElementBuilder) {
        diagnostics += builder.diagnostics
        references += builder.references
    }

    mutating func checkReferences(filesIn folder: String?) {
        for reference in references {
            switch reference.target {
            case .flow(let id) where flows[id] == nil && !unreadableIDs.contains(id):
                diagnostics.append(.error(at: reference.position, "unknown flow `\(id)`", hint: Spelling.hint(for: id, among: flows.keys)))
            case .integration(let id) where integrations[id] == nil && unknownTypes[id] != nil:
                diagnostics.append(.error(at: reference.position, "integration `\(id)` is a `\(unknownTypes[id]!)`, a type Parley does not have"))
            case .integration(let id) where integrations[id] == nil && !unreadableIDs.contains(id):
                diagnostics.append(.error(at: reference.position, "unknown integration `\(id)`", hint: Spelling.hint(for: id, among: integrations.keys)))
            case .label(let label, let flowID):
                guard let flow = flows[flowID], flow.index(ofLabel: label) == nil else { continue }
                diagnostics.append(.error(at: reference.position, "unknown label `\(label)` in flow `\(flowID)`",
                                          hint: Spelling.hint(for: label, among: Array(flow.labels.keys))))
            case .vaultKey(let key):
                vaultReferences.append(VaultReference(key: key, position: reference.position))
                let named = vaultKeys[key] != nil || vaultKeys.keys.contains { $0.hasPrefix(key + ".") }
                guard !named else { continue }
                diagnostics.append(.error(at: reference.position, "vault key `\(key)` is not named in vault.yaml",
                                          hint: Spelling.hint(for: key, among: vaultKeys.keys) ?? "add `\(key): xxx` to vault.yaml"))
            case .appFile(let path) where !path.contains("(@"):
                guard let folder, case .failure(let refusal) = AppFilePath.resolve(path, in: folder) else { continue }
                diagnostics.append(.error(at: reference.position, refusal.message))
            default: continue
            }
        }
    }
}
