import Foundation
import Testing
@testable import Vault

@Suite("vault keys")
struct VaultKeyringTests {
    private func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! NSNumber).intValue
    }

    @Test("keygen writes a private secret key and a shareable public key")
    func keygen() throws {
        let app = try TestApp()
        defer { app.remove() }
        let keyring = VaultKeyring(app: app.url, environment: [:])
        let key = try keyring.generate(force: false)
        #expect(try mode(keyring.secretKeyPath) == 0o600)
        #expect(try mode(keyring.publicKeyPath) == 0o644)
        #expect(try mode(app.parley.path) == 0o700)
        let publicText = try String(contentsOfFile: keyring.publicKeyPath, encoding: .utf8)
        #expect(publicText == key.publicKey.base64 + "\n")
        #expect(try keyring.secretKey().publicKey == key.publicKey)
        #expect(!"\(key)".contains(key.exportBase64()), "a secret key never prints itself")
    }

    @Test("keygen refuses to replace a key without force, and leaves it as it was")
    func keygenRefuses() throws {
        let app = try TestApp()
        defer { app.remove() }
        let keyring = VaultKeyring(app: app.url, environment: [:])
        try keyring.generate(force: false)
        let before = try Data(contentsOf: URL(fileURLWithPath: keyring.secretKeyPath))
        let error = #expect(throws: VaultError.keyExists(path: keyring.secretKeyPath)) { try keyring.generate(force: false) }
        #expect(error?.description == "\(keyring.secretKeyPath) already exists; replacing it would make every value stored in the vault unreadable")
        #expect(try Data(contentsOf: URL(fileURLWithPath: keyring.secretKeyPath)) == before)
        let replaced = try keyring.generate(force: true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: keyring.secretKeyPath)) != before)
        #expect(try mode(keyring.secretKeyPath) == 0o600)
        #expect(try keyring.sealingKeys().publicKey == replaced.publicKey)
    }

    @Test("a key file readable by others is refused with the chmod fix")
    func loosePermissions() throws {
        let app = try TestApp()
        defer { app.remove() }
        let keyring = VaultKeyring(app: app.url, environment: [:])
        try keyring.generate(force: false)
        chmod(keyring.secretKeyPath, 0o644)
        let error = #expect(throws: VaultError.self) { try keyring.secretKey() }
        #expect(error?.description == "\(keyring.secretKeyPath) is readable or writable by group or others (mode 644); "
                + "a secret key must be private to its owner: run `chmod 600 \(keyring.secretKeyPath)`")
        #expect(throws: VaultError.keyFileTooOpen(path: keyring.secretKeyPath, mode: 0o100644)) { try keyring.sealingKeys() }
    }

    @Test("a symbolic link is not accepted as the key file")
    func symlink() throws {
        let app = try TestApp()
        defer { app.remove() }
        let other = try TestApp()
        defer { other.remove() }
        try VaultKeyring(app: other.url, environment: [:]).generate(force: false)
        try FileManager.default.createDirectory(at: app.parley, withIntermediateDirectories: true)
        let keyring = VaultKeyring(app: app.url, environment: [:])
        try FileManager.default.createSymbolicLink(atPath: keyring.secretKeyPath,
                                                   withDestinationPath: other.parley.appendingPathComponent("vault.key").path)
        #expect(throws: VaultError.keyFileNotRegular(path: keyring.secretKeyPath)) { try keyring.secretKey() }
    }

    @Test("no key at all: reading and sealing name the file and the variable")
    func missingKeys() throws {
        let app = try TestApp()
        defer { app.remove() }
        let keyring = VaultKeyring(app: app.url, environment: [:])
        let readError = #expect(throws: VaultError.self) { try keyring.secretKey() }
        #expect(readError?.description == "no vault secret key: \(keyring.secretKeyPath) does not exist and "
                + "PARLEY_VAULT_SECRET_KEY is not set; create a key pair with `botcli vault keygen`")
        let sealError = #expect(throws: VaultError.self) { try keyring.sealingKeys() }
        #expect(sealError?.description == "no vault public key: \(keyring.publicKeyPath) does not exist and "
                + "PARLEY_VAULT_PUBLIC_KEY is not set; create a key pair with `botcli vault keygen`")
    }

    @Test("keys can come from the environment instead of files")
    func environment() throws {
        let key = try VaultSecretKey.generate()
        let app = try TestApp()
        defer { app.remove() }
        let sealOnly = VaultKeyring(app: app.url, environment: ["PARLEY_VAULT_PUBLIC_KEY": key.publicKey.base64])
        let sealing = try sealOnly.sealingKeys()
        #expect(sealing.publicKey == key.publicKey && sealing.secretKey == nil)
        #expect(throws: VaultError.self) { try sealOnly.secretKey() }
        let deployed = VaultKeyring(app: app.url, environment: ["PARLEY_VAULT_SECRET_KEY": key.exportBase64()])
        #expect(try deployed.secretKey().publicKey == key.publicKey)
        #expect(try deployed.sealingKeys().publicKey == key.publicKey)
    }

    @Test("a malformed or mismatched key is named by its source, never shown")
    func badKeys() throws {
        let app = try TestApp()
        defer { app.remove() }
        let bad = VaultKeyring(app: app.url, environment: ["PARLEY_VAULT_SECRET_KEY": TestApp.planted])
        let error = #expect(throws: VaultError.invalidKey(source: "PARLEY_VAULT_SECRET_KEY")) { try bad.secretKey() }
        #expect(error?.description == "PARLEY_VAULT_SECRET_KEY does not hold a vault key (base64 of 32 bytes)")
        try VaultKeyring(app: app.url, environment: [:]).generate(force: false)
        let stranger = try VaultSecretKey.generate()
        let mismatched = VaultKeyring(app: app.url, environment: ["PARLEY_VAULT_SECRET_KEY": stranger.exportBase64()])
        #expect(throws: VaultError.keysDoNotMatch(secretSource: "PARLEY_VAULT_SECRET_KEY", publicSource: mismatched.publicKeyPath)) {
            try mismatched.sealingKeys()
        }
    }

    @Test("sealing needs only the public key; opening needs the secret one")
    func sealAndOpen() throws {
        let key = try VaultSecretKey.generate()
        let sealed = try key.publicKey.seal(.string(TestApp.planted), key: "k")
        #expect(sealed.range(of: Data(TestApp.planted.utf8)) == nil)
        #expect(try key.open(sealed, key: "k") == .string(TestApp.planted))
        #expect(try key.publicKey.seal(.string(TestApp.planted), key: "k") != sealed, "each seal uses a fresh ephemeral key")
        let other = try VaultSecretKey.generate()
        #expect(throws: VaultError.cannotOpen(key: "k")) { try other.open(sealed, key: "k") }
        var tampered = sealed
        tampered[tampered.startIndex + 40] ^= 1
        #expect(throws: VaultError.cannotOpen(key: "k")) { try key.open(tampered, key: "k") }
        #expect(throws: VaultError.cannotOpen(key: "k")) { try key.open(Data([1, 2, 3]), key: "k") }
    }
}
