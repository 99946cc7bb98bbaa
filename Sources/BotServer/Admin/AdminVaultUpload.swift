import FlowDSL
import Foundation
import Vault

/// `PUT /admin/vault`'s body, checked: values already sealed with the app's vault public key.
///
/// ```json
/// {"values": [{"key": "twilio.api_key", "ciphertext": "BASE64", "expected_version": 3}, …]}
/// ```
///
/// `ciphertext` is the base64 of `crypto_box_seal` over the value's JSON — what
/// `VaultPublicKey.seal` makes and what `botcli vault upload` stores. `expected_version` is
/// optional: absent (or null) stores the value whatever is there; a number stores it only if
/// the key is still at that version (0: only if the key is new), else the whole batch is
/// refused with 409. The server cannot open what it stores, so it cannot tell an unchanged
/// value from a changed one: every key already stored counts as changed.
struct AdminVaultUpload: Equatable {
    struct Value: Equatable {
        var key: String
        var ciphertext: Data
        var expectedVersion: Int?
    }

    /// The most keys one request may carry.
    static let maximumCount = 1_000
    /// `crypto_box_seal`'s overhead (an ephemeral public key and a MAC): no sealed value is shorter.
    static let sealOverhead = 48

    var values: [Value]

    init(json body: TemplateMap) throws(ResponseProblem) {
        let unknown = body.keys.filter { $0 != "values" }
        guard unknown.isEmpty else { throw Self.problem("unknown field `\(unknown[0])`; the body is {\"values\": [...]}") }
        guard case .list(let items)? = body["values"] else {
            throw Self.problem("the body needs `values`: [{\"key\": NAME, \"ciphertext\": BASE64}, ...]")
        }
        guard !items.isEmpty else { throw Self.problem("`values` is empty") }
        guard items.count <= Self.maximumCount else { throw Self.problem("`values` has more than \(Self.maximumCount) keys") }
        var seen = Set<String>()
        values = []
        for (index, item) in items.enumerated() {
            let value = try Self.value(item, at: "values[\(index)]")
            guard seen.insert(value.key).inserted else { throw Self.problem("vault key `\(value.key)` appears more than once") }
            values.append(value)
        }
    }

    private static func value(_ item: TemplateValue, at path: String) throws(ResponseProblem) -> Value {
        guard case .map(let fields) = item else { throw problem("`\(path)` must be an object with `key` and `ciphertext`") }
        if fields["value"] != nil {
            throw problem("`\(path)` has a plaintext `value`; seal it with the app's vault public key and send `ciphertext`")
        }
        let unknown = fields.keys.filter { !["key", "ciphertext", "expected_version"].contains($0) }
        guard unknown.isEmpty else { throw problem("`\(path)` has an unknown field `\(unknown[0])`") }
        guard case .string(let key)? = fields["key"] else { throw problem("`\(path).key` must be a vault key name") }
        // A malformed key is not repeated: it may be a value typed on the wrong side.
        guard VaultSecretFile.isValidKey(key) else {
            throw problem("`\(path).key` is not a vault key name; use dotted names without spaces, like `twilio.account_sid`")
        }
        guard case .string(let text)? = fields["ciphertext"], let ciphertext = Data(base64Encoded: text) else {
            throw problem("`\(path).ciphertext` (vault key `\(key)`) must be base64 text")
        }
        guard ciphertext.count > sealOverhead else {
            throw problem("`\(path).ciphertext` (vault key `\(key)`) is too short to be a sealed value")
        }
        var expectedVersion: Int?
        switch fields["expected_version"] {
        case nil, TemplateValue.none?:
            expectedVersion = nil
        case .int(let version)? where version >= 0:
            expectedVersion = version
        default:
            throw problem("`\(path).expected_version` (vault key `\(key)`) must be a version number, 0 for a new key")
        }
        return Value(key: key, ciphertext: ciphertext, expectedVersion: expectedVersion)
    }

    /// Stores every value in one transaction of `store`; what was added and changed, by name.
    func store(in store: any VaultStore, at date: Date) async throws(VaultError) -> VaultUploadReport {
        let stored = Dictionary(try await store.entries().map { ($0.key, $0.version) }, uniquingKeysWith: { first, _ in first })
        var report = VaultUploadReport(compared: false)
        var writes: [VaultWrite] = []
        for value in values {
            // No expected version: replace what this request saw. A write in between still
            // fails the batch (the store checks the version inside its transaction).
            let expected = value.expectedVersion.map { $0 == 0 ? nil : $0 } ?? stored[value.key]
            if stored[value.key] == nil { report.added.append(value.key) } else { report.changed.append(value.key) }
            writes.append(VaultWrite(key: value.key, ciphertext: value.ciphertext, expectedVersion: expected))
        }
        try await store.write(writes, at: date)
        report.added.sort()
        report.changed.sort()
        return report
    }

    private static func problem(_ message: String) -> ResponseProblem {
        ResponseProblem(status: .badRequest, message: message)
    }
}
