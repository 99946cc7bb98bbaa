import FlowDSL

/// JSON objects Twilio sends as text inside its forms and resources (`TaskAttributes`,
/// `WorkerAttributes`, a message's or channel's `attributes`, `VirtualAgentProviderData`).
enum TwilioJSON {
    /// The object `text` holds; empty when absent or not a JSON object.
    static func object(_ text: String?) -> TemplateMap {
        guard let text, case .map(let map)? = try? TemplateValue(jsonText: text) else { return [:] }
        return map
    }

    /// The object a resource's `key` field holds as text (a message's `attributes`).
    static func object(in resource: TemplateMap, _ key: String) -> TemplateMap {
        if case .string(let text)? = resource[key] { object(text) } else { [:] }
    }
}
