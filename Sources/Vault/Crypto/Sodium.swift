import CSodium

/// The one place that initialises libsodium; every crypto call in Vault goes through `ready()`.
///
/// A Swift `static let` is initialised exactly once, under a lock, on first use, so
/// `sodium_init()` runs once however many threads reach it.
enum Sodium {
    private static let initialised: Bool = sodium_init() >= 0

    static func ready() throws(VaultError) {
        guard initialised else { throw .sodiumUnavailable }
    }

    static let publicKeyBytes = Int(crypto_box_publickeybytes())
    static let secretKeyBytes = Int(crypto_box_secretkeybytes())
    static let sealBytes = Int(crypto_box_sealbytes())

    /// Base64 (original alphabet, padded) of `count` bytes, as libsodium writes it.
    static func base64Length(of count: Int) -> Int { (count + 2) / 3 * 4 }

    /// Decodes base64 text into `output` (exactly `output.count` bytes expected), ignoring
    /// surrounding white space. Returns false on anything else.
    static func decodeBase64(_ text: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Bool {
        guard let textBase = text.baseAddress, let outputBase = output.baseAddress else { return false }
        var decodedLength = 0
        var end: UnsafePointer<CChar>?
        let chars = textBase.assumingMemoryBound(to: CChar.self)
        let status = sodium_base642bin(outputBase.assumingMemoryBound(to: UInt8.self), output.count,
                                       chars, text.count, " \t\r\n", &decodedLength, &end,
                                       sodium_base64_VARIANT_ORIGINAL)
        return status == 0 && decodedLength == output.count && end == chars + text.count
    }

    /// Base64 text of `bytes`, written into `output` (at least `base64Length + 1` bytes, for
    /// libsodium's terminating NUL). Returns the length written, without the NUL.
    static func encodeBase64(_ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int {
        let length = base64Length(of: bytes.count)
        precondition(output.count > length)
        sodium_bin2base64(output.baseAddress!.assumingMemoryBound(to: CChar.self), output.count,
                          bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), bytes.count,
                          sodium_base64_VARIANT_ORIGINAL)
        return length
    }
}
