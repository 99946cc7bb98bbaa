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

    public init(_ name: String, kind: Kind, parent: String? = nil, aliases: [String] = [], abstract: Bool = false,
                fields: [FieldSpec] = [], summary: String = "") {
        self.name = name
        self.kind = kind
        self.parent = parent
        self.aliases = aliases
        self.isAbstract = abstract
        self.fields = fields
        self.summary = summary
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
