import BotRuntime
import BotServer
import FlowDSL
import Foundation
import Hummingbird
import SharedTestFixtures
import Synchronization
import Testing
import Vault

@Suite("Admin API")
struct AdminAPITests {
    static let token = "0123456789abcdef-admin-token"
    static var bearer: HTTPFields { [.authorization: "Bearer \(token)"] }

    static let app: [String: String] = [
        "vault.yaml": "support_phone: xxx\n",
        "flow/greet.yaml": """
            triggers:
              - keyword: hi
            steps:
              - say: Call (@ vault.support_phone )
              - thread_set:
                  phone: (@ vault.support_phone )
              - ask: How are you?
              - say: Bye
            """,
    ]

    /// An engine whose vault holds a real value, on a fresh SQLite store; it reads `vault`
    /// again after an upload when given one.
    static func engine(vault: AppVault? = nil) throws -> BotEngine {
        let result = AppLoader(registry: .standard).load(sources: app.map { AppSource(path: $0.key, text: $0.value) })
        let app = try #require(result.app, "\(result.diagnostics)")
        let folder = try LiveServer.temporaryFolder()
        let store = try SQLiteStore(path: folder.appendingPathComponent("state.sqlite").path)
        return BotEngine(app: app, store: store, vault: VaultScope(flat: ["support_phone": .string("+1-555-0100")]),
                         vaultSource: vault.map { VaultSource(vault: $0, placeholders: ["support_phone"]) }, options: EngineOptions(realDelays: false), logger: TestLogs.logger("parley.runtime"))
    }

    static func withAdmin<Value: Sendable>(vault: AppVault? = nil, engine: BotEngine? = nil,
                                           _ body: @Sendable (LiveServer) async throws -> Value) async throws -> Value {
        let engine = try engine ?? Self.engine(vault: vault)
        return try await LiveServer.with(engine: engine, configure: {
            $0.admin = AdminConfiguration(token: BearerSecret(token)!)
        }, body)
    }

    @Test("without a configured token no admin route exists: 404, even with a bearer token")
    func offWithoutToken() async throws {
        try await LiveServer.with(engine: try Self.engine(), configure: { _ in }) { server async throws in
            #expect(try await server.request(.get, "/admin/threads/ana", headers: Self.bearer).status == 404)
            #expect(try await server.request(.put, "/admin/vault", body: #"{"values": []}"#, headers: Self.bearer).status == 404)
        }
    }

    @Test("a missing, malformed or wrong token is 401 with a JSON error that never repeats a token")
    func unauthorized() async throws {
        try await Self.withAdmin { server async throws in
            let cases: [HTTPFields] = [
                [:],
                [.authorization: Self.token],
                [.authorization: "Basic \(Self.token)"],
                [.authorization: "Bearer \(Self.token)x"],
                [.authorization: "Bearer \(Self.token.dropLast())"],
                [.authorization: "Bearer wrong-but-long-enough-token"],
                [.authorization: "Bearer "],
            ]
            for headers in cases {
                let reply = try await server.request(.get, "/admin/threads/ana", headers: headers)
                #expect(reply.status == 401, "\(headers)")
                #expect(reply.contentType?.hasPrefix("application/json") == true)
                #expect(reply.error != nil)
                #expect(!reply.body.contains(Self.token.prefix(10)))
            }
            let put = try await server.request(.put, "/admin/vault", body: #"{"values": []}"#)
            #expect(put.status == 401)
            // The scheme is case-insensitive, as HTTP says.
            #expect(try await server.request(.get, "/admin/threads/nobody", headers: [.authorization: "bearer \(Self.token)"]).status == 404)
        }
    }

    @Test("a thread's scope, mode, waiting step and ledger, with vault values as placeholders")
    func thread() async throws {
        try await Self.withAdmin { server async throws in
            let hi = try await server.say("hi", sender: "ana")
            #expect(hi.body.contains("+1-555-0100"), "the user is shown the value")

            let reply = try await server.request(.get, "/admin/threads/ana", headers: Self.bearer)
            #expect(reply.status == 200)
            #expect(!reply.body.contains("+1-555-0100"), "no vault value leaves through the admin API")
            guard case .map(let thread) = try reply.json else { Issue.record("not an object: \(reply.body)"); return }
            #expect(thread["id"] == .string("ana") && thread["user_id"] == .string("ana"))
            #expect(thread["mode"] == .string("bot"))
            #expect(thread["scope"] == .map(["mode": .string("bot"), "phone": .string("[vault.support_phone]")]))
            guard case .map(let waiting)? = thread["waiting"] else { Issue.record("no waiting step: \(reply.body)"); return }
            #expect(waiting["flow"] == .string("flow.greet") && waiting["step"] == .int(2))
            guard case .list(let events)? = thread["events"] else { Issue.record("no events"); return }
            let texts = events.compactMap { event -> String? in
                guard case .map(let fields) = event, case .map(let data)? = fields["data"], case .string(let text)? = data["text"] else { return nil }
                return text
            }
            #expect(texts == ["hi", "Call [vault.support_phone]", "How are you?"])
            guard case .map(let first)? = events.first else { return }
            #expect(first["sequence"] == .int(1) && first["sender"] == .string("user") && first["type"] == .string(EventTypes.say))
            #expect(thread["next_after"] == nil)

            // Paging: after and limit.
            let page = try await server.request(.get, "/admin/threads/ana?after=1&limit=1", headers: Self.bearer)
            guard case .map(let paged) = try page.json, case .list(let some)? = paged["events"] else { Issue.record("\(page.body)"); return }
            #expect(some.count == 1)
            #expect(paged["next_after"] == .int(2))

            // Answering clears the waiting step.
            _ = try await server.say("fine", sender: "ana")
            let after = try await server.request(.get, "/admin/threads/ana", headers: Self.bearer)
            guard case .map(let done) = try after.json else { return }
            #expect(done["waiting"] == TemplateValue.none)
        }
    }

    @Test("an unknown thread is 404, a bad query 400, a server not ready 503")
    func threadErrors() async throws {
        try await Self.withAdmin { server async throws in
            #expect(try await server.request(.get, "/admin/threads/nobody", headers: Self.bearer).status == 404)
            #expect(try await server.request(.get, "/admin/threads/ana?limit=0", headers: Self.bearer).status == 400)
            #expect(try await server.request(.get, "/admin/threads/ana?after=x", headers: Self.bearer).status == 400)
            // A percent-encoded id is decoded.
            _ = try await server.say("hi", sender: "a b")
            #expect(try await server.request(.get, "/admin/threads/a%20b", headers: Self.bearer).status == 200)
        }
        try await LiveServer.with(engine: nil, configure: {
            $0.admin = AdminConfiguration(token: BearerSecret(Self.token)!)
        }) { server async throws in
            #expect(try await server.request(.get, "/admin/threads/ana", headers: Self.bearer).status == 503)
            let upload = try await server.request(.put, "/admin/vault", body: #"{"values": []}"#, headers: Self.bearer)
            #expect(upload.status == 503)
            #expect(upload.error == "the bot is not ready yet; retry shortly")
        }
    }

    // MARK: Vault

    /// An app folder with a key pair; the vault it serves.
    static func vaultFolder() throws -> (root: URL, vault: AppVault, publicKey: VaultPublicKey) {
        let root = try LiveServer.temporaryFolder()
        let vault = AppVault(app: root, environment: [:])
        let secretKey = try vault.keyring.generate(force: false)
        return (root, vault, secretKey.publicKey)
    }

    static func sealed(_ value: VaultValue, key: String, to publicKey: VaultPublicKey) throws -> String {
        try publicKey.seal(value, key: key).base64EncodedString()
    }

    @Test("sealed values are stored in one transaction and answered by name; versions guard changes")
    func vaultUpload() async throws {
        let (root, vault, publicKey) = try Self.vaultFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        try await Self.withAdmin(vault: vault) { server async throws in
            let first = """
                {"values": [{"key": "twilio.sid", "ciphertext": "\(try Self.sealed(.string("AC-1"), key: "twilio.sid", to: publicKey))"},
                            {"key": "api.key", "ciphertext": "\(try Self.sealed(.string("k-1"), key: "api.key", to: publicKey))", "expected_version": 0}]}
                """
            let added = try await server.request(.put, "/admin/vault", body: first, headers: Self.bearer)
            #expect(added.status == 200, "\(added.body)")
            #expect(try added.json == TemplateValue(jsonText: #"{"added": ["api.key", "twilio.sid"], "changed": [], "reloaded": true}"#))
            #expect(try await vault.value(for: "twilio.sid") == .string("AC-1"))
            #expect(try await vault.entries().map(\.version) == [1, 1])

            let second = """
                {"values": [{"key": "twilio.sid", "ciphertext": "\(try Self.sealed(.string("AC-2"), key: "twilio.sid", to: publicKey))", "expected_version": 1},
                            {"key": "new.key", "ciphertext": "\(try Self.sealed(.int(7), key: "new.key", to: publicKey))"}]}
                """
            let changed = try await server.request(.put, "/admin/vault", body: second, headers: Self.bearer)
            #expect(try changed.json == TemplateValue(jsonText: #"{"added": ["new.key"], "changed": ["twilio.sid"], "reloaded": true}"#))
            #expect(try await vault.value(for: "twilio.sid") == .string("AC-2"))

            // A stale version refuses the whole batch: the other key is not stored either.
            let stale = """
                {"values": [{"key": "other", "ciphertext": "\(try Self.sealed(.string("o"), key: "other", to: publicKey))"},
                            {"key": "twilio.sid", "ciphertext": "\(try Self.sealed(.string("AC-3"), key: "twilio.sid", to: publicKey))", "expected_version": 1}]}
                """
            let conflict = try await server.request(.put, "/admin/vault", body: stale, headers: Self.bearer)
            #expect(conflict.status == 409)
            #expect(conflict.error?.contains("twilio.sid") == true)
            #expect(try await vault.value(for: "twilio.sid") == .string("AC-2"))
            #expect(try await vault.entries().map(\.key) == ["api.key", "new.key", "twilio.sid"])
            // 0 means "must be new".
            let exists = """
                {"values": [{"key": "api.key", "ciphertext": "\(try Self.sealed(.string("k-2"), key: "api.key", to: publicKey))", "expected_version": 0}]}
                """
            #expect(try await server.request(.put, "/admin/vault", body: exists, headers: Self.bearer).status == 409)
        }
    }

    @Test("the running bot uses uploaded values at once; an unreadable upload keeps the old ones")
    func vaultReload() async throws {
        let (root, vault, publicKey) = try Self.vaultFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let (otherRoot, _, otherKey) = try Self.vaultFolder()
        defer { try? FileManager.default.removeItem(at: otherRoot) }
        try await Self.withAdmin(vault: vault) { server async throws in
            #expect(try await server.say("hi", sender: "before").body.contains("Call +1-555-0100"))
            let upload = """
                {"values": [{"key": "support_phone", "ciphertext": "\(try Self.sealed(.string("+1-555-0199"), key: "support_phone", to: publicKey))"}]}
                """
            let stored = try await server.request(.put, "/admin/vault", body: upload, headers: Self.bearer)
            #expect(try stored.json == TemplateValue(jsonText: #"{"added": ["support_phone"], "changed": [], "reloaded": true}"#))
            #expect(try await server.say("hi", sender: "after").body.contains("Call +1-555-0199"))
            // What is kept still holds the placeholder only.
            #expect(try await server.engine!.thread("after")?.scope["phone"] == .string("[vault.support_phone]"))

            // Sealed to another app's key: refused, naming the key; nothing stored; the bot keeps its values.
            let foreign = """
                {"values": [{"key": "new.key", "ciphertext": "\(try Self.sealed(.string("n"), key: "new.key", to: publicKey))"},
                            {"key": "support_phone", "ciphertext": "\(try Self.sealed(.string("+1-555-0666"), key: "support_phone", to: otherKey))"}]}
                """
            let refused = try await server.request(.put, "/admin/vault", body: foreign, headers: Self.bearer)
            #expect(refused.status == 400)
            #expect(refused.error?.hasPrefix("vault key `support_phone` does not open with this app's vault key") == true)
            #expect(try await vault.entries().map(\.key) == ["support_phone"])
            #expect(try await vault.value(for: "support_phone") == .string("+1-555-0199"))
            #expect(try await server.say("hi", sender: "later").body.contains("Call +1-555-0199"))
        }
    }

    @Test("a stored value that does not open never stops a start: it reads as its placeholder and is reported by key")
    func unreadableValueAtStart() async throws {
        let (root, vault, publicKey) = try Self.vaultFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let (otherRoot, _, otherKey) = try Self.vaultFolder()
        defer { try? FileManager.default.removeItem(at: otherRoot) }
        // What an older server stored without checking: one good value, one sealed to another app.
        let store = try #require(try vault.store(creating: true))
        try await store.write([VaultWrite(key: "api.key", ciphertext: try publicKey.seal(.string("k-1"), key: "api.key"), expectedVersion: nil),
                         VaultWrite(key: "support_phone", ciphertext: try otherKey.seal(.string("+1-555-0666"), key: "support_phone"),
                                    expectedVersion: nil)], at: Date())
        let reported = Mutex<[String]>([])
        let scope = try await VaultSource(vault: vault, placeholders: ["support_phone"]) { key, _ in reported.withLock { $0.append(key) } }.load()
        #expect(reported.withLock { $0 } == ["support_phone"])
        guard case .map(let values) = scope.values else { Issue.record("the vault scope is not a map"); return }
        #expect(values["support_phone"] == .string("[vault.support_phone]"))
        #expect(values["api"] == .map(["key": .string("k-1")]))
    }

    @Test("malformed uploads are 400 naming the field, and store nothing; plaintext is refused")
    func vaultUploadErrors() async throws {
        let (root, vault, publicKey) = try Self.vaultFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let good = try Self.sealed(.string("v"), key: "a.b", to: publicKey)
        try await Self.withAdmin(vault: vault) { server async throws in
            let bodies: [(String, String)] = [
                (#"{"values": []}"#, "empty"),
                (#"{"vals": []}"#, "vals"),
                (#"{"values": [{"key": "a.b", "value": "plain-secret"}]}"#, "ciphertext"),
                (#"{"values": [{"key": "a..b", "ciphertext": "\#(good)"}]}"#, "key name"),
                // A key that would nest the vault scope thousands of levels deep.
                (#"{"values": [{"key": "\#(Array(repeating: "a", count: 20_000).joined(separator: "."))", "ciphertext": "\#(good)"}]}"#, "key name"),
                (#"{"values": [{"key": "a.b", "ciphertext": "not base64!"}]}"#, "base64"),
                (#"{"values": [{"key": "a.b", "ciphertext": "AAAA"}]}"#, "too short"),
                (#"{"values": [{"key": "a.b", "ciphertext": "\#(good)", "expected_version": -1}]}"#, "expected_version"),
                (#"{"values": [{"key": "a.b", "ciphertext": "\#(good)"}, {"key": "a.b", "ciphertext": "\#(good)"}]}"#, "more than once"),
            ]
            for (body, fragment) in bodies {
                let reply = try await server.request(.put, "/admin/vault", body: body, headers: Self.bearer)
                #expect(reply.status == 400, "\(body)")
                #expect(reply.error?.contains(fragment) == true, "\(reply.body)")
                #expect(!reply.body.contains("plain-secret"))
            }
            #expect(try await vault.entries().isEmpty)
        }
        // No vault store configured: 503.
        try await Self.withAdmin(vault: nil) { server async throws in
            let body = #"{"values": [{"key": "a.b", "ciphertext": "\#(good)"}]}"#
            #expect(try await server.request(.put, "/admin/vault", body: body, headers: Self.bearer).status == 503)
        }
    }

    @Test("tokens: shorter than 16 characters are refused, white space is trimmed, the description hides it")
    func tokens() {
        #expect(BearerSecret("short") == nil)
        #expect(BearerSecret("   0123456789abcde  \n") == nil)
        let token = BearerSecret("  \(Self.token)\n")!
        #expect(token.matches(Array(Self.token.utf8)))
        #expect(!token.matches(Array((Self.token + "x").utf8)))
        #expect(!token.matches([]))
        #expect("\(token)" == "••••••" && String(reflecting: token) == "BearerSecret(••••••)")
    }
}
