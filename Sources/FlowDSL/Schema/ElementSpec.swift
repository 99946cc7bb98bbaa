/// The definition of one kind of element: its Meya type name, aliases and fields.
///
/// Specs are data, not code: modules describe their components, triggers and integrations with
/// them and register them, and the loader validates apps against whatever is registered.
public struct ElementSpec: Sendable {
    /// Where an element of this kind may appear.
    public enum Kind: String, Sendable {
        case component, trigger, integration, bot
    }

    /// Canonical type name, as Meya writes it (`meya.text.component.say`).
    public var name: String
    public var kind: Kind
    /// Other names accepted after `type:` or as a bare word (`end`, `catchall`, `page_open`).
    public var aliases: [String]
    /// The spec this one extends: its fields are inherited, and it counts as "less derived"
    /// when breaking ties between candidates.
    public var parent: String?
    /// Abstract specs only exist to be extended.
    public var isAbstract: Bool
    /// Fields declared here (inherited ones are added by the registry).
    public var fields: [FieldSpec]
    /// One line on what it does.
    public var summary: String
    /// Rules over the element's fields taken together, beyond each field's type (which of
    /// two sets of fields a mode needs, a deprecated setting): what `botcli check` reports.
    public var rules: [Rule]
    /// For a Meya element Parley accepts and does nothing with: what Parley does instead. Such
    /// an element takes any fields, and `botcli check` warns once that it is inert.
    public var inert: String?

    public init(_ name: String, kind: Kind, parent: String? = nil, aliases: [String] = [], abstract: Bool = false,
                fields: [FieldSpec] = [], summary: String = "", rules: [Rule] = [], inert: String? = nil) {
        self.name = name
        self.kind = kind
        self.parent = parent
        self.aliases = aliases
        self.isAbstract = abstract
        self.fields = fields
        self.summary = summary
        self.rules = rules
        self.inert = inert
    }

    /// A rule: what it finds wrong with a built element (none when it holds).
    public typealias Rule = @Sendable (Element) -> [Finding]

    /// One problem a rule found: how bad, what (naming the fields), a hint, and the field it is
    /// reported at (the element's start when nil or absent).
    public struct Finding: Sendable, Equatable {
        public var severity: Diagnostic.Severity
        public var message: String
        public var hint: String?
        public var field: String?

        public init(_ severity: Diagnostic.Severity, _ message: String, hint: String? = nil, at field: String? = nil) {
            (self.severity, self.message, self.hint, self.field) = (severity, message, hint, field)
        }
    }
}

/// An event type that flows can react to with `event_type:` triggers, with the fields of its `data`.
public struct EventTypeSpec: Sendable {
    public var name: String
    public var dataFields: [FieldSpec]
    public var summary: String

    public init(_ name: String, dataFields: [FieldSpec] = [], summary: String = "") {
        self.name = name
        self.dataFields = dataFields
        self.summary = summary
    }
}
