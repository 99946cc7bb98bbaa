import Foundation

extension AgentClient {
    /// `from` calls `to`, a number of the account; the call once the bot's first answer played.
    @discardableResult
    public func call(from: String, to: String, callerName: String? = nil) async throws(AgentClientError) -> PhoneCall {
        var json: EmulatorJSON = ["from": .string(from), "to": .string(to)]
        if let callerName { json = json.setting("caller_name", .string(callerName)) }
        return try await send(.post, "/emulator/api/calls", body: json)
    }

    /// Every call, oldest first.
    public func calls(after: Int? = nil, wait: Duration = .seconds(10)) async throws(AgentClientError) -> AgentSnapshot<[PhoneCall]> {
        struct Answer: Decodable { var version: Int; var calls: [PhoneCall] }
        let answer: Answer = try await get("/emulator/api/calls" + Self.query(after: after, wait: wait))
        return AgentSnapshot(version: answer.version, value: answer.calls)
    }

    /// One call: what was said on it, and what it waits for.
    public func phoneCall(_ sid: String, after: Int? = nil, wait: Duration = .seconds(10)) async throws(AgentClientError) -> AgentSnapshot<PhoneCall> {
        struct Answer: Decodable { var version: Int; var call: PhoneCall }
        let answer: Answer = try await get("/emulator/api/calls/\(sid)" + Self.query(after: after, wait: wait))
        return AgentSnapshot(version: answer.version, value: answer.call)
    }

    /// The caller says `text`; the call once the bot (or the virtual agent) answered.
    @discardableResult
    public func speak(_ text: String, on sid: String) async throws(AgentClientError) -> PhoneCall {
        try await send(.post, "/emulator/api/calls/\(sid)/speech", body: ["text": .string(text)])
    }

    /// The caller presses `digits`.
    @discardableResult
    public func press(_ digits: String, on sid: String) async throws(AgentClientError) -> PhoneCall {
        try await send(.post, "/emulator/api/calls/\(sid)/digits", body: ["digits": .string(digits)])
    }

    /// The caller says nothing until the `<Gather>` times out.
    @discardableResult
    public func staySilent(on sid: String) async throws(AgentClientError) -> PhoneCall {
        try await send(.post, "/emulator/api/calls/\(sid)/silence", body: nil)
    }

    @discardableResult
    public func hangUp(_ sid: String) async throws(AgentClientError) -> PhoneCall {
        try await send(.post, "/emulator/api/calls/\(sid)/hangup", body: nil)
    }

    /// The call once `predicate` holds for it.
    public func waitForCall(_ sid: String, timeout: Duration = .seconds(10),
                            where predicate: @escaping @Sendable (PhoneCall) -> Bool) async throws(AgentClientError) -> PhoneCall {
        try await waitFor("call \(sid)", timeout: timeout, fetch: { client, after, wait throws(AgentClientError) in
            try await client.phoneCall(sid, after: after, wait: wait)
        }, match: { predicate($0) ? $0 : nil })
    }
}
