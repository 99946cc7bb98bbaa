/// A place that names a vault key: a `vault.yaml` line or a `(@ vault.… )` template.
public struct VaultKeyUse: Sendable, Hashable {
    public var key: String
    /// Where it was written, as `file:line:col`.
    public var location: String

    public init(key: String, location: String) {
        self.key = key
        self.location = location
    }
}

/// How an app's vault keys and the stored vault line up: what the app needs but the vault
/// lacks, and what the vault holds that nothing uses.
///
/// It lives in Vault, fed with plain key uses, so that the comparison rules are tested here
/// while Vault still knows nothing of how an app is loaded. A use and a stored key match when
/// they are equal or one is a dotted prefix of the other: `(@ vault.twilio )` uses every
/// `twilio.*` key, and `(@ vault.twilio.sid.x )` is served by a stored map `twilio.sid`.
public struct VaultCoverage: Sendable, Hashable {
    /// Uses whose key the vault does not hold, in the order given.
    public var missing: [VaultKeyUse]
    /// Stored keys that no use names, sorted.
    public var unused: [String]

    public init(uses: [VaultKeyUse], storedKeys: some Sequence<String>) {
        let stored = Array(storedKeys)
        missing = uses.filter { use in !stored.contains { Self.matches(stored: $0, use: use.key) } }
        unused = stored.filter { key in !uses.contains { Self.matches(stored: key, use: $0.key) } }.sorted()
    }

    public static func matches(stored: String, use: String) -> Bool {
        stored == use || stored.hasPrefix(use + ".") || use.hasPrefix(stored + ".")
    }
}
