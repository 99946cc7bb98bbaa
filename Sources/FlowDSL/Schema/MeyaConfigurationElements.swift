/// Meya elements that only configure Meya's own platform (its chat widget, database, sensitive
/// data store, generic webhooks). A Meya app keeps them; Parley accepts them with any fields,
/// does nothing with them, and `botcli check` says once per element what Parley does instead.
public enum MeyaConfigurationElements {
    static var all: [ElementSpec] {
        [
            inert("meya.orb.integration", "Parley's chat page (/chat) is the web channel"),
            inert("meya.orb.mobile.integration", "Parley's chat page (/chat) is the web channel; apps embed it or use the REST and WebSocket channels"),
            inert("meya.db.integration", "Parley keeps threads, users and the ledger in its own store"),
            inert("meya.sensitive_data.integration",
                  "the `*_sensitive` template filters seal values with the app's vault key: users see them, "
                  + "the ledger keeps [redacted]"),
            inert("meya.webhook.integration", "Parley's REST channel (/webhooks/rest/webhook) takes messages from other systems"),
        ] + orbConfigKeys.map(orbConfig)
    }

    /// Meya's Orb widget settings steps (`meya/orb/component/config`), by their key: `- orb_header: {…}`.
    public static let orbConfigKeys = ["orb_composer", "orb_drop", "orb_header", "orb_launcher", "orb_media_upload", "orb_menu",
                                       "orb_splash", "orb_theme"]

    /// An Orb setting: kept on the thread under its key, as Meya's `ThreadConfigComponent` does.
    private static func orbConfig(_ key: String) -> ElementSpec {
        ElementSpec("meya.orb.component.config.\(key.dropFirst(4))", kind: .component, parent: StandardComponents.base,
                    fields: [FieldSpec(key, .any, required: true, signature: true)],
                    summary: "Meya's Orb widget setting; kept as `thread.\(key)`.",
                    inert: "Parley's chat page does not read Meya's Orb settings; the value is kept as `thread.\(key)`")
    }

    private static func inert(_ type: String, _ instead: String) -> ElementSpec {
        ElementSpec(type, kind: .integration, summary: "Meya configuration; Parley accepts it and does nothing with it.", inert: instead)
    }
}
