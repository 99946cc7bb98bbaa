import AsyncHTTPClient
import Foundation
import Hummingbird

/// A Swift client for the emulator's agent API, acting as the human agent: list and await
/// tasks, accept, read and write the chat, complete or cancel, and watch webhook deliveries.
///
/// It exists so tests (and `botcli`) drive a handoff through the same public HTTP interface
/// the console uses. The `waitFor…` helpers long-poll (`?after=&wait=`): no sleeping loops.
public struct AgentClient: Sendable {
    /// The emulator's base URL, e.g. `http://127.0.0.1:5055`.
    public let baseURL: String
    let client: HTTPClient

    public init(baseURL: String, client: HTTPClient = .shared) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.client = client
    }

    // MARK: Tasks

    /// Every task, oldest first. With `after`, answers once the emulator changed past that
    /// version (or `wait` passed).
    public func tasks(after: Int? = nil, wait: Duration = .seconds(10)) async throws(AgentClientError) -> AgentSnapshot<[AgentTask]> {
        struct Answer: Decodable { var version: Int; var tasks: [AgentTask] }
        let answer: Answer = try await get("/emulator/api/tasks" + Self.query(after: after, wait: wait))
        return AgentSnapshot(version: answer.version, value: answer.tasks)
    }

    public func task(_ sid: String) async throws(AgentClientError) -> AgentTask {
        try await get("/emulator/api/tasks/\(sid)")
    }

    /// Accepts the task's reservation (`reservation.accepted` follows).
    @discardableResult
    public func accept(_ taskSid: String) async throws(AgentClientError) -> AgentTask {
        try await send(.post, "/emulator/api/tasks/\(taskSid)/accept", body: nil)
    }

    /// Ends the chat as Flex's "End chat" does: the task wraps up (`reservation.wrapup`,
    /// `task.wrapup`); a Programmable Chat channel turns INACTIVE (`onChannelUpdated`) first.
    @discardableResult
    public func endChat(_ taskSid: String) async throws(AgentClientError) -> AgentTask {
        try await send(.post, "/emulator/api/tasks/\(taskSid)/end", body: nil)
    }

    /// Completes the task: the chat closes (channel INACTIVE with `onChannelUpdated`, or the
    /// conversation closed with `onConversationStateUpdated`), `reservation.completed`, `task.completed`.
    @discardableResult
    public func complete(_ taskSid: String, reason: String? = nil) async throws(AgentClientError) -> AgentTask {
        try await send(.post, "/emulator/api/tasks/\(taskSid)/complete", body: reason.map { ["reason": .string($0)] })
    }

    /// Cancels a waiting task (`task.canceled` with the reason).
    @discardableResult
    public func cancel(_ taskSid: String, reason: String? = nil) async throws(AgentClientError) -> AgentTask {
        try await send(.post, "/emulator/api/tasks/\(taskSid)/cancel", body: reason.map { ["reason": .string($0)] })
    }

    // MARK: Chat

    /// The channel and its transcript.
    public func messages(channel sid: String, after: Int? = nil, wait: Duration = .seconds(10))
        async throws(AgentClientError) -> AgentSnapshot<(channel: AgentChannel, messages: [AgentMessage])> {
        struct Answer: Decodable { var version: Int; var channel: AgentChannel; var messages: [AgentMessage] }
        let answer: Answer = try await get("/emulator/api/channels/\(sid)/messages" + Self.query(after: after, wait: wait))
        return AgentSnapshot(version: answer.version, value: (answer.channel, answer.messages))
    }

    /// Sends a message as the agent holding the channel (`onMessageSent` follows). A body
    /// starting with `/` is an agent command.
    @discardableResult
    public func say(_ body: String, channel sid: String, attributes: EmulatorJSON? = nil) async throws(AgentClientError) -> AgentMessage {
        var json: EmulatorJSON = ["body": .string(body)]
        if let attributes { json = json.setting("attributes", attributes) }
        return try await send(.post, "/emulator/api/channels/\(sid)/messages", body: json)
    }

    // MARK: Webhooks

    /// Every webhook delivery, oldest first.
    public func deliveries(after: Int? = nil, wait: Duration = .seconds(10)) async throws(AgentClientError) -> AgentSnapshot<[WebhookDelivery]> {
        struct Answer: Decodable { var version: Int; var deliveries: [WebhookDelivery] }
        let answer: Answer = try await get("/emulator/api/events" + Self.query(after: after, wait: wait))
        return AgentSnapshot(version: answer.version, value: answer.deliveries)
    }

    // MARK: Waiting

    /// Long-polls `fetch` until `match` finds something, or throws `.timedOut` after `timeout`.
    public func waitFor<Value: Sendable, Found: Sendable>(
        _ what: String, timeout: Duration = .seconds(10),
        fetch: (AgentClient, Int?, Duration) async throws(AgentClientError) -> AgentSnapshot<Value>,
        match: (Value) -> Found?
    ) async throws(AgentClientError) -> Found {
        let deadline = ContinuousClock.now + timeout
        var after: Int?
        while true {
            let remaining = deadline - ContinuousClock.now
            let snapshot = try await fetch(self, after, max(.zero, remaining))
            if let found = match(snapshot.value) { return found }
            if ContinuousClock.now >= deadline { throw .timedOut(what) }
            after = snapshot.version
        }
    }

    /// The first task matching `predicate`, once there is one.
    public func waitForTask(timeout: Duration = .seconds(10), where predicate: @escaping @Sendable (AgentTask) -> Bool)
        async throws(AgentClientError) -> AgentTask {
        try await waitFor("a matching task", timeout: timeout, fetch: { client, after, wait throws(AgentClientError) in
            try await client.tasks(after: after, wait: wait)
        }, match: { $0.first(where: predicate) })
    }

    /// The deliveries matching `predicate` once there are at least `count` of them and none of
    /// those is still pending.
    public func waitForDeliveries(count: Int = 1, timeout: Duration = .seconds(10),
                                  where predicate: @escaping @Sendable (WebhookDelivery) -> Bool)
        async throws(AgentClientError) -> [WebhookDelivery] {
        try await waitFor("\(count) finished webhook deliveries", timeout: timeout, fetch: { client, after, wait throws(AgentClientError) in
            try await client.deliveries(after: after, wait: wait)
        }, match: { deliveries in
            let matching = deliveries.filter(predicate)
            return matching.count >= count && !matching.contains { $0.status == .pending } ? matching : nil
        })
    }

    /// The transcript once `predicate` holds for it.
    public func waitForMessages(channel sid: String, timeout: Duration = .seconds(10),
                                where predicate: @escaping @Sendable ([AgentMessage]) -> Bool)
        async throws(AgentClientError) -> [AgentMessage] {
        try await waitFor("messages in \(sid)", timeout: timeout, fetch: { client, after, wait throws(AgentClientError) in
            let snapshot = try await client.messages(channel: sid, after: after, wait: wait)
            return AgentSnapshot(version: snapshot.version, value: snapshot.value.messages)
        }, match: { predicate($0) ? $0 : nil })
    }

    // MARK: HTTP

    static func query(after: Int?, wait: Duration) -> String {
        guard let after else { return "" }
        let milliseconds = wait.components.seconds * 1000 + wait.components.attoseconds / 1_000_000_000_000_000
        return "?after=\(after)&wait=\(Double(milliseconds) / 1000)"
    }

    func get<Value: Decodable>(_ path: String) async throws(AgentClientError) -> Value {
        try await send(.get, path, body: nil)
    }

    enum Method: String { case get = "GET", post = "POST" }

    func send<Value: Decodable>(_ method: Method, _ path: String, body: EmulatorJSON?) async throws(AgentClientError) -> Value {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method == .post ? .POST : .GET
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body.text))
        }
        let status: Int, data: Data
        do {
            let response = try await client.execute(request, timeout: .seconds(45))
            status = Int(response.status.code)
            data = Data(try await response.body.collect(upTo: 16 << 20).readableBytesView)
        } catch {
            throw .transport("\(method.rawValue) \(path): \(error)")
        }
        guard (200..<300).contains(status) else {
            let message = (try? EmulatorJSON(parsing: String(decoding: data, as: UTF8.self)))?["error"]?.stringValue
            throw .refused(status: status, message: message ?? String(decoding: data, as: UTF8.self))
        }
        do {
            return try JSONDecoder().decode(Value.self, from: data)
        } catch {
            throw .undecodable("\(method.rawValue) \(path): \(error)")
        }
    }
}

/// Why an agent API call failed.
public enum AgentClientError: Error, CustomStringConvertible, Equatable {
    /// The emulator answered with an error status and `{"error": message}`.
    case refused(status: Int, message: String)
    /// The request did not get an answer.
    case transport(String)
    /// The answer was not the expected JSON.
    case undecodable(String)
    /// `waitFor…` gave up.
    case timedOut(String)

    public var description: String {
        switch self {
        case .refused(let status, let message): "the emulator refused the request (HTTP \(status)): \(message)"
        case .transport(let detail): "could not reach the emulator: \(detail)"
        case .undecodable(let detail): "unexpected answer from the emulator: \(detail)"
        case .timedOut(let what): "timed out waiting for \(what)"
        }
    }
}
