import Crypto
import Foundation

/// Who a web chat user is, as the server issued it: a random user id and a token proving it.
///
/// `POST /webchat/identity` answers `{"user": "web-…", "token": "pt1.web-….MAC"}`; the chat page
/// keeps both and sends the token (`Authorization: Bearer TOKEN` over REST, `?token=` on the
/// WebSocket). The MAC is HMAC-SHA256 over the user id with the server's identity key, so a
/// token cannot be made for a user id one merely knows (a phone number, an e-mail), and nothing
/// about issued tokens needs to be stored. A token is good as long as its key is.
public struct WebIdentityKey: Sendable {
    /// The key's bytes (`SymmetricKey` is not `Sendable`; one is made per use, which is cheap).
    private let bytes: [UInt8]
    private var key: SymmetricKey { SymmetricKey(data: bytes) }
    static let tokenPrefix = "pt1."
    static let userPrefix = "web-"

    /// A key from its 32 bytes.
    public init(bytes: some ContiguousBytes) {
        self.bytes = bytes.withUnsafeBytes { Array($0) }
    }

    /// A new random key: tokens it issues die with the process (tests, `bench`).
    public static func random() -> WebIdentityKey {
        WebIdentityKey(bytes: SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
    }

    /// The key kept in `url` (created with 32 random bytes, readable by the owner only, when missing).
    public static func loadOrCreate(at url: URL) throws -> WebIdentityKey {
        if let data = try? Data(contentsOf: url) {
            guard data.count == 32 else { throw WebIdentityKeyError(path: url.path, size: data.count) }
            return WebIdentityKey(bytes: data)
        }
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: url.path, contents: bytes, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        return WebIdentityKey(bytes: bytes)
    }

    /// A new user id and its token.
    public func issue() -> (user: String, token: String) {
        let random = SymmetricKey(size: .bits128).withUnsafeBytes { Data($0) }
        let user = Self.userPrefix + Self.base64URL(random)
        return (user, token(for: user))
    }

    /// The token for `user` (one this key issued).
    func token(for user: String) -> String {
        Self.tokenPrefix + user + "." + Self.base64URL(Data(HMAC<SHA256>.authenticationCode(for: Data(user.utf8), using: key)))
    }

    /// The user a token proves, or nil for anything this key did not issue.
    public func user(of token: String) -> String? {
        // Byte by byte (tokens are ASCII; characters would join a combining mark to the prefix),
        // and the dot looked for after the prefix, whose own dot a cut-off token may hold last.
        let bytes = token.utf8
        guard bytes.starts(with: Self.tokenPrefix.utf8) else { return nil }
        let signed = bytes.dropFirst(Self.tokenPrefix.utf8.count)
        guard let dot = signed.lastIndex(of: UInt8(ascii: ".")),
              let user = String(signed[..<dot]), user.utf8.starts(with: Self.userPrefix.utf8),
              let macText = String(signed[signed.index(after: dot)...]), let mac = Self.data(base64URL: macText) else { return nil }
        // Constant time: a wrong MAC takes as long however much of it was right.
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Data(user.utf8), using: key) ? user : nil
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func data(base64URL text: String) -> Data? {
        guard text.utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "/") }) else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}

/// An identity key file that is not a key.
public struct WebIdentityKeyError: Error, CustomStringConvertible {
    public let path: String
    public let size: Int
    public var description: String {
        "\(path) holds \(size) bytes, not a 32-byte web identity key; remove it to make a new one (web chat users then get new identities)"
    }
}
