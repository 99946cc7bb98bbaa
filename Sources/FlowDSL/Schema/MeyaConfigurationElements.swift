/// Meya elements that only configure Meya's own platform (its chat widget, database, sensitive
/// data store, generic webhooks). A Meya app keeps them; Parley accepts them with any fields,
/// does nothing with them, and `botcli check` says once per element what Parley does instead.
enum MeyaConfigurationElements {
    static var all: [ElementSpec] {
        [
            inert("meya.orb.integration", "Parley's chat page (/chat) is the web channel"),
            inert("meya.orb.mobile.integration", "Parley's chat page (/chat) is the web channel; apps embed it or use the REST and WebSocket channels"),
            inert("meya.db.integration", "Parley keeps threads, users and the ledger in its own store"),
            inert("meya.sensitive_data.integration",
                  "values filtered with `encrypt_sensitive` are shown to the user and kept as `[redacted]` in the ledger, as vault values are"),
            inert("meya.webhook.integration", "Parley's REST channel (/webhooks/rest/webhook) takes messages from other systems"),
        ]
    }

    private static func inert(_ type: String, _ instead: String) -> ElementSpec {
        ElementSpec(type, kind: .integration, summary: "Meya configuration; Parley accepts it and does nothing with it.", inert: instead)
    }
}
