import BotRuntime
import FlowDSL
import Foundation
import ParleyPostgres
import SharedTestFixtures
import Synchronization
import Testing
import Vault

/// The vault's store contract on the app's SQLite file and on the PostgreSQL database replicas
/// share: versions, byte order, all-or-nothing batches, and one winner when writers race.
@Suite("Vault stores")
struct VaultStoreTests {
    /// A vault store of its own on `kind`, and what closes it.
    static func open(_ kind: StoreKind) async throws -> (store: any VaultStore, close: @Sendable () async -> Void) {
        let place = try await kind.place()
        switch kind {
        case .postgres:
            let store = try await place.open() as! PostgresStore
            return (store, { await store.close() })
        default:
            try FileManager.default.createDirectory(at: URL(fileURLWithPath: place.location).deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            return (try SQLiteVaultStore(path: place.location), {})
        }
    }

    @Test("versions start at 1 and go up on each change; times and ciphertexts round-trip; keys in byte order",
          arguments: StoreKind.durable)
    func versions(kind: StoreKind) async throws {
        let (store, close) = try await Self.open(kind)
        let first = Date(timeIntervalSince1970: 1_700_000_000)
        try await store.write([VaultWrite(key: "a", ciphertext: Data([1, 0, 255]), expectedVersion: nil)], at: first)
        try await store.write([VaultWrite(key: "a", ciphertext: Data([2]), expectedVersion: 1)], at: first.addingTimeInterval(60))
        let entry = try #require(try await store.entry(for: "a"))
        #expect(entry.version == 2 && entry.ciphertext == Data([2]))
        #expect(entry.updated == first.addingTimeInterval(60))
        #expect(try await store.entry(for: "b") == nil)
        try await store.write(["a_b", "B", "a.b"].map { VaultWrite(key: $0, ciphertext: Data($0.utf8), expectedVersion: nil) }, at: first)
        #expect(try await store.entries().map(\.key) == ["B", "a", "a.b", "a_b"])
        #expect(try await store.entries().first { $0.key == "a.b" }?.ciphertext == Data("a.b".utf8))
        await close()
    }

    @Test("a batch is all or nothing; removing a key that is not stored names it", arguments: StoreKind.durable)
    func batches(kind: StoreKind) async throws {
        let (store, close) = try await Self.open(kind)
        try await store.write([VaultWrite(key: "kept", ciphertext: Data([1]), expectedVersion: nil)], at: Date())
        let before = try await store.entries()
        await #expect(throws: VaultError.versionConflict(key: "kept")) {
            try await store.write([VaultWrite(key: "new", ciphertext: Data([9]), expectedVersion: nil),
                                   VaultWrite(key: "kept", ciphertext: Data([9]), expectedVersion: 7)], at: Date())
        }
        await #expect(throws: VaultError.versionConflict(key: "kept")) {
            try await store.write([VaultWrite(key: "kept", ciphertext: Data([9]), expectedVersion: nil)], at: Date())
        }
        #expect(try await store.entries() == before)
        await #expect(throws: VaultError.keyNotFound(key: "twilio.nope")) { try await store.remove("twilio.nope") }
        try await store.remove("kept")
        #expect(try await store.entries().isEmpty)
        await close()
    }

    @Test("writers racing for one key: exactly one adds it, exactly one changes each version", arguments: StoreKind.durable)
    func races(kind: StoreKind) async throws {
        let (store, close) = try await Self.open(kind)
        for expected in [nil, 1] as [Int?] {
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for writer in 0..<20 {
                    group.addTask {
                        do {
                            try await store.write([VaultWrite(key: "k", ciphertext: Data([UInt8(writer)]), expectedVersion: expected)], at: Date())
                            return true
                        } catch VaultError.versionConflict(key: "k") {
                            return false
                        }
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1, "expected version \(String(describing: expected))")
        }
        #expect(try await store.entry(for: "k")?.version == 2)
        await close()
    }

    @Test("an upload through one replica reaches the bot on the other without a restart")
    func uploadReachesOtherReplica() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("parley-vault-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let keyring = VaultKeyring(app: root, environment: [:])
        _ = try keyring.generate(force: false)
        let app = try #require(AppLoader().load(sources: [
            AppSource(path: "vault.yaml", text: "support_phone: xxx\n"),
            AppSource(path: "flow/a.yaml", text: "triggers:\n  - keyword: call\nsteps:\n  - say: Call (@ vault.support_phone )\n"),
        ]).app)
        let place = try await StoreKind.postgres.place()
        var engines: [BotEngine] = []
        for _ in 0..<2 {
            let store = try await place.open() as! PostgresStore
            let source = VaultSource(vault: AppVault(keyring: keyring, store: store, path: store.location), placeholders: ["support_phone"])
            let engine = BotEngine(app: app, store: store, vault: try await source.load(), vaultSource: source,
                                   logger: TestLogs.logger("parley.runtime"))
            try await engine.resumeOutbox()
            engines.append(engine)
        }
        func call(_ engine: BotEngine, _ thread: String) async throws -> [String] {
            try await engine.handle(Event(type: EventTypes.say, threadID: thread, userID: thread, data: ["text": .string("call")])).plainLines
        }
        #expect(try await call(engines[1], "before") == ["bot: Call [vault.support_phone]"])

        _ = try await engines[0].vaultSource!.vault.upload([("support_phone", .string("+1-555-0199"))])
        #expect(await engines[0].reloadVault())
        #expect(try await call(engines[0], "a") == ["bot: Call +1-555-0199"])
        // The other replica hears the change and reads the vault again (within seconds).
        var seen: [String] = []
        for attempt in 0..<100 {
            seen = try await call(engines[1], "b\(attempt)")
            if seen == ["bot: Call +1-555-0199"] { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(seen == ["bot: Call +1-555-0199"])
        await ReplicaTests.stop(engines[0], engines[1])
    }
}
