import Hummingbird

extension Request {
    /// The credential of an `Authorization: Bearer …` header (the scheme in any case, spaces
    /// around the credential ignored); nil without one. The admin API, the REST channel and
    /// the WebSocket read it here. Never log it.
    var bearerCredential: String? {
        guard let header = headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let credential = parts[1].trimmingCharacters(in: .whitespaces)
        return credential.isEmpty ? nil : credential
    }
}
