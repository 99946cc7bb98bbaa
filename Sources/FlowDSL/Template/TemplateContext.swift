/// The scopes a template sees (`flow`, `user`, `thread`, `config`, `vault`, …).
///
/// Scopes listed in `lenientScopes` follow Meya's rule that an unset first-level key reads as `None`
/// (`user.nickname` before it was ever set), while every other scope is strict: reading a missing key
/// gives an undefined value that fails when printed, compared or iterated.
public struct TemplateContext: Sendable {
    struct Entry: Sendable {
        var value: TemplateValue
        var lenient: Bool
    }

    var entries: [String: Entry]
    /// Scopes whose missing first-level keys read as `None`.
    public private(set) var lenientScopes: Set<String>
    /// Meya's `*_sensitive` filters: how values are sealed, and opened where this context may;
    /// nil: the filters are errors (no vault key).
    public var sensitive: SensitiveValues?

    public init(_ scopes: [String: TemplateValue] = [:], lenientScopes: Set<String> = ["user", "thread"]) {
        self.lenientScopes = lenientScopes
        // Room for the scopes a runtime adds per turn (event, event_user …): a copy of this
        // context then takes them without growing and rehashing.
        var entries = [String: Entry](minimumCapacity: scopes.count + 4)
        for (name, value) in scopes {
            entries[name] = Entry(value: value, lenient: lenientScopes.contains(name))
        }
        self.entries = entries
    }

    public subscript(name: String) -> TemplateValue? {
        get { entries[name]?.value }
        set {
            if let newValue {
                // A scope set again (the flow scope, many times a turn) keeps its entry.
                if let index = entries.index(forKey: name) {
                    entries.values[index].value = newValue
                } else {
                    entries[name] = Entry(value: newValue, lenient: lenientScopes.contains(name))
                }
            } else {
                entries[name] = nil
            }
        }
    }

    /// All scope names currently set.
    public var names: [String] { Array(entries.keys) }
}
