/// What a field of an element accepts. The loader checks values against it and builds
/// typed `FieldValue`s; strings anywhere are templates.
public indirect enum FieldType: Sendable {
    /// Text; numbers and booleans are taken as their written text.
    case string
    /// `true` / `false`, or a template that renders to one.
    case bool
    /// A whole number, or a template.
    case integer
    /// A number, or a template.
    case number
    /// A length of time: seconds as a number, or text such as `48h` (`DurationText`), or a template.
    case duration
    /// Any scalar, usually a template evaluated for truthiness (`when:`, `if:`, `value:`).
    case expression
    /// Any YAML value (`data:`, `context:`); strings inside are templates.
    case any
    /// One of fixed words (`scope: thread|flow`).
    case choice([String])
    /// A list whose items are all of one type.
    case list(FieldType)
    /// A mapping with free keys whose values are all of one type.
    case map(FieldType)
    /// A mapping with known keys (`transcript: {count: …}`).
    case object([FieldSpec])
    /// A component run as an action (`then:`, `action:`, a button's `action:`).
    case component
    /// A mapping from values or patterns to actions (`case:`, `match:`).
    case componentMap
    /// A list of actions (`random:`).
    case componentList
    /// A list of `{expression: action}` entries (`cond:`).
    case conditionList
    /// Dynamic triggers of a step.
    case triggers
    /// Button or quick-reply items.
    case buttons
    /// A flow id (`flow.twilio.flex.start_chat`), checked to exist when not a template.
    case flowReference
    /// An integration id, checked to exist and to be of one of the given types (any when empty).
    case integrationReference
    /// A file of the app, relative to its folder (`file_path:`): checked to exist when not a
    /// template; never outside the app or in a hidden folder (`AppFilePath`).
    case appFile
    /// A label in the current flow (or in the called flow, for `flow:` + `jump:`).
    case label
    /// A registered event type name.
    case eventType
    /// A Python regular expression.
    case regex
    /// The first type that fits the value (`flow_set: name` or `flow_set: {k: v}`).
    case oneOf([FieldType])
    /// Nothing but null (`- end` written as `end:`).
    case null

    /// How the expected type reads in an error message.
    public var expectation: String {
        switch self {
        case .string, .flowReference, .integrationReference, .label, .eventType, .regex, .appFile: "text"
        case .bool: "true or false"
        case .integer: "a whole number"
        case .number: "a number"
        case .duration: DurationText.expectation
        case .expression: "a value or a template"
        case .any: "any value"
        case .choice(let words): "one of " + words.map { "`\($0)`" }.joined(separator: ", ")
        case .list, .componentList, .conditionList, .triggers, .buttons: "a list"
        case .map, .object, .componentMap: "a mapping"
        case .component: "a component (a mapping such as `jump: label`, or a word such as `next`)"
        case .oneOf(let types):
            // `text or nothing`: what may be left empty reads last.
            types.filter { if case .null = $0 { false } else { true } }.map(\.expectation).joined(separator: " or ")
                + (types.contains { if case .null = $0 { true } else { false } } ? " or nothing" : "")
        case .null: "nothing"
        }
    }
}

/// One field an element accepts.
public struct FieldSpec: Sendable {
    public var name: String
    public var type: FieldType
    /// Required fields must be present.
    public var isRequired: Bool
    /// Signature fields identify the element when a mapping has no `type:` (spec §2).
    public var isSignature: Bool
    /// What the field does, for `--help`-style listings and docs.
    public var summary: String

    public init(_ name: String, _ type: FieldType, required: Bool = false, signature: Bool = false, _ summary: String = "") {
        self.name = name
        self.type = type
        self.isRequired = required
        self.isSignature = signature
        self.summary = summary
    }
}
