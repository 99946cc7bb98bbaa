import BotRuntime

/// The admin API's settings: the bearer token it demands.
///
/// Without one (`BotServerConfiguration.admin == nil`) no `/admin/` route exists: the API is
/// off and its paths answer 404 like any unknown path. `PUT /admin/vault` writes to the vault
/// the engine reads (`BotEngine.vaultSource`).
public struct AdminConfiguration: Sendable {
    /// What every admin request must send as `Authorization: Bearer <token>`.
    public var token: BearerSecret

    public init(token: BearerSecret) {
        self.token = token
    }
}
