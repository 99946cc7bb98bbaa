import BotRuntime
import FlowDSL
import Foundation
import Logging
import OrderedCollections

/// An in-process client for one conversation with a bot: send messages, click buttons, inject
/// events, speak as an agent, and read back what the user would see in the plain format.
///
/// It is how `botcli test` runs conversation tests and how Parley's own tests drive the
/// engine; bot authors can use it in their Swift tests the same way.
public struct BotTestClient: Sendable {
    public let engine: BotEngine
    public let threadID: String
    public let userID: String
    /// Buttons offered by the latest bot turn: text → button id.
    private let offered = OfferedChoices()

    public init(engine: BotEngine, threadID: String = "thread-\(UUID().uuidString)", userID: String = "user-1") {
        self.engine = engine
        self.threadID = threadID
        self.userID = userID
    }

    /// Loads `files` (path → YAML) as an app with the standard element types, on `store` (a
    /// memory store unless given); the engine logs to `logger`.
    public init(files: [String: String], registry: ElementRegistry = .standard, options: EngineOptions = EngineOptions(realDelays: false),
                store: any BotStore = MemoryStore(), logger: Logger = Logger(label: "parley.runtime")) throws {
        let result = AppLoader(registry: registry).load(sources: files.map { AppSource(path: $0.key, text: $0.value) })
        guard let app = result.app else { throw BotTestError.invalidApp(result.diagnostics.map(\.description)) }
        self.init(engine: BotEngine(app: app, store: store, options: options, logger: logger))
    }

    /// Sends an event from the user, an agent or the system and returns what the user sees.
    @discardableResult
    public func send(_ type: String, data: TemplateMap = [:], sender: Sender = .user, idempotencyKey: String? = nil) async throws -> [String] {
        let result = try await turn(type, data: data, sender: sender, idempotencyKey: idempotencyKey)
        return result.plainLines
    }

    /// Sends an event and returns the whole turn result.
    public func turn(_ type: String, data: TemplateMap = [:], sender: Sender = .user, idempotencyKey: String? = nil) async throws -> TurnResult {
        let event = Event(type: type, threadID: threadID, sender: sender, userID: sender == .user ? userID : "\(sender.rawValue)-1",
                          data: data, idempotencyKey: idempotencyKey)
        let result = try await engine.handle(event)
        let choices = result.outputs.flatMap(\.choices)
        if !choices.isEmpty { offered.set(choices) }
        return result
    }

    /// The user types `text`.
    @discardableResult
    public func say(_ text: String) async throws -> [String] {
        try await send(EventTypes.say, data: ["text": .string(text)])
    }

    /// The user clicks the offered button with this text (sent as text when it has no id).
    @discardableResult
    public func click(_ text: String) async throws -> [String] {
        guard let choice = offered.get().first(where: { $0.text.lowercased() == text.lowercased() }) else {
            throw BotTestError.noSuchButton(text, offered: offered.get().map(\.text))
        }
        guard let id = choice.buttonID else { return try await say(choice.text) }
        return try await send(EventTypes.click, data: ["button_id": .string(id), "text": .string(choice.text)])
    }

    /// The chat page opens (fires `page_open` triggers).
    @discardableResult
    public func openPage(url: String = "http://localhost/chat") async throws -> [String] {
        try await send(EventTypes.pageOpen, data: ["url": .string(url)])
    }

    /// A human agent writes; text starting with `/` is an agent command.
    @discardableResult
    public func agent(_ text: String, name: String? = nil) async throws -> [String] {
        if text.hasPrefix("/") {
            return try await send(EventTypes.agentCommand, data: ["text": .string(text)], sender: .agent)
        }
        var data: TemplateMap = ["text": .string(text)]
        if let name { data["agent_name"] = .string(name) }
        return try await send(EventTypes.say, data: data, sender: .agent)
    }

    /// The thread's scope (with `mode`), or empty before the first event.
    public func threadScope() async throws -> TemplateMap {
        try await engine.thread(threadID)?.scope ?? [:]
    }

    public func userScope() async throws -> TemplateMap {
        try await engine.userScope(userID)
    }
}

/// Why a test client could not do what it was asked.
public enum BotTestError: Error, CustomStringConvertible {
    case invalidApp([String])
    case noSuchButton(String, offered: [String])

    public var description: String {
        switch self {
        case .invalidApp(let problems): "the app is not valid:\n" + problems.joined(separator: "\n")
        case .noSuchButton(let text, let offered):
            "no button `\(text)` is offered" + (offered.isEmpty ? "" : " (offered: " + offered.map { "`\($0)`" }.joined(separator: ", ") + ")")
        }
    }
}

/// The latest buttons shown, shared by copies of a client.
final class OfferedChoices: Sendable {
    private let choices = Mutex<[Choice]>([])
    func set(_ new: [Choice]) { choices.withLock { $0 = new } }
    func get() -> [Choice] { choices.withLock { $0 } }
}

import Synchronization
