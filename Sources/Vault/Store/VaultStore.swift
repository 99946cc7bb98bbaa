import Foundation

/// One stored vault key: its sealed value and bookkeeping, never a plaintext.
public struct VaultEntry: Sendable, Hashable {
    public var key: String
    /// The `crypto_box_seal` ciphertext of the value's JSON.
    public var ciphertext: Data
    /// 1 when the key was added, one more on every change.
    public var version: Int
    /// When the key was last added or changed.
    public var updated: Date

    public init(key: String, ciphertext: Data, version: Int, updated: Date) {
        self.key = key
        self.ciphertext = ciphertext
        self.version = version
        self.updated = updated
    }

    /// `updated` as stored: ISO 8601 in UTC, `2025-11-21T15:21:00Z`.
    public var updatedText: String { SQLiteVaultStore.format(updated) }
}

/// One sealed value to store, with the version the writer saw (nil: the key must be absent).
///
/// The expected version makes a write fail instead of silently overwriting a value someone
/// else changed between the writer's read and its write.
public struct VaultWrite: Sendable, Hashable {
    public var key: String
    public var ciphertext: Data
    /// The stored version this write replaces; nil when adding a key.
    public var expectedVersion: Int?

    public init(key: String, ciphertext: Data, expectedVersion: Int?) {
        self.key = key
        self.ciphertext = ciphertext
        self.expectedVersion = expectedVersion
    }
}

/// Where sealed vault values live.
///
/// A protocol, not just the SQLite class, because values arrive by more than one road and live
/// in more than one place: the CLI seals and writes them into the app's SQLite file, the server
/// accepts already-sealed values over HTTP, and replicas keep them in PostgreSQL (whose client
/// is asynchronous, hence `async`). A store only ever sees ciphertexts; it cannot open them.
public protocol VaultStore: Sendable {
    /// Every stored key, sorted by key.
    func entries() async throws(VaultError) -> [VaultEntry]
    /// One stored key, or nil.
    func entry(for key: String) async throws(VaultError) -> VaultEntry?
    /// Stores all `writes` in one transaction, or none of them: a write whose expected version
    /// does not match the stored one fails the whole batch with `versionConflict`. An added key
    /// gets version 1, a changed one its previous version plus one; all get `date`.
    func write(_ writes: [VaultWrite], at date: Date) async throws(VaultError)
    /// Removes one key; `keyNotFound` when it is not stored.
    func remove(_ key: String) async throws(VaultError)
}
