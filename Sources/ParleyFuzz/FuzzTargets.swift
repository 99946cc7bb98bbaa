@testable import BotServer
import BotRuntime
import FlowDSL
import Foundation
import TwilioWire

/// Every decoder that takes bytes from the network, as a function of arbitrary bytes that must
/// not crash (a trap ends the process: libFuzzer reports it with the input that did it), and
/// whose answers must agree with themselves where a property says so.
enum FuzzTarget: String, CaseIterable {
    /// The JSON parser of REST bodies, WebSocket frames, Twilio attributes and admin bodies;
    /// what it accepts writes back to JSON it reads as the same value.
    case json
    /// A REST channel body, as the server reads it (`RestMessage`), and the event it makes.
    case rest
    /// A WebSocket frame (`WebSocketInput`) and its event.
    case websocket
    /// A Twilio webhook form (`TwilioForm`), its encoding round trip and its signature check.
    case twilio
    /// `PUT /admin/vault`'s body (`AdminVaultUpload`).
    case admin
    /// A web chat user token as REST (`Authorization: Bearer`) and WebSocket (`?token=`) clients
    /// send it (`WebIdentityKey.user(of:)`); a token the key issued names its user again.
    case identity

    func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        switch self {
        case .json:
            guard let value = try? TemplateValue(jsonBytes: Array(bytes)) else { return }
            // What a client sent, as a store writes it and reads it back.
            let again = try? TemplateValue(storedJSON: value.jsonText)
            precondition(again != nil, "what the parser accepted does not read back")
            // A client object shaped like the store's float marker cannot round-trip (see the
            // closing note of the hardening issue); everything else must.
            if !value.containsNaN, !value.containsFloatMarker { precondition(again == value, "a JSON value changed on its round trip") }
        case .rest:
            guard case .map(let body)? = try? TemplateValue(jsonBytes: Array(bytes)) else { return }
            for identity in [ClientIdentity.trusted, .user("web-fuzz")] {
                if let message = try? RestMessage(json: body, identity: identity) {
                    let event = message.event
                    precondition(event.threadID == message.threadID && event.userID == message.sender)
                    _ = message.idempotencyKey
                }
            }
        case .websocket:
            let text = String(decoding: bytes, as: UTF8.self)
            if let input = try? WebSocketInput(frame: text) { _ = input.event(user: "u", thread: "t") }
            _ = try? WebSocketChannel.Parameters(query: Self.query(text), identity: .trusted)
        case .twilio:
            let text = String(decoding: bytes, as: UTF8.self)
            guard let form = try? TwilioForm(encoded: text) else { return }
            let encoded = form.fields.map { TwilioForm.encodeComponent($0.name) + "=" + TwilioForm.encodeComponent($0.value) }
                .joined(separator: "&")
            precondition((try? TwilioForm(encoded: encoded)) == form, "a form changed on its encoding round trip")
            let url = "https://bot.example.com/twilio/\(form["EventType"] ?? "events")"
            let signature = TwilioSignature.compute(url: url, parameters: form, authToken: "fuzz-token")
            precondition(TwilioSignature.isValid(signature, url: url, parameters: form, authToken: "fuzz-token", rawBody: Array(bytes)))
            _ = TwilioSignature.isValid(form["Signature"] ?? text, url: url, parameters: form, authToken: "fuzz-token", rawBody: Array(bytes))
        case .admin:
            guard case .map(let body)? = try? TemplateValue(jsonBytes: Array(bytes)) else { return }
            _ = try? AdminVaultUpload(json: body)
        case .identity:
            let text = String(decoding: bytes, as: UTF8.self)
            _ = Self.identityKey.user(of: text)
            // Any user id the key issues (the prefix and base64url of random bytes).
            let user = WebIdentityKey.userPrefix + WebIdentityKey.base64URL(Data(bytes))
            precondition(Self.identityKey.user(of: Self.identityKey.token(for: user)) == user, "an issued token does not name its user")
        }
    }

    static let identityKey = WebIdentityKey(bytes: [UInt8](repeating: 7, count: 32))

    /// `a=1&b=2` as a query's parameters (the WebSocket's `user`, `thread`, `after`).
    static func query(_ text: String) -> [String: String] {
        var query: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            query[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return query
    }
}

extension TemplateValue {
    /// An object whose only key is `$float`: the store writes NaN and the infinities that way.
    var containsFloatMarker: Bool {
        switch self {
        case .list(let items): items.contains { $0.containsFloatMarker }
        case .map(let map): (map.count == 1 && map["$float"] != nil) || map.values.contains { $0.containsFloatMarker }
        default: false
        }
    }

    /// NaN is not equal to itself: such a value round-trips, but `==` cannot say so.
    var containsNaN: Bool {
        switch self {
        case .double(let number): number.isNaN
        case .list(let items): items.contains { $0.containsNaN }
        case .map(let map): map.values.contains { $0.containsNaN }
        default: false
        }
    }
}
