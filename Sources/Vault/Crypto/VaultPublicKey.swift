import CSodium
import Foundation

/// The public half of a deployment's vault key pair: enough to seal values, useless for reading.
///
/// It exists so that uploading (a developer laptop, CI, later the HTTP admin API) never needs
/// the secret key: `crypto_box_seal` encrypts to this key with a fresh ephemeral key pair, so
/// whoever seals cannot open the result again. Shareable; stored as base64 in `.parley/vault.pub`
/// or given by `PARLEY_VAULT_PUBLIC_KEY`.
public struct VaultPublicKey: Sendable, Hashable {
    /// The 32 raw key bytes.
    public let bytes: [UInt8]

    /// A key from its raw bytes; `source` names where they came from, for the error.
    public init(bytes: [UInt8], source: String = "the public key") throws(VaultError) {
        try Sodium.ready()
        guard bytes.count == Sodium.publicKeyBytes else { throw .invalidKey(source: source) }
        self.bytes = bytes
    }

    /// A key from its base64 text (white space around it ignored); `source` names the file or
    /// environment variable it came from.
    public init(base64 text: String, source: String) throws(VaultError) {
        try Sodium.ready()
        var decoded = [UInt8](repeating: 0, count: Sodium.publicKeyBytes)
        let utf8 = Array(text.utf8)
        let ok = utf8.withUnsafeBytes { input in decoded.withUnsafeMutableBytes { Sodium.decodeBase64(input, into: $0) } }
        guard ok else { throw .invalidKey(source: source) }
        self.bytes = decoded
    }

    /// The key as base64 text, the form written to `vault.pub`.
    public var base64: String {
        var output = [UInt8](repeating: 0, count: Sodium.base64Length(of: bytes.count) + 1)
        let length = bytes.withUnsafeBytes { input in output.withUnsafeMutableBytes { Sodium.encodeBase64(input, into: $0) } }
        return String(decoding: output[..<length], as: UTF8.self)
    }

    /// Seals `value` (as its JSON) to this key. `key` names the vault key for errors.
    public func seal(_ value: VaultValue, key: String) throws(VaultError) -> Data {
        var plaintext = try value.sealedJSON(key: key)
        defer { plaintext.wipe() }
        return seal(plaintext: plaintext)
    }

    /// Seals raw bytes to this key with `crypto_box_seal`.
    func seal(plaintext: [UInt8]) -> Data {
        var ciphertext = Data(count: plaintext.count + Sodium.sealBytes)
        let status = ciphertext.withUnsafeMutableBytes { output in
            plaintext.withUnsafeBytes { input in
                bytes.withUnsafeBytes { publicKey in
                    crypto_box_seal(output.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                    input.baseAddress?.assumingMemoryBound(to: UInt8.self), UInt64(input.count),
                                    publicKey.baseAddress!.assumingMemoryBound(to: UInt8.self))
                }
            }
        }
        precondition(status == 0, "crypto_box_seal failed")
        return ciphertext
    }
}

extension Array where Element == UInt8 {
    /// Overwrites the bytes with zeros (`sodium_memzero`, which the compiler cannot drop).
    mutating func wipe() {
        withUnsafeMutableBytes { buffer in
            if let base = buffer.baseAddress { sodium_memzero(base, buffer.count) }
        }
    }
}
