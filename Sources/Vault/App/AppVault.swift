import CSodium
import Foundation

/// One bot app's vault: its keys (`VaultKeyring`) and its sealed values (`VaultStore`, by
/// default `.parley/state.sqlite`), with the operations `botcli vault` and the runtime need.
///
/// It exists so that the rules live in one place the CLI and the server share: uploads are
/// checked, sealed and stored as one transaction; reads need the secret key; nothing here
/// ever returns a value except `values()` and `value(for:)`, which callers must not print.
public struct AppVault: Sendable {
    public let keyring: VaultKeyring
    /// `<app>/.parley/state.sqlite`, or the given store's path.
    public let databasePath: String
    private let givenStore: (any VaultStore)?

    /// The vault of the app in `app`; keys from `environment` or `.parley/`.
    public init(app: URL, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let keyring = VaultKeyring(app: app, environment: environment)
        self.init(keyring: keyring, databasePath: keyring.directory.appendingPathComponent("state.sqlite").path)
    }

    /// A vault in the SQLite file at `databasePath` (`botcli serve --store FILE`).
    public init(keyring: VaultKeyring, databasePath: String) {
        self.keyring = keyring
        self.databasePath = databasePath
        givenStore = nil
    }

    /// A vault on a store the caller opened (the server's, a test's); `path` names it in messages.
    public init(keyring: VaultKeyring, store: any VaultStore, path: String) {
        self.keyring = keyring
        databasePath = path
        givenStore = store
    }

    /// The store, opened (and created with its folder when `creating`); nil when the file does
    /// not exist and `creating` is false, which reads as an empty vault without leaving a file.
    public func store(creating: Bool) throws(VaultError) -> (any VaultStore)? {
        if let givenStore { return givenStore }
        guard creating || FileManager.default.fileExists(atPath: databasePath) else { return nil }
        try KeyFile.createDirectory(URL(fileURLWithPath: databasePath).deletingLastPathComponent().path)
        return try SQLiteVaultStore(path: databasePath)
    }

    /// Every stored entry (key, version, update time, ciphertext), sorted by key. Needs no key.
    public func entries() async throws(VaultError) -> [VaultEntry] {
        guard let store = try store(creating: false) else { return [] }
        return try await store.entries()
    }

    /// Seals and stores every key of `file` in one transaction.
    public func upload(_ file: VaultSecretFile, at date: Date = Date()) async throws(VaultError) -> VaultUploadReport {
        try await upload(file.entries.map { ($0.key, $0.value) }, at: date)
    }

    /// Seals and stores `values` in one transaction: all keys or none.
    ///
    /// With the secret key at hand each stored value is opened and compared, so unchanged keys
    /// are left alone (and a value that cannot be opened stops the upload, naming its key).
    /// With only the public key, every key already stored counts as changed.
    public func upload(_ values: [(key: String, value: VaultValue)], at date: Date = Date()) async throws(VaultError) -> VaultUploadReport {
        let (publicKey, secretKey) = try keyring.sealingKeys()
        var ciphertexts: [String: Data] = [:]
        for (key, ciphertext) in try Self.seal(values, with: publicKey) { ciphertexts[key] = ciphertext }
        guard let store = try store(creating: true) else { return VaultUploadReport(compared: secretKey != nil) }
        let stored = Dictionary(try await store.entries().map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var report = VaultUploadReport(compared: secretKey != nil)
        var writes: [VaultWrite] = []
        for (key, value) in values {
            guard let entry = stored[key] else {
                report.added.append(key)
                writes.append(VaultWrite(key: key, ciphertext: ciphertexts[key]!, expectedVersion: nil))
                continue
            }
            if let secretKey, try Self.holds(entry, value, secretKey: secretKey) {
                report.unchanged.append(key)
                continue
            }
            report.changed.append(key)
            writes.append(VaultWrite(key: key, ciphertext: ciphertexts[key]!, expectedVersion: entry.version))
        }
        let uploaded = Set(values.map(\.key))
        report.kept = stored.keys.filter { !uploaded.contains($0) }.sorted()
        if !writes.isEmpty { try await store.write(writes, at: date) }
        return report
    }

    /// Seals each value with the app's public key exactly as `upload` stores it, for a server
    /// that stores ciphertexts it cannot open (`botcli vault upload --to`). Needs only the
    /// public key; the result holds no plaintext.
    public func seal(_ values: [(key: String, value: VaultValue)]) throws(VaultError) -> [(key: String, ciphertext: Data)] {
        try Self.seal(values, with: keyring.sealingKeys().publicKey)
    }

    private static func seal(_ values: [(key: String, value: VaultValue)],
                             with publicKey: VaultPublicKey) throws(VaultError) -> [(key: String, ciphertext: Data)] {
        var sealed: [(key: String, ciphertext: Data)] = []
        sealed.reserveCapacity(values.count)
        for (key, value) in values { sealed.append((key, try publicKey.seal(value, key: key))) }
        return sealed
    }

    /// Removes one stored key; `keyNotFound` when it is not there. Needs no key.
    public func remove(_ key: String) async throws(VaultError) {
        guard let store = try store(creating: false) else { throw .keyNotFound(key: key) }
        try await store.remove(key)
    }

    /// Every stored value, opened with the secret key; the first that does not open is the
    /// error (`openValues()` keeps going). Do not print them.
    public func values() async throws(VaultError) -> [String: VaultValue] {
        let opened = try await openValues()
        if let first = opened.unreadable.first { throw first.error }
        return opened.values
    }

    /// Every stored value that opens with the secret key, and the keys that do not (sealed to
    /// another app's key, damaged) with why: one bad value never hides the others. A missing
    /// secret key is still an error for a vault that holds values (an empty one needs none).
    /// Do not print the values.
    public func openValues() async throws(VaultError) -> (values: [String: VaultValue], unreadable: [(key: String, error: VaultError)]) {
        let entries = try await entries()
        guard !entries.isEmpty else { return ([:], []) }
        let secretKey = try keyring.secretKey()
        var values: [String: VaultValue] = [:], unreadable: [(key: String, error: VaultError)] = []
        for entry in entries {
            do {
                values[entry.key] = try secretKey.open(entry.ciphertext, key: entry.key)
            } catch {
                unreadable.append((entry.key, error))
            }
        }
        return (values, unreadable)
    }

    /// The keys of `ciphertexts` that do not open with this app's secret key, with why; nil
    /// when this app's secret key is not at hand (nothing can be checked). A server checks an
    /// upload with it before storing anything.
    public func unopenable(_ ciphertexts: [(key: String, ciphertext: Data)]) -> [(key: String, error: VaultError)]? {
        guard let secretKey = try? keyring.secretKey() else { return nil }
        var failures: [(key: String, error: VaultError)] = []
        for (key, ciphertext) in ciphertexts {
            do {
                // Opened whole (the sealed JSON names its key), then dropped.
                _ = try secretKey.open(ciphertext, key: key)
            } catch {
                failures.append((key, error))
            }
        }
        return failures
    }

    /// One stored value, opened with the secret key; `keyNotFound` when absent. Do not print it.
    public func value(for key: String) async throws(VaultError) -> VaultValue {
        let secretKey = try keyring.secretKey()
        guard let store = try store(creating: false), let entry = try await store.entry(for: key) else { throw .keyNotFound(key: key) }
        return try secretKey.open(entry.ciphertext, key: key)
    }

    /// Whether the stored entry holds exactly `value` (same sealed JSON), compared in constant time.
    private static func holds(_ entry: VaultEntry, _ value: VaultValue, secretKey: VaultSecretKey) throws(VaultError) -> Bool {
        var old = try secretKey.openBytes(entry.ciphertext, key: entry.key)
        defer { old.wipe() }
        var new = try value.sealedJSON(key: entry.key)
        defer { new.wipe() }
        guard old.count == new.count else { return false }
        return old.withUnsafeBytes { a in new.withUnsafeBytes { b in sodium_memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 } }
    }
}
