import Foundation

/// Where one app's vault keys come from: `.parley/vault.key` and `.parley/vault.pub`, or the
/// environment variables a deployment sets instead.
///
/// It exists so that every command finds keys the same way and checks them the same way: the
/// secret key file must be private to its owner, and a secret and a public key given together
/// must form a pair. The environment wins over the files (a deployment's settings override
/// what happens to lie in the folder).
public struct VaultKeyring: Sendable {
    /// Base64 secret key for deployments that do not keep the key file.
    public static let secretKeyVariable = "PARLEY_VAULT_SECRET_KEY"
    /// Base64 public key, enough to upload.
    public static let publicKeyVariable = "PARLEY_VAULT_PUBLIC_KEY"

    /// `<app>/.parley`
    public let directory: URL
    /// `<app>/.parley/vault.key`
    public var secretKeyPath: String { directory.appendingPathComponent("vault.key").path }
    /// `<app>/.parley/vault.pub`
    public var publicKeyPath: String { directory.appendingPathComponent("vault.pub").path }
    private let environment: [String: String]

    public init(app: URL, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.directory = app.appendingPathComponent(".parley")
        self.environment = environment.filter { $0.key.hasPrefix("PARLEY_VAULT_") }
    }

    /// The keys available for sealing: the public key (always) and the secret key when there
    /// is one, so an upload can tell unchanged values from changed ones.
    public func sealingKeys() throws(VaultError) -> (publicKey: VaultPublicKey, secretKey: VaultSecretKey?) {
        let secret = try secretKeyIfPresent()
        if let (publicKey, source) = try publicKeyIfPresent() {
            if let secret, secret.key.publicKey != publicKey {
                throw .keysDoNotMatch(secretSource: secret.source, publicSource: source)
            }
            return (publicKey, secret?.key)
        }
        guard let secret else {
            throw .missingPublicKey(path: publicKeyPath, environmentVariable: Self.publicKeyVariable)
        }
        return (secret.key.publicKey, secret.key)
    }

    /// The secret key, needed to read values; `missingSecretKey` when there is none.
    public func secretKey() throws(VaultError) -> VaultSecretKey {
        guard let secret = try secretKeyIfPresent() else {
            throw .missingSecretKey(path: secretKeyPath, environmentVariable: Self.secretKeyVariable)
        }
        if let (publicKey, source) = try publicKeyIfPresent(), secret.key.publicKey != publicKey {
            throw .keysDoNotMatch(secretSource: secret.source, publicSource: source)
        }
        return secret.key
    }

    /// Creates a new key pair: `vault.key` (mode 0600) and `vault.pub`. Without `force`, an
    /// existing key file is an error (`keyExists`) and nothing changes; with it, both files are
    /// replaced atomically.
    @discardableResult
    public func generate(force: Bool) throws(VaultError) -> VaultSecretKey {
        try KeyFile.createDirectory(directory.path)
        if !force {
            for path in [secretKeyPath, publicKeyPath] where KeyFile.exists(path) { throw .keyExists(path: path) }
        }
        let key = try VaultSecretKey.generate()
        try key.withBase64 { (text) throws(VaultError) in
            // Sized once: growing the array would leave an unwiped copy behind.
            var line = [UInt8](repeating: 0x0A, count: text.count + 1)
            line.withUnsafeMutableBytes { $0.copyMemory(from: text) }
            defer { line.wipe() }
            let written = line.withUnsafeBytes { bytes in
                Result { () throws(VaultError) in
                    force ? try KeyFile.replace(at: secretKeyPath, mode: 0o600, bytes: bytes)
                          : try KeyFile.create(at: secretKeyPath, mode: 0o600, bytes: bytes)
                }
            }
            try written.get()
        }
        let publicLine = Array((key.publicKey.base64 + "\n").utf8)
        try publicLine.withUnsafeBytes { bytes in
            Result { () throws(VaultError) in try KeyFile.replace(at: publicKeyPath, mode: 0o644, bytes: bytes) }
        }.get()
        return key
    }

    private func secretKeyIfPresent() throws(VaultError) -> (key: VaultSecretKey, source: String)? {
        if let text = environment[Self.secretKeyVariable] {
            return (try VaultSecretKey(base64: text, source: Self.secretKeyVariable), Self.secretKeyVariable)
        }
        let path = secretKeyPath
        let key = try KeyFile.readSecret(at: path) { (bytes) throws(VaultError) in
            try VaultSecretKey(base64Bytes: bytes, source: path)
        }
        return key.map { ($0, path) }
    }

    private func publicKeyIfPresent() throws(VaultError) -> (VaultPublicKey, String)? {
        if let text = environment[Self.publicKeyVariable] {
            return (try VaultPublicKey(base64: text, source: Self.publicKeyVariable), Self.publicKeyVariable)
        }
        guard KeyFile.exists(publicKeyPath) else { return nil }
        guard let text = try? String(contentsOfFile: publicKeyPath, encoding: .utf8) else {
            throw .fileError(path: publicKeyPath, reason: "cannot be read")
        }
        return (try VaultPublicKey(base64: text, source: publicKeyPath), publicKeyPath)
    }
}
