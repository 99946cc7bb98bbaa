import BotRuntime
import Vault

/// The admin API's settings: the bearer token it demands and the vault it writes to.
///
/// Without one (`BotServerConfiguration.admin == nil`) no `/admin/` route exists: the API is
/// off and its paths answer 404 like any unknown path.
public struct AdminConfiguration: Sendable {
    /// What every admin request must send as `Authorization: Bearer <token>`.
    public var token: BearerSecret
    /// The app's vault, whose store `PUT /admin/vault` writes sealed values to; nil answers
    /// that route 503. The API never opens a value, so it needs no key.
    public var vault: AppVault?
    /// Reads the stored vault into a `vault` scope (with the secret key the server started
    /// with). When given, a successful `PUT /admin/vault` hands the result to the running
    /// engine, so new values are used at once; without it they wait for a restart.
    public var vaultScope: (@Sendable () throws -> VaultScope)?

    public init(token: BearerSecret, vault: AppVault?, vaultScope: (@Sendable () throws -> VaultScope)? = nil) {
        self.token = token
        self.vault = vault
        self.vaultScope = vaultScope
    }
}
