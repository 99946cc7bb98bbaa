/// What an upload did, by key name only (never a value), for the command to print.
public struct VaultUploadReport: Sendable, Hashable {
    /// Keys that were not stored before.
    public var added: [String]
    /// Keys whose value differs from the stored one (or, without the secret key, every key
    /// that was already stored: it cannot be compared).
    public var changed: [String]
    /// Keys whose value is the stored one; nothing was written for them.
    public var unchanged: [String]
    /// Stored keys the upload did not mention; they are kept as they were.
    public var kept: [String]
    /// False when only the public key was available, so unchanged values could not be detected.
    public var compared: Bool

    public init(added: [String] = [], changed: [String] = [], unchanged: [String] = [], kept: [String] = [], compared: Bool) {
        self.added = added
        self.changed = changed
        self.unchanged = unchanged
        self.kept = kept
        self.compared = compared
    }
}
