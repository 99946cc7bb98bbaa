import Foundation
import GRDB
import Testing
@testable import Vault

@Suite("app vault")
struct AppVaultTests {
    /// An app with a key pair and the standard secrets uploaded.
    private func uploadedApp() async throws -> (TestApp, AppVault) {
        let app = try TestApp()
        let vault = app.vault()
        try vault.keyring.generate(force: false)
        _ = try await vault.upload(TestApp.secrets)
        return (app, vault)
    }

    @Test("round trip: keygen, upload, read back with the secret key, nest")
    func roundTrip() async throws {
        let app = try TestApp()
        defer { app.remove() }
        let vault = app.vault()
        try vault.keyring.generate(force: false)
        let file = try VaultSecretFile(contentsOf: try app.write("vault.secret.yaml", """
            twilio.account_sid: AC-\(TestApp.planted)
            twilio.api_key_sid: SK1
            twilio_flex.flex_flow_sid: FO1
            support.numbers: ['+18005550100', 2]
            """))
        let report = try await vault.upload(file)
        #expect(report == VaultUploadReport(added: ["twilio.account_sid", "twilio.api_key_sid", "twilio_flex.flex_flow_sid", "support.numbers"],
                                            compared: true))
        // Read back through a fresh vault, as the runtime will.
        let values = try await AppVault(app: app.url, environment: [:]).values()
        #expect(values == file.values)
        #expect(VaultValue.nested(values) == .map([
            "twilio": .map(["account_sid": .string("AC-\(TestApp.planted)"), "api_key_sid": .string("SK1")]),
            "twilio_flex": .map(["flex_flow_sid": .string("FO1")]),
            "support": .map(["numbers": .list([.string("+18005550100"), .int(2)])]),
        ]))
        #expect(try await vault.value(for: "twilio.api_key_sid") == .string("SK1"))
    }

    @Test("no file under .parley holds a planted secret, the WAL included")
    func noPlaintextAtRest() async throws {
        let (app, vault) = try await uploadedApp()
        defer { app.remove() }
        // A connection held open keeps the WAL file from being checkpointed away, so its bytes
        // (where fresh writes land first) are searched too.
        let holder = try SQLiteVaultStore(path: app.databasePath)
        _ = try await vault.upload([("twilio.api_key_secret", .string("changed-\(TestApp.planted)"))])
        #expect(try app.filesUnderParley().map(\.0).contains("state.sqlite-wal"))
        #expect(try app.filesContaining(TestApp.planted) == [])
        #expect(try app.filesContaining("PLANTED") == [])
        withExtendedLifetime(holder) {}
        #expect(try app.table().count == TestApp.secrets.count)
    }

    @Test("re-uploading reports added, changed and unchanged keys; versions go up on change")
    func report() async throws {
        let (app, vault) = try await uploadedApp()
        defer { app.remove() }
        let report = try await vault.upload([
            ("twilio.account_sid", TestApp.secrets[0].value),
            ("twilio.api_key_sid", .string("SK-new")),
            ("new.key", .bool(true)),
        ])
        #expect(report.added == ["new.key"])
        #expect(report.changed == ["twilio.api_key_sid"])
        #expect(report.unchanged == ["twilio.account_sid"])
        #expect(report.kept == ["twilio.api_key_secret", "twilio_flex.flex_chat_service_sid", "twilio_flex.flex_flow_sid"])
        let versions = Dictionary(uniqueKeysWithValues: try await vault.entries().map { ($0.key, $0.version) })
        #expect(versions["twilio.api_key_sid"] == 2 && versions["twilio.account_sid"] == 1 && versions["new.key"] == 1)
    }

    @Test("with only the public key every stored key counts as changed")
    func publicKeyOnly() async throws {
        let (app, vault) = try await uploadedApp()
        defer { app.remove() }
        try FileManager.default.removeItem(atPath: vault.keyring.secretKeyPath)
        let report = try await app.vault().upload([("twilio.account_sid", TestApp.secrets[0].value), ("other", .int(1))])
        #expect(report == VaultUploadReport(added: ["other"], changed: ["twilio.account_sid"],
                                            kept: ["twilio.api_key_secret", "twilio.api_key_sid", "twilio_flex.flex_chat_service_sid", "twilio_flex.flex_flow_sid"],
                                            compared: false))
        #expect(try await vault.entries().first { $0.key == "twilio.account_sid" }?.version == 2)
    }

    @Test("a tampered ciphertext names its key and nothing changes")
    func tampered() async throws {
        let (app, vault) = try await uploadedApp()
        defer { app.remove() }
        try app.tamper("twilio.api_key_sid")
        let before = try app.table()
        let error = await #expect(throws: VaultError.cannotOpen(key: "twilio.api_key_sid")) { try await vault.upload(TestApp.secrets) }
        #expect(error?.description == "vault key `twilio.api_key_sid` could not be opened: its value was sealed to a different key or its ciphertext was altered")
        await #expect(throws: VaultError.cannotOpen(key: "twilio.api_key_sid")) { try await vault.values() }
        await #expect(throws: VaultError.cannotOpen(key: "twilio.api_key_sid")) { try await vault.value(for: "twilio.api_key_sid") }
        #expect(try await vault.value(for: "twilio.account_sid") == TestApp.secrets[0].value, "other keys still open")
        #expect(try app.table() == before)
    }

    @Test("after keygen --force the old values cannot be read, and an upload changes nothing")
    func wrongKey() async throws {
        let (app, vault) = try await uploadedApp()
        defer { app.remove() }
        try vault.keyring.generate(force: true)
        let before = try app.table()
        await #expect(throws: VaultError.cannotOpen(key: "twilio.account_sid")) { try await vault.values() }
        await #expect(throws: VaultError.cannotOpen(key: "twilio.account_sid")) { try await vault.upload(TestApp.secrets) }
        #expect(try app.table() == before)
    }

    @Test("a missing key file stops reading and leaves the vault as it was")
    func missingKeyFile() async throws {
        let (app, vault) = try await uploadedApp()
        defer { app.remove() }
        try FileManager.default.removeItem(atPath: vault.keyring.secretKeyPath)
        let before = try app.table()
        await #expect(throws: VaultError.missingSecretKey(path: vault.keyring.secretKeyPath, environmentVariable: "PARLEY_VAULT_SECRET_KEY")) {
            try await vault.values()
        }
        try FileManager.default.removeItem(atPath: vault.keyring.publicKeyPath)
        await #expect(throws: VaultError.missingPublicKey(path: vault.keyring.publicKeyPath, environmentVariable: "PARLEY_VAULT_PUBLIC_KEY")) {
            try await vault.upload(TestApp.secrets)
        }
        #expect(try app.table() == before)
    }

    @Test("a key file with loose permissions stops the upload and leaves the vault as it was")
    func loosePermissions() async throws {
        let (app, vault) = try await uploadedApp()
        defer { app.remove() }
        chmod(vault.keyring.secretKeyPath, 0o644)
        let before = try app.table()
        await #expect(throws: VaultError.keyFileTooOpen(path: vault.keyring.secretKeyPath, mode: 0o100644)) {
            try await vault.upload([("twilio.account_sid", .string("new"))])
        }
        await #expect(throws: VaultError.keyFileTooOpen(path: vault.keyring.secretKeyPath, mode: 0o100644)) { try await vault.values() }
        #expect(try app.table() == before)
    }

    @Test("one value that cannot be sealed stores none of the others")
    func allOrNone() async throws {
        let (app, vault) = try await uploadedApp()
        defer { app.remove() }
        let before = try app.table()
        await #expect(throws: VaultError.unsealable(key: "bad")) {
            try await vault.upload([("fresh", .string("x")), ("twilio.account_sid", .string("y")), ("bad", .double(.nan))])
        }
        #expect(try app.table() == before)
    }

    @Test("removing keys; reading an app without a vault creates nothing")
    func removeAndEmpty() async throws {
        let (app, vault) = try await uploadedApp()
        defer { app.remove() }
        try await vault.remove("twilio.account_sid")
        await #expect(throws: VaultError.keyNotFound(key: "twilio.account_sid")) { try await vault.remove("twilio.account_sid") }
        #expect(!(try await vault.entries().map(\.key).contains("twilio.account_sid")))
        let empty = try TestApp()
        defer { empty.remove() }
        #expect(try await empty.vault().entries().isEmpty)
        await #expect(throws: VaultError.keyNotFound(key: "x")) { try await empty.vault().remove("x") }
        #expect(!FileManager.default.fileExists(atPath: empty.parley.path))
    }

    @Test("concurrent uploads to a new file all land")
    func concurrentUploads() async throws {
        let app = try TestApp()
        defer { app.remove() }
        try app.vault().keyring.generate(force: false)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<6 {
                group.addTask { _ = try await app.vault().upload([("key\(index)", .int(index))]) }
            }
            try await group.waitForAll()
        }
        #expect(try await app.vault().values() == Dictionary(uniqueKeysWithValues: (0..<6).map { ("key\($0)", VaultValue.int($0)) }))
    }
}
