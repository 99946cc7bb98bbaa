import Foundation

extension AgentClient {
    /// The customer `from` texts `to` (a configured address); what their phone shows for it.
    @discardableResult
    public func text(_ body: String, from: String, to: String, mediaSid: String? = nil) async throws(AgentClientError) -> PhoneMessage {
        var json: EmulatorJSON = ["from": .string(from), "to": .string(to), "body": .string(body)]
        if let mediaSid { json = json.setting("media_sid", .string(mediaSid)) }
        return try await send(.post, "/emulator/api/phone/messages", body: json)
    }

    /// What `customer`'s phone sent and received (every phone's when nil), oldest first.
    public func phone(_ customer: String? = nil, after: Int? = nil, wait: Duration = .seconds(10))
        async throws(AgentClientError) -> AgentSnapshot<[PhoneMessage]> {
        struct Answer: Decodable { var version: Int; var messages: [PhoneMessage] }
        var query = Self.query(after: after, wait: wait)
        if let customer {
            let escaped = customer.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? customer
            query += (query.isEmpty ? "?" : "&") + "customer=" + escaped
        }
        let answer: Answer = try await get("/emulator/api/phone/messages" + query)
        return AgentSnapshot(version: answer.version, value: answer.messages)
    }

    /// `customer`'s phone messages once `predicate` holds for them.
    public func waitForPhone(_ customer: String, timeout: Duration = .seconds(10),
                             where predicate: @escaping @Sendable ([PhoneMessage]) -> Bool) async throws(AgentClientError) -> [PhoneMessage] {
        try await waitFor("\(customer)'s phone", timeout: timeout, fetch: { client, after, wait throws(AgentClientError) in
            try await client.phone(customer, after: after, wait: wait)
        }, match: { predicate($0) ? $0 : nil })
    }

    /// Moves the emulator's clock on by `duration` (e.g. past WhatsApp's 24-hour window).
    public func advanceClock(by duration: Duration) async throws(AgentClientError) {
        struct Answer: Decodable { var now: String }
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        let _: Answer = try await send(.post, "/emulator/api/clock", body: ["advance_seconds": .number(String(seconds))])
    }
}
