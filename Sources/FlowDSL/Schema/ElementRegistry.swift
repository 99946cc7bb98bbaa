/// Every element type and event type an app may use.
///
/// `ElementRegistry.standard` holds Parley's built-in steps and triggers; integration modules
/// add theirs with `register(_:)` (the Flex module adds `start_chat`, its integration and its
/// events). The loader resolves `type:` names and shorthand mappings through it.
public struct ElementRegistry: Sendable {
    /// A spec with its inherited fields merged in, ready for lookups.
    public struct ResolvedSpec: Sendable {
        public let spec: ElementSpec
        /// Own and inherited fields by name.
        public let fields: [String: FieldSpec]
        /// Field names in declaration order, inherited first.
        public let fieldOrder: [String]
        public let signatureKeys: Set<String>
        /// Names of this spec and its ancestors, nearest first.
        public let lineage: [String]

        public var name: String { spec.name }
        public var kind: ElementSpec.Kind { spec.kind }
    }

    private var specs: [String: ElementSpec] = [:]
    private var resolved: [String: ResolvedSpec] = [:]
    private var aliasIndex: [String: String] = [:]
    private var events: [String: EventTypeSpec] = [:]
    /// Concrete specs by kind, sorted by name, and every signature key of a kind: kept up to
    /// date by `register`, read for every shorthand step the loader resolves.
    private var concreteSpecs: [ElementSpec.Kind: [ResolvedSpec]] = [:]
    private var signatureKeysByKind: [ElementSpec.Kind: Set<String>] = [:]
    /// Every field name any concrete spec of a kind takes.
    private var fieldNamesByKind: [ElementSpec.Kind: Set<String>] = [:]
    /// Concrete specs by kind and by each of their signature keys.
    private var specsBySignatureKey: [ElementSpec.Kind: [String: [ResolvedSpec]]] = [:]

    public init() {}

    /// Adds (or replaces) an element type. Its parent must already be registered.
    public mutating func register(_ spec: ElementSpec) {
        precondition(spec.parent == nil || specs[spec.parent!] != nil, "register \(spec.parent!) before \(spec.name)")
        specs[spec.name] = spec
        aliasIndex[spec.name] = spec.name
        for alias in spec.aliases { aliasIndex[alias] = spec.name }
        resolved[spec.name] = resolve(spec)
        // A re-registered parent changes its children's inherited fields: re-resolve them all.
        for name in resolved.keys where resolved[name]!.lineage.dropFirst().contains(spec.name) {
            resolved[name] = resolve(specs[name]!)
        }
        for kind in [ElementSpec.Kind.component, .trigger, .integration, .bot] {
            let concrete = resolved.values.filter { $0.kind == kind && !$0.spec.isAbstract }.sorted { $0.name < $1.name }
            concreteSpecs[kind] = concrete
            signatureKeysByKind[kind] = concrete.reduce(into: Set<String>()) { $0.formUnion($1.signatureKeys) }
            fieldNamesByKind[kind] = concrete.reduce(into: Set<String>()) { $0.formUnion($1.fields.keys) }
            var byKey: [String: [ResolvedSpec]] = [:]
            for spec in concrete { for key in spec.signatureKeys { byKey[key, default: []].append(spec) } }
            specsBySignatureKey[kind] = byKey
        }
    }

    /// Adds an event type that `event_type:` triggers may name.
    public mutating func register(event: EventTypeSpec) {
        events[event.name] = event
    }

    /// The spec named by a canonical name or alias.
    public func spec(named name: String) -> ResolvedSpec? {
        aliasIndex[name].flatMap { resolved[$0] }
    }

    public func event(named name: String) -> EventTypeSpec? { events[name] }

    public var eventNames: [String] { events.keys.sorted() }

    /// Concrete specs of one kind.
    public func specs(of kind: ElementSpec.Kind) -> [ResolvedSpec] {
        concreteSpecs[kind] ?? []
    }

    /// Names (canonical and aliases) usable for elements of `kind`, for spelling hints.
    public func names(of kind: ElementSpec.Kind) -> [String] {
        aliasIndex.filter { resolved[$0.value].map { $0.kind == kind && !$0.spec.isAbstract } ?? false }.keys.sorted()
    }

    private func resolve(_ spec: ElementSpec) -> ResolvedSpec {
        var chain: [ElementSpec] = [spec]
        while let parentName = chain.last!.parent, let parent = specs[parentName] { chain.append(parent) }
        var fields: [String: FieldSpec] = [:]
        var order: [String] = []
        for ancestor in chain.reversed() {
            for field in ancestor.fields {
                if fields[field.name] == nil { order.append(field.name) }
                fields[field.name] = field
            }
        }
        let signature = Set(fields.values.filter(\.isSignature).map(\.name))
        return ResolvedSpec(spec: spec, fields: fields, fieldOrder: order, signatureKeys: signature, lineage: chain.map(\.name))
    }
}

extension ElementRegistry {
    /// The outcome of matching a mapping's keys against the registered specs (spec §2).
    public enum ShorthandMatch: Sendable {
        case matched(ResolvedSpec)
        /// No spec has all its signature keys among the given keys.
        case none
        /// Two unrelated specs fit equally well.
        case ambiguous([ResolvedSpec])
    }

    /// Picks the spec for a mapping without `type:`. Candidates have all their signature keys
    /// present (and valid choices where a signature field is a `choice`); the winner has the
    /// fewest keys it does not know, then the most signature keys, then is the more derived of
    /// two related specs. Any other tie is ambiguous.
    public func matchShorthand(kind: ElementSpec.Kind, keys: [String], choiceValue: (String) -> String?) -> ShorthandMatch {
        let keySet = Set(keys)
        var candidates: [(spec: ResolvedSpec, unknown: Int, signature: Int)] = []
        // Only specs with a signature key among the given keys can qualify.
        var seen = Set<String>()
        let index = specsBySignatureKey[kind] ?? [:]
        let possible = keys.flatMap { index[$0] ?? [] }.filter { seen.insert($0.name).inserted }
        for spec in possible where spec.signatureKeys.isSubset(of: keySet) {
            let choicesValid = spec.signatureKeys.allSatisfy { key in
                guard case .choice(let words) = spec.fields[key]!.type else { return true }
                return choiceValue(key).map(words.contains) ?? false
            }
            guard choicesValid else { continue }
            let unknown = keySet.filter { spec.fields[$0] == nil }.count
            candidates.append((spec, unknown, spec.signatureKeys.count))
        }
        guard !candidates.isEmpty else { return .none }
        candidates.sort { ($0.unknown, -$0.signature, $0.spec.name) < ($1.unknown, -$1.signature, $1.spec.name) }
        let best = candidates[0]
        let tied = candidates.filter { $0.unknown == best.unknown && $0.signature == best.signature }.map(\.spec)
        if tied.count == 1 { return .matched(best.spec) }
        // The more derived spec wins when every other tied spec is one of its ancestors.
        if let derived = tied.first(where: { candidate in tied.allSatisfy { candidate.lineage.contains($0.name) } }) {
            return .matched(derived)
        }
        return .ambiguous(tied)
    }

    /// Every signature key of `kind`, for "did you mean" hints on unrecognised steps.
    /// The other concrete specs of `spec`'s kind that take its signature keys as fields too (an
    /// `ask` with `buttons` is a button ask): where a field the spec lacks may belong.
    public func siblings(of spec: ResolvedSpec) -> [ResolvedSpec] {
        (concreteSpecs[spec.kind] ?? []).filter { $0.name != spec.name && spec.signatureKeys.allSatisfy($0.fields.keys.contains) }
    }

    public func signatureKeys(of kind: ElementSpec.Kind) -> Set<String> {
        signatureKeysByKind[kind] ?? []
    }

    /// Every field name some element of `kind` takes.
    public func fieldNames(of kind: ElementSpec.Kind) -> Set<String> {
        fieldNamesByKind[kind] ?? []
    }
}
