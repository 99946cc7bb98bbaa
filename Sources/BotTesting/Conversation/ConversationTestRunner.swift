import BotRuntime
import FlowDSL
import Foundation
import Logging

/// Runs conversation tests against a bot app.
///
/// Each case gets its own engine on a fresh `MemoryStore` (delays do not sleep), so cases
/// share nothing and run in parallel; given a `store`, every case's engine runs on it, each
/// case on a thread and a user of its own. The app's vault is not opened: tests never need
/// secrets, and `(@ vault.KEY )` renders as `[vault.KEY]`; sensitive values (`encrypt_sensitive`)
/// are kept encoded, not sealed (the tests run in memory), and shown as the user would see them.
public struct ConversationTestRunner: Sendable {
    public let app: BotApp
    /// Handlers for integration components, as the engine takes them.
    public var components: [any ComponentHandler]
    public var options: EngineOptions
    /// The vault scope the bot sees: placeholders `[vault.KEY]` for every key the app names.
    public var vault: VaultScope
    /// Where each case's engine logs (a flow that stops, a regular expression out of time).
    public var logger: Logger
    /// The store every case runs on; nil: a memory store of its own for each.
    public var store: (any BotStore)?

    public init(app: BotApp, components: [any ComponentHandler] = [], options: EngineOptions = EngineOptions(realDelays: false),
                logger: Logger = Logger(label: "parley.runtime")) {
        self.app = app
        self.components = components
        self.options = options
        self.logger = logger
        let keys = Set(app.vaultKeys.keys).union(app.vaultReferences.map(\.key))
        vault = VaultScope(flat: Dictionary(uniqueKeysWithValues: keys.map { ($0, TemplateValue.string("[vault.\($0)]")) }),
                           sensitive: Self.encodedSensitiveValues)
    }

    /// Runs every case of the files without format errors, in parallel; results come in file
    /// and case order.
    public func run(_ files: [ConversationTestFile]) async -> ConversationTestReport {
        let cases = files.filter(\.diagnostics.isEmpty).flatMap(\.cases)
        let results = await withTaskGroup(of: (Int, ConversationTestResult).self) { group in
            for (index, testCase) in cases.enumerated() {
                group.addTask { (index, await run(testCase)) }
            }
            var results = [ConversationTestResult?](repeating: nil, count: cases.count)
            for await (index, result) in group { results[index] = result }
            return results.compactMap { $0 }
        }
        return ConversationTestReport(results: results, diagnostics: files.flatMap(\.diagnostics))
    }

    /// Runs one case on a fresh engine.
    public func run(_ testCase: ConversationTestCase) async -> ConversationTestResult {
        var session = session(for: testCase)
        let failure = await session.run(endPosition: testCase.steps.last?.position ?? testCase.position)
        return ConversationTestResult(name: testCase.name, position: testCase.position, failure: failure, warnings: session.warnings)
    }

    /// The lines the user is shown after each input of `testCase` (by step index), on a fresh
    /// engine; nil when its inputs cannot all be made.
    public func record(_ testCase: ConversationTestCase) async -> [Int: [String]]? {
        var session = session(for: testCase)
        return await session.record()
    }

    private func session(for testCase: ConversationTestCase) -> ConversationSession {
        let engine = BotEngine(app: app, store: store ?? MemoryStore(), vault: vault, components: components, options: options, logger: logger)
        let client = store == nil ? BotTestClient(engine: engine) : BotTestClient(engine: engine, userID: "user-\(UUID().uuidString)")
        return ConversationSession(client: client, steps: testCase.steps)
    }
}

extension ConversationTestRunner {
    /// Sensitive values for tests: base64 of their JSON in the token, opened by decoding it.
    static let encodedSensitiveValues = SensitiveValues(seal: { value in
        SensitiveValues.token(Data(value.jsonText.utf8).base64EncodedString())
    }, open: { token in
        guard let text = SensitiveValues.ciphertext(of: token), let data = Data(base64Encoded: text) else { return nil }
        return try? TemplateValue(jsonText: String(decoding: data, as: UTF8.self))
    })
}
