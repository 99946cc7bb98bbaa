import ArgumentParser
import BotRuntime
import BotServer
import FlowDSL
import Foundation
import Logging
import ParleyApp
import Synchronization
import TwilioIntegration
import Vault

/// `botcli serve`: run the bot as an HTTP server.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the bot over HTTP: a chat page, web chat REST (Rasa-compatible) and WebSocket channels, health probes, metrics and an admin API.",
        discussion: """
            Loads the app (exiting 1 with `botcli check`'s diagnostics when it has errors), \
            starts listening, then opens its store and the vault kept there: .parley/state.sqlite \
            — the same conversations `botcli simulate` continues — or the PostgreSQL database \
            of --store, which several `botcli serve` replicas share (see below). Logs go to standard error, at info \
            level unless PARLEY_LOG_LEVEL says otherwise; they carry thread ids, never what \
            users typed. Ctrl-C or SIGTERM stops the server after the requests in flight \
            (their turns committed) and sends open WebSockets a close frame; connections still \
            open after --shutdown-timeout are closed, and the process exits 0.

            Who a client is (--rest-auth): a thread belongs to the user who started it, and \
            another user gets 403 (REST) or a socket closed with 4403 (WebSocket). By default \
            (token) POST /webchat/identity issues {"user": ID, "token": TOKEN}: the client \
            sends `Authorization: Bearer TOKEN` (REST; `sender` may then be left out) or \
            token=TOKEN (WebSocket), and a request without a valid token gets 401 (a socket: \
            4401). Servers of your own may name any sender with the shared secret of \
            --rest-secret-file. --rest-auth open trusts the sender or user a client names, as \
            Rasa does: only where every client is trusted. Users see the app's error_message \
            (bot/default.yaml) when something fails; the details go to the log and the ledger.

            Chat page: open http://HOST:PORT/chat in a browser to talk to the bot. It is \
            built into botcli (no files to deploy) and uses the WebSocket GET \
            /ws?user=ID&token=TOKEN&thread=ID&after=SEQ: it sends {"message": TEXT}, {"button": ID} and \
            {"event": "page_open", "url": PAGE} (when it opens), each with a "message_id" the \
            server acknowledges with {"ack": ID} after the turn's events, and receives every \
            event of the thread as JSON with its "id". After a dropped connection it \
            reconnects with after=<last id> and the server replays what it missed. The page \
            keeps its identity and thread id in the browser; /chat?thread=T opens another \
            conversation of the same user.

            Web chat: POST /webhooks/rest/webhook with {"sender": ID, "message": TEXT}; the \
            answer is the JSON array of the bot's messages for that turn, in Rasa's shape: \
            {"recipient_id": ID, "text": TEXT}, with "buttons": [{"title": …, "payload": …}] \
            when it offers buttons, {"recipient_id", "status"} for status lines and \
            {"recipient_id", "error"} for errors. Click a button with {"sender": ID, "button": \
            PAYLOAD} or send its payload as the message when it is the button's text. Add \
            "message_id" to make retries safe: a repeated id has no second effect and gets \
            the first answer. The sender is the user and the thread unless "thread" names \
            one. When the chat page opens, send {"sender": ID, "event": "page_open", "url": \
            PAGE} to fire page_open triggers (also "chat_open", "chat_close").

            WebSocket: GET /ws?user=ID (&thread=T, &after=LAST_ID to resume) upgrades to a \
            socket that takes {"message": TEXT, "message_id": ID} (or "button", "event") and \
            sends every event of the thread as it happens, whichever channel caused it.

            Operations: GET /healthz is 200 while the server runs; GET /readyz is 200 once the \
            app's store is open, 503 before. A body over --max-body-size is refused with 413, \
            a malformed one with 400; both with {"error": …} and nothing stored. GET /metrics \
            answers Prometheus' text format: parley_turns_total{channel="rest"|"websocket"}, \
            parley_turn_duration_seconds{channel} (a histogram of turn latency), \
            parley_webhook_requests_total{status="2xx"|"4xx"|"5xx"} and \
            parley_websockets_open (a gauge of the WebSockets open now).

            Admin API (off unless a token is set): start with --admin-token-file FILE or \
            PARLEY_ADMIN_TOKEN (at least 16 characters; `openssl rand -hex 32` makes one) and \
            send `Authorization: Bearer TOKEN`; a missing or wrong token gets 401, and without a \
            token every /admin/ path is 404. GET /admin/threads/ID answers the thread's scope, \
            mode, waiting step and ledger events (vault values appear as [vault.KEY]; \
            ?after=N&limit=M pages). PUT /admin/vault with {"values": [{"key": NAME, \
            "ciphertext": BASE64, "expected_version": N}]} stores values sealed with the app's \
            vault public key, all in one transaction, and answers {"added": […], "changed": \
            […], "reloaded": true}; the server never sees a plaintext, and the running bot (on \
            every replica, with --store postgres://…) uses the new values at once. `botcli vault upload --to URL` seals and sends a secrets \
            file this way. Serve the admin API over HTTPS only (behind a TLS proxy): the token \
            is a password.

            Twilio Flex (an app with a meya.twilio.flex.integration): register \
            <public-url>/twilio/taskrouter/events as the TaskRouter event callback. In Flex \
            Conversations the bot adds <public-url>/webhooks/<integration id> to each \
            conversation it makes, so give --public-url (without it, the address the server \
            listens on is used); in Programmable Chat register <public-url>/twilio/chat/events \
            as the Chat service's post-event webhook. Every delivery's X-Twilio-Signature is \
            checked against --public-url and the integration's auth_token; docs/flex.md says \
            what happens next.

            Try it:
              botcli serve --app my-bot &        # then open http://localhost:5005/chat
            or, with curl, in the trusted mode:
              botcli serve --app my-bot --rest-auth open &
              curl localhost:5005/webhooks/rest/webhook \\
                -d '{"sender": "ana", "message": "hi"}'
            """
    )

    @OptionGroup var options: AppOptions

    @Option(help: ArgumentHelp("The address to listen on; 0.0.0.0 accepts connections from other machines "
                               + "(default: $PARLEY_HOST, else 127.0.0.1).", valueName: "address"))
    var host: String?

    @Option(help: ArgumentHelp("The TCP port; 0 picks a free one (default: $PARLEY_PORT, else 5005).", valueName: "port"))
    var port: Int?

    @Option(name: .customLong("public-url"),
            help: ArgumentHelp("The URL the outside world reaches this server at, e.g. https://bot.example.com "
                               + "(default: $PARLEY_PUBLIC_URL); integrations' webhooks are registered under it.",
                               valueName: "url"))
    var publicURL: String?

    @Option(name: .customLong("max-body-size"), help: ArgumentHelp("The largest request body accepted, in bytes.", valueName: "bytes"))
    var maxBodySize: Int = 64 * 1024

    @Option(name: .customLong("shutdown-timeout"),
            help: ArgumentHelp("Seconds SIGTERM or Ctrl-C waits for requests in flight and open WebSockets "
                               + "before closing what is left.", valueName: "seconds"))
    var shutdownTimeout: Double = 10

    @Option(name: .customLong("admin-token-file"),
            help: ArgumentHelp("A file holding the admin API's bearer token (default: $PARLEY_ADMIN_TOKEN); "
                               + "without either the admin API is off.", valueName: "file"))
    var adminTokenFile: String?

    @Option(name: .customLong("rest-auth"),
            help: ArgumentHelp("How REST and WebSocket clients say which user they are: `token` (a user token the server "
                               + "issued at POST /webchat/identity, or the shared secret of --rest-secret-file) or `open` "
                               + "(Rasa's model: `sender` and `user` are trusted as given; only where every client is "
                               + "trusted) (default: $PARLEY_REST_AUTH, else token).", valueName: "token|open"))
    var restAuth: RestAuthMode?

    @Option(name: .customLong("rest-secret-file"),
            help: ArgumentHelp("A file holding a shared secret (16+ characters) with which server-to-server clients may "
                               + "name any sender (`Authorization: Bearer SECRET`) under --rest-auth token "
                               + "(default: $PARLEY_REST_SECRET).", valueName: "file"))
    var restSecretFile: String?

    @Option(name: .customLong("store"),
            help: ArgumentHelp("Where conversations are kept: a postgres://USER:PASSWORD@HOST:PORT/DATABASE URL, which several "
                               + "replicas of the bot may share (options ?sslmode=disable|prefer|require, pool=CONNECTIONS, "
                               + "lease=SECONDS), or a SQLite file (default: $PARLEY_DATABASE_URL, else the app's "
                               + ".parley/state.sqlite).", valueName: "url|file"))
    var store: String?

    @Option(name: .customLong("clock-skew"),
            help: ArgumentHelp("Run the bot's clock this many seconds ahead of the machine's, to try timeouts and time windows "
                               + "(a reply timeout, a virtual agent's 30-minute resume) without waiting; a development aid "
                               + "(default: $PARLEY_CLOCK_SKEW, else 0).", valueName: "seconds"))
    var clockSkew: Double?

    @Option(name: .customLong("turn-timeout"),
            help: ArgumentHelp("Seconds a REST request waits for its turn before it is answered 503; the turn goes on, and a retry "
                               + "with the same message_id gets its answer. 0: as long as the turn takes (default: "
                               + "$PARLEY_TURN_TIMEOUT, else 30 on PostgreSQL, whose turns wait for a connection while the database "
                               + "is out of reach, and 0 on SQLite).", valueName: "seconds"))
    var turnTimeout: Double?

    func validate() throws {
        let port = try resolvedPort()
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, not \(port)") }
        guard maxBodySize > 0 else { throw ValidationError("--max-body-size must be positive") }
        guard shutdownTimeout >= 0, shutdownTimeout.isFinite else { throw ValidationError("--shutdown-timeout must be 0 or more seconds") }
        if let url = resolvedPublicURL(), URL(string: url)?.scheme.map({ ["http", "https"].contains($0) }) != true {
            throw ValidationError("--public-url must be an http:// or https:// URL, not `\(url)`")
        }
        _ = try resolvedAdminToken()
        _ = try resolvedAuthentication()
        _ = try resolvedClockSkew()
        _ = try resolvedStore()
        _ = try resolvedTurnTimeout()
    }

    func run() async throws {
        ParleyLogging.useDefaultLevel(.info)
        let logger = ParleyLogging.logger("parley.server")
        let app = try options.loadApp(toDo: "serve the bot")
        let served = ServedApp(app: app, root: options.url, store: try resolvedStore(), logger: ParleyLogging.logger)
        let admin = try resolvedAdminToken().map(AdminConfiguration.init(token:))
        // Where Twilio reaches the server: --public-url, else its own address once it listens.
        let reachedAt = Mutex<String?>(resolvedPublicURL())
        let integrations = AppIntegrations(setup: IntegrationSetup(logger: ParleyLogging.logger,
                                                                   publicURL: { reachedAt.withLock { $0 } }))
        let configuration = BotServerConfiguration(host: resolvedHost(), port: try resolvedPort(),
                                                   publicURL: resolvedPublicURL(), maxBodySize: maxBodySize, admin: admin,
                                                   metrics: .process, integrations: integrations.all,
                                                   shutdownTimeout: .milliseconds(Int64(shutdownTimeout * 1000)),
                                                   clientAuthentication: try resolvedAuthentication(),
                                                   identityKey: try WebIdentityKey.loadOrCreate(at: served.identityKeyURL),
                                                   restTurnDeadline: try resolvedTurnTimeout() ?? served.store.restTurnDeadline)
        let server = BotServer(configuration: configuration, logger: logger)
        let skew = try resolvedClockSkew()
        let options = EngineOptions(clock: { Date().addingTimeInterval(skew) })
        if skew != 0 {
            logger.warning("the bot's clock runs ahead of the machine's (--clock-skew): a development aid", metadata: ["seconds": "\(skew)"])
        }
        let opened = Mutex<BotEngine?>(nil)
        do {
            let host = resolvedHost()
            try await server.run(loadingEngine: {
                let engine = try await served.openEngine(integrations: integrations, logger: logger, options: options)
                opened.withLock { $0 = engine }
                return engine
            }, onListening: { port in
                reachedAt.withLock { url in url = url ?? "http://\(host.contains(":") ? "[\(host)]" : host):\(port)" }
            })
        } catch {
            await stop(opened.withLock { $0 }, integrations)
            Terminal.error("error: \(error)")
            if case BotServerError.addressInUse? = error as? BotServerError {
                Terminal.error("hint: pick another port with --port PORT (or PARLEY_PORT); --port 0 takes any free one")
            }
            throw ExitCode(1)
        }
        await stop(opened.withLock { $0 }, integrations)
    }

    /// Stops the engine (what is left stays stored), then the integrations, then the store.
    private func stop(_ engine: BotEngine?, _ integrations: AppIntegrations) async {
        await engine?.stop()
        await integrations.shutdown()
        await engine?.store.close()
    }

    private var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// `--turn-timeout` or `$PARLEY_TURN_TIMEOUT` as a REST turn's deadline (`.zero`: none); nil
    /// when neither is given (the store's default).
    private func resolvedTurnTimeout() throws -> Duration? {
        try seconds(turnTimeout, flag: "--turn-timeout", variable: "PARLEY_TURN_TIMEOUT").map { .milliseconds(Int64($0 * 1000)) }
    }

    private func resolvedClockSkew() throws -> TimeInterval {
        try seconds(clockSkew, flag: "--clock-skew", variable: "PARLEY_CLOCK_SKEW") ?? 0
    }

    /// A number of seconds, 0 or more, from its option or else its environment variable; nil
    /// when neither is given.
    private func seconds(_ option: Double?, flag: String, variable: String) throws -> Double? {
        if let option {
            guard option.isFinite, option >= 0 else { throw ValidationError("\(flag) must be 0 or more seconds, not \(option)") }
            return option
        }
        guard let text = environment[variable], !text.isEmpty else { return nil }
        guard let seconds = Double(text), seconds.isFinite, seconds >= 0 else {
            throw ValidationError("\(variable) must be 0 or more seconds, not `\(text)`")
        }
        return seconds
    }

    /// --store, else $PARLEY_DATABASE_URL; nil: the app's SQLite file.
    private func resolvedStore() throws -> StoreLocation? {
        try StoreLocation.resolved(store, environment: environment)
    }

    private func resolvedHost() -> String {
        host ?? environment["PARLEY_HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
    }

    private func resolvedPort() throws -> Int {
        if let port { return port }
        guard let text = environment["PARLEY_PORT"], !text.isEmpty else { return 5005 }
        guard let port = Int(text) else { throw ValidationError("PARLEY_PORT must be a port number, not `\(text)`") }
        return port
    }

    /// The admin token from --admin-token-file, else $PARLEY_ADMIN_TOKEN; nil when neither is given.
    private func resolvedAdminToken() throws -> BearerSecret? {
        try BearerSecretSource.admin.read(file: adminTokenFile, environment: environment)
    }

    private func resolvedAuthentication() throws -> ClientAuthentication {
        let mode: RestAuthMode
        if let restAuth {
            mode = restAuth
        } else if let text = environment["PARLEY_REST_AUTH"], !text.isEmpty {
            guard let parsed = RestAuthMode(rawValue: text) else { throw ValidationError("PARLEY_REST_AUTH must be token or open, not `\(text)`") }
            mode = parsed
        } else {
            mode = .token
        }
        let secret = try BearerSecretSource.rest.read(file: restSecretFile, environment: environment)
        switch mode {
        case .open:
            if secret != nil { throw ValidationError("--rest-secret-file (or PARLEY_REST_SECRET) only applies to --rest-auth token") }
            return .open
        case .token:
            return .token(sharedSecret: secret)
        }
    }

    private func resolvedPublicURL() -> String? {
        publicURL ?? environment["PARLEY_PUBLIC_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// `--rest-auth`'s values.
enum RestAuthMode: String, ExpressibleByArgument, CaseIterable {
    case token, open
}
