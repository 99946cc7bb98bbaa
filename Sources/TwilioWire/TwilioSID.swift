import Crypto

/// Twilio resource identifiers: two upper-case letters and 32 hex digits (`CH…`, `WT…`).
///
/// It exists so the emulator mints SIDs the way Twilio does (lowercase hex, 34 characters) and
/// so callers can check one's shape before using it in a path.
public enum TwilioSID {
    /// `prefix` followed by 32 random lowercase hex digits.
    public static func random(_ prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        var text = prefix
        for _ in 0..<2 {
            let value = generator.next() as UInt64
            let hex = String(value, radix: 16)
            text += String(repeating: "0", count: 16 - hex.count) + hex
        }
        return text
    }

    /// A fixed SID derived from `seed`: `prefix` followed by the first 32 hex digits of
    /// SHA-256(seed). The shared fixtures' SIDs are `derived(prefix, from: "twilio-fixture:<label>")`.
    public static func derived(_ prefix: String, from seed: String) -> String {
        prefix + SHA256.hash(data: Array(seed.utf8)).prefix(16).map { byte in
            byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
        }.joined()
    }

    /// Whether `sid` is `prefix` followed by exactly 32 hex digits (either case, as Twilio's
    /// OpenAPI patterns accept).
    public static func isValid(_ sid: String, prefix: String) -> Bool {
        guard sid.hasPrefix(prefix) else { return false }
        let rest = sid.utf8.dropFirst(prefix.utf8.count)
        return rest.count == 32 && rest.allSatisfy { byte in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
        }
    }
}
