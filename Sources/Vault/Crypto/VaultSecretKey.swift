import CSodium
import Foundation

/// The secret half of a deployment's vault key pair, held in memory this class owns.
///
/// It exists so that the only code able to read the vault holds the key in guarded memory:
/// `sodium_malloc` (guard pages, never swapped where the system allows), read-only after it is
/// filled, zeroed and freed with `sodium_free` when the last reference goes. It never prints
/// itself; `description` is a fixed placeholder.
public final class VaultSecretKey: @unchecked Sendable, CustomStringConvertible {
    // @unchecked: the buffer is written once in `init`, then made read-only and only read.
    private let buffer: UnsafeMutableRawPointer
    /// The matching public key, derived from the secret one.
    public let publicKey: VaultPublicKey

    /// Allocates the guarded buffer, lets `fill` write the key bytes, derives the public key.
    private init(fill: (UnsafeMutableRawBufferPointer) throws(VaultError) -> Void) throws(VaultError) {
        try Sodium.ready()
        guard let buffer = sodium_malloc(Sodium.secretKeyBytes) else { throw .sodiumUnavailable }
        do {
            try fill(UnsafeMutableRawBufferPointer(start: buffer, count: Sodium.secretKeyBytes))
        } catch {
            sodium_free(buffer)
            throw error
        }
        var publicBytes = [UInt8](repeating: 0, count: Sodium.publicKeyBytes)
        _ = publicBytes.withUnsafeMutableBytes {
            crypto_scalarmult_base($0.baseAddress!.assumingMemoryBound(to: UInt8.self), buffer.assumingMemoryBound(to: UInt8.self))
        }
        sodium_mprotect_readonly(buffer)
        self.buffer = buffer
        self.publicKey = try VaultPublicKey(bytes: publicBytes)
    }

    deinit {
        sodium_mprotect_readwrite(buffer)
        sodium_memzero(buffer, Sodium.secretKeyBytes)
        sodium_free(buffer)
    }

    /// A fresh key pair from libsodium's random source (`crypto_box_keypair`).
    public static func generate() throws(VaultError) -> VaultSecretKey {
        try VaultSecretKey { secret in
            var publicBytes = [UInt8](repeating: 0, count: Sodium.publicKeyBytes)
            _ = publicBytes.withUnsafeMutableBytes {
                crypto_box_keypair($0.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                   secret.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
        }
    }

    /// A key from base64 text (as in `PARLEY_VAULT_SECRET_KEY`); `source` names where it came from.
    public convenience init(base64 text: String, source: String) throws(VaultError) {
        var utf8 = Array(text.utf8)
        defer { utf8.wipe() }
        try self.init(base64Bytes: utf8, source: source)
    }

    /// A key from base64 bytes; the caller wipes them.
    convenience init(base64Bytes: [UInt8], source: String) throws(VaultError) {
        try self.init { (secret) throws(VaultError) in
            let ok = base64Bytes.withUnsafeBytes { Sodium.decodeBase64($0, into: secret) }
            guard ok else { throw .invalidKey(source: source) }
        }
    }

    /// Writes the key as base64 into guarded memory, hands it to `body`, then wipes it.
    func withBase64<T, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> T) throws(E) -> T {
        let capacity = Sodium.base64Length(of: Sodium.secretKeyBytes) + 1
        guard let text = sodium_malloc(capacity) else { fatalError("sodium_malloc failed") }
        defer {
            sodium_memzero(text, capacity)
            sodium_free(text)
        }
        let length = Sodium.encodeBase64(UnsafeRawBufferPointer(start: buffer, count: Sodium.secretKeyBytes),
                                         into: UnsafeMutableRawBufferPointer(start: text, count: capacity))
        return try body(UnsafeRawBufferPointer(start: text, count: length))
    }

    /// The key as base64 text, for putting into `PARLEY_VAULT_SECRET_KEY` on a deployment.
    /// The returned string is ordinary memory: show it once, never log it.
    public func exportBase64() -> String {
        withBase64 { String(decoding: $0, as: UTF8.self) }
    }

    /// Opens a value sealed to this key's public half. `key` names the vault key for errors.
    public func open(_ ciphertext: Data, key: String) throws(VaultError) -> VaultValue {
        var plaintext = try openBytes(ciphertext, key: key)
        defer { plaintext.wipe() }
        return try VaultValue(sealedJSON: plaintext, key: key)
    }

    /// The plaintext bytes of a sealed value; the caller wipes them.
    func openBytes(_ ciphertext: Data, key: String) throws(VaultError) -> [UInt8] {
        guard ciphertext.count >= Sodium.sealBytes else { throw .cannotOpen(key: key) }
        let length = ciphertext.count - Sodium.sealBytes
        // One spare byte so the output pointer is never nil, even for an empty plaintext.
        var plaintext = [UInt8](repeating: 0, count: length + 1)
        let status = plaintext.withUnsafeMutableBytes { output in
            ciphertext.withUnsafeBytes { input in
                publicKey.bytes.withUnsafeBytes { publicBytes in
                    crypto_box_seal_open(output.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                         input.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(input.count),
                                         publicBytes.baseAddress!.assumingMemoryBound(to: UInt8.self),
                                         buffer.assumingMemoryBound(to: UInt8.self))
                }
            }
        }
        guard status == 0 else {
            plaintext.wipe()
            throw .cannotOpen(key: key)
        }
        plaintext.removeLast()
        return plaintext
    }

    public var description: String { "VaultSecretKey(public: \(publicKey.base64))" }
}
