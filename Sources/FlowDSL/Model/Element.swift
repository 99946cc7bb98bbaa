import OrderedCollections

/// A component, trigger, integration or bot element as written in the app, resolved to its
/// registered type, with typed fields.
///
/// The runtime dispatches on `type` (the canonical Meya name, e.g. `meya.text.component.say`).
/// Elements are immutable and shared (a class), so passing one around costs one reference.
public final class Element: Sendable {
    /// Canonical type name.
    public let type: String
    /// Fields in the order written; absent fields are not stored.
    public let fields: OrderedDictionary<String, FieldValue>
    /// Where the element starts.
    public let position: SourcePosition
    /// Meya-style id: `flow.pre_chat.steps.3`, `flow.pre_chat.triggers.0.action`, `integration.twilio.flex`.
    public let id: String

    public init(type: String, fields: OrderedDictionary<String, FieldValue>, position: SourcePosition, id: String) {
        self.type = type
        self.fields = fields
        self.position = position
        self.id = id
    }

    public subscript(field: String) -> FieldValue? { fields[field] }
}
