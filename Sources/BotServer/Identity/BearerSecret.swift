import Foundation

/// A shared secret a client sends as `Authorization: Bearer SECRET`: the admin API's token, the
/// REST channel's server-to-server secret (`ClientAuthentication`). It prints as `••••••` so
/// that it cannot reach a log by accident, and it is compared in constant time.
public struct BearerSecret: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The shortest token accepted: 16 characters (`openssl rand -hex 32` gives 64).
    public static let minimumLength = 16

    private let bytes: [UInt8]

    /// A token from its text, white space around it ignored (a file's trailing newline);
    /// nil when it is not one (`problem(with:)` says why).
    public init?(_ text: String) {
        guard Self.problem(with: text) == nil else { return nil }
        bytes = Array(text.trimmingWhitespace().utf8)
    }

    /// Why `text` is not a token, without quoting any of it (it may be a secrets file given by
    /// mistake); nil when it is one. A token is one line of at least `minimumLength` of the
    /// characters a Bearer token may have (RFC 6750: letters, digits, `-._~+/=`), so it can
    /// travel in an HTTP header as it is.
    public static func problem(with text: String) -> String? {
        let trimmed = text.trimmingWhitespace()
        if trimmed.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" }) {
            return "has more than one line (is it the right file?)"
        }
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/=".unicodeScalars)
        if let bad = trimmed.unicodeScalars.first(where: { !allowed.contains($0) }) {
            let what = bad.properties.isWhitespace ? "a space" : bad.isASCII ? "a character a Bearer token cannot have" : "a non-ASCII character"
            return "has \(what); use letters, digits and - . _ ~ + / = only"
        }
        if trimmed.utf8.count < minimumLength { return "is shorter than \(minimumLength) characters" }
        return nil
    }

    /// What a client sends as the `Authorization` header: `Bearer <token>`. For the request
    /// only: never print or log it.
    public var authorizationHeader: String { "Bearer " + String(decoding: bytes, as: UTF8.self) }

    public var description: String { "••••••" }
    public var debugDescription: String { "BearerSecret(••••••)" }

    /// Whether `candidate` is this token. The time taken depends on the token's length only,
    /// never on where the first differing byte is, so answers cannot be timed to guess it.
    @inline(never)
    public func matches(_ candidate: some Sequence<UInt8>) -> Bool {
        let given = Array(candidate)
        var difference: UInt8 = given.count == bytes.count ? 0 : 1
        for index in bytes.indices {
            // Every byte of the token is compared; a shorter candidate compares against 0.
            let other = index < given.count ? given[index] : 0
            difference |= bytes[index] ^ other
        }
        return difference == 0
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
