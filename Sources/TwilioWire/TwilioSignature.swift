import Crypto
import Foundation

/// Twilio's `X-Twilio-Signature`: computing it (the emulator signs its webhooks) and checking
/// it (the integration verifies Twilio's), exactly as the official libraries do (spec §d).
///
/// It exists in one place so that signer and verifier cannot drift apart, and so both follow
/// twilio-python 9.13.0 byte for byte: code-point sort, de-duplicated pairs, the two-URL port
/// rule and the `bodySHA256` check for JSON bodies.
public enum TwilioSignature {
    /// The MAC used to sign. Twilio signs with HMAC-SHA1 keyed with the account's auth token;
    /// twilio-python 9.x also knows an HMAC-SHA256 variant keyed with a SharedKey secret
    /// (spec §d.4, announced by `X-Twilio-Webhooks-Signature-Settings`; unconfirmed in docs).
    public enum Algorithm: String, Sendable, Equatable {
        case hmacSHA1 = "HMAC_SHA1"
        case hmacSHA256 = "HMAC_SHA256"

        /// The algorithm named by an `X-Twilio-Webhooks-Signature-Settings` header
        /// (`key=ID,algorithm=HMAC_SHA256`); HMAC-SHA1 when the header is absent or names none.
        public init(settingsHeader: String?) {
            self = .hmacSHA1
            guard let settingsHeader else { return }
            for item in settingsHeader.split(separator: ",") {
                let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if pair.count == 2, pair[0] == "algorithm", let algorithm = Algorithm(rawValue: pair[1].uppercased()) {
                    self = algorithm
                }
            }
        }
    }

    /// The string Twilio signs: `url`, then for each distinct name in code-point order, each of
    /// its distinct values in code-point order, written as `name` + `value` (spec §d.1).
    public static func stringToSign(url: String, parameters: TwilioForm) -> String {
        var valuesByName: [[UInt8]: Set<[UInt8]>] = [:]
        for field in parameters.fields {
            valuesByName[Array(field.name.utf8), default: []].insert(Array(field.value.utf8))
        }
        var bytes = Array(url.utf8)
        // UTF-8 byte order is code-point order, which is how Python sorts `str`.
        for name in valuesByName.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            for value in valuesByName[name, default: []].sorted(by: { $0.lexicographicallyPrecedes($1) }) {
                bytes += name
                bytes += value
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Base64 HMAC-SHA1 of url + sorted de-duplicated name/value pairs (spec §d.1).
    public static func compute(url: String, parameters: TwilioForm, authToken: String) -> String {
        compute(url: url, parameters: parameters, key: authToken, algorithm: .hmacSHA1)
    }

    /// The signature with a chosen algorithm; `key` is the auth token (SHA-1) or the SharedKey
    /// secret (SHA-256).
    public static func compute(url: String, parameters: TwilioForm, key: String, algorithm: Algorithm) -> String {
        let message = Data(stringToSign(url: url, parameters: parameters).utf8)
        let symmetricKey = SymmetricKey(data: Data(key.utf8))
        switch algorithm {
        case .hmacSHA1:
            return Data(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: symmetricKey)).base64EncodedString()
        case .hmacSHA256:
            return Data(HMAC<SHA256>.authenticationCode(for: message, using: symmetricKey)).base64EncodedString()
        }
    }

    /// Spec §d.1–§d.3: the two-URL port rule, constant-time compare, bodySHA256 JSON bodies (pass the raw body).
    ///
    /// `url` is the full URL the sender posted to (scheme, host, port, path, query as sent).
    /// When `rawBody` is given and the URL's query carries `bodySHA256`, the body's SHA-256 must
    /// match it and the signature covers the URL alone; otherwise `parameters` (the decoded
    /// form body) are signed after the URL.
    public static func isValid(_ signature: String, url: String, parameters: TwilioForm, authToken: String,
                               rawBody: [UInt8]? = nil) -> Bool {
        isValid(signature, url: url, parameters: parameters, key: authToken, algorithm: .hmacSHA1, rawBody: rawBody)
    }

    /// `isValid` with a chosen algorithm (see `Algorithm(settingsHeader:)`).
    public static func isValid(_ signature: String, url: String, parameters: TwilioForm, key: String, algorithm: Algorithm,
                               rawBody: [UInt8]? = nil) -> Bool {
        guard let parts = URLParts(url) else { return false }
        var parameters = parameters
        var bodyHashMatches = true
        if let rawBody, let expected = parts.queryValue("bodySHA256") {
            let actual = SHA256.hash(data: rawBody).map { byte in
                let hex = String(byte, radix: 16)
                return byte < 16 ? "0" + hex : hex
            }.joined()
            bodyHashMatches = constantTimeEqual(actual, expected)
            parameters = TwilioForm()
        }
        let withoutPort = compute(url: parts.withoutPort, parameters: parameters, key: key, algorithm: algorithm)
        let withPort = compute(url: parts.withPort, parameters: parameters, key: key, algorithm: algorithm)
        // Both comparisons always run, so timing does not tell which URL form matched.
        let matchesWithoutPort = constantTimeEqual(withoutPort, signature)
        let matchesWithPort = constantTimeEqual(withPort, signature)
        return bodyHashMatches && (matchesWithoutPort || matchesWithPort)
    }

    /// Compares in time that depends only on the lengths.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8), right = Array(b.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}

/// A URL cut where the port rule needs it: `scheme://[userinfo@]host[:port]` and the rest.
struct URLParts {
    var scheme: String
    var userInfo: String
    var host: String
    var port: String?
    var rest: String

    init?(_ url: String) {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        scheme = String(url[..<schemeEnd.lowerBound])
        let afterScheme = url[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? afterScheme.endIndex
        var authority = afterScheme[..<authorityEnd]
        rest = String(afterScheme[authorityEnd...])
        if let at = authority.lastIndex(of: "@") {
            userInfo = String(authority[...at])
            authority = authority[authority.index(after: at)...]
        } else {
            userInfo = ""
        }
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = String(authority[...close])
            let after = authority[authority.index(after: close)...]
            port = after.hasPrefix(":") ? String(after.dropFirst()) : nil
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            port = String(authority[authority.index(after: colon)...])
        } else {
            host = String(authority)
            port = nil
        }
        if port?.isEmpty == true { port = nil }
        guard !scheme.isEmpty, !host.isEmpty else { return nil }
    }

    /// The URL with any port removed (Python's `remove_port`).
    var withoutPort: String { "\(scheme)://\(userInfo)\(host)\(rest)" }

    /// The URL with its port, or the scheme's default one added (Python's `add_port`).
    var withPort: String {
        "\(scheme)://\(userInfo)\(host):\(port ?? (scheme.lowercased() == "https" ? "443" : "80"))\(rest)"
    }

    /// The first value of `name` in the query, decoded.
    func queryValue(_ name: String) -> String? {
        guard let question = rest.firstIndex(of: "?") else { return nil }
        var query = rest[rest.index(after: question)...]
        if let hash = query.firstIndex(of: "#") { query = query[..<hash] }
        return (try? TwilioForm(encoded: String(query)))?[name]
    }
}
