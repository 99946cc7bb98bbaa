import BotRuntime

/// Where and how a `BotServer` listens.
public struct BotServerConfiguration: Sendable {
    /// The address to bind (`127.0.0.1` keeps the server on this machine; `0.0.0.0` opens it).
    public var host: String
    /// The TCP port; 0 asks the system for a free one (tests).
    public var port: Int
    /// The address the outside world reaches this server at (behind a proxy or tunnel), such
    /// as `https://bot.example.com`. Integrations verify webhook signatures against it (else
    /// against the request's Host).
    public var publicURL: String?
    /// The largest request body accepted, in bytes; a larger one is answered 413.
    public var maxBodySize: Int
    /// The name the server gives in logs.
    public var serverName: String
    /// The admin API (`/admin/`, bearer token); nil turns it off: its paths answer 404.
    public var admin: AdminConfiguration?
    /// Where `/metrics` counts; each configuration has its own unless given `.process`.
    public var metrics: ServerMetrics
    /// The integrations the engine is built with: their webhook paths are routed before the
    /// engine is ready.
    public var integrations: [any Integration]
    /// How long SIGTERM or SIGINT waits for requests in flight and open WebSockets to finish
    /// before the connections left are closed. Turns already running still commit: only a
    /// client that does not answer (a WebSocket that never returns the close frame) is cut off.
    public var shutdownTimeout: Duration
    /// How REST and WebSocket clients prove which user they are (`ClientAuthentication`).
    public var clientAuthentication: ClientAuthentication
    /// Signs the web chat identities the server issues (`POST /webchat/identity`).
    public var identityKey: WebIdentityKey
    /// How long a REST request waits for its turn before it is answered 503 (the turn goes on,
    /// and a retry with the same `message_id` gets its answer once it is done), so that a
    /// database out of reach does not hold clients forever; nil or zero: as long as the turn
    /// takes (`botcli serve` sets it for PostgreSQL, `StoreLocation.restTurnDeadline`, or as
    /// `--turn-timeout` says).
    public var restTurnDeadline: Duration?

    public init(host: String = "127.0.0.1", port: Int = 5005, publicURL: String? = nil, maxBodySize: Int = 64 * 1024,
                serverName: String = "parley", admin: AdminConfiguration? = nil, metrics: ServerMetrics = ServerMetrics(),
                integrations: [any Integration] = [], shutdownTimeout: Duration = .seconds(10),
                clientAuthentication: ClientAuthentication = .token(sharedSecret: nil), identityKey: WebIdentityKey = .random(),
                restTurnDeadline: Duration? = nil) {
        self.host = host
        self.port = port
        self.publicURL = publicURL
        self.maxBodySize = maxBodySize
        self.serverName = serverName
        self.admin = admin
        self.metrics = metrics
        self.integrations = integrations
        self.shutdownTimeout = shutdownTimeout
        self.clientAuthentication = clientAuthentication
        self.identityKey = identityKey
        self.restTurnDeadline = restTurnDeadline
    }
}
