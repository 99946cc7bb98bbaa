import BotRuntime
import FlowDSL
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging

/// The web chat WebSocket channel: `GET /ws?user=U&thread=T&after=SEQ` upgrades to a socket
/// that carries the user's messages in and every event of the thread out, as it happens —
/// whichever channel or integration caused it.
///
/// `thread` defaults to the user. With `after`, the thread's ledger events after that
/// sequence are replayed first (the user's own messages included, with sender `"user"`), then
/// live events follow with no gap and no duplicate: the connection subscribes before reading
/// the ledger and drops live events it already replayed. A client reconnects with the `id`
/// of the last event it saw.
///
/// A frame with a `message_id` is acknowledged once its turn is over, after the turn's own
/// events: `{"ack": MESSAGE_ID, "id": SEQ}` — so a client knows when to stop showing the bot
/// as typing (a turn may have no output at all, as when an agent has the thread) and which
/// messages to send again, with the same id, after a dropped connection.
///
/// A bad request (no `user`, a bad `after`) or a server that is not ready yet is refused before
/// any socket opens (the upgrade answers a bare 400; a plain `GET /ws` gets the status and an
/// `{"error": …}` body). No valid user token (`ClientIdentity`) or another user's thread gets
/// a socket that sends `{"error": …, "status": 401 | 403}` and closes with code 4401 / 4403,
/// before any event: a browser's script sees why. An `after` past the end of the ledger means
/// "from now". A frame that is not a valid message gets
/// an `{"error": …}` frame and has no effect; the socket stays open. See `WebSocketInput`
/// and `WebSocketOutput` for the frames.
///
/// Open connections are counted in `parley_websockets_open`; each message handled is a turn
/// of channel `websocket` in `parley_turns_total` and `parley_turn_duration_seconds`.
struct WebSocketChannel: Sendable {
    static let path = "/ws"
    /// The channel's name in the turn metrics.
    static let metricsChannel = "websocket"
    /// Ledger page size while replaying.
    static let replayPage = 500

    let state: ServingState
    let maxMessageSize: Int
    let metrics: ServerMetrics
    let authentication: ClientAuthentication
    let identityKey: WebIdentityKey

    /// Whether a request opens a socket here: `GET /ws` admitted (`admission(of:)`), or refused
    /// for no token or another user's thread (upgraded only to say why, so that a browser's
    /// script can tell (`serve`)). Anything else is not upgraded; the WebSocket library answers
    /// it with a bare 400.
    ///
    /// A closure, not a `Router` with `router.ws`: that router hands the socket its handler
    /// through a box kept in the request context, holding the very context that holds the box —
    /// a reference cycle (HummingbirdWebSocket 2.8) that kept every upgraded connection's
    /// context and logger, about 1 KB, for the life of the process.
    func shouldUpgrade(_ head: HTTPRequest, logger: Logger) async -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>> {
        let request = Request(head: head, body: RequestBody(buffer: ByteBuffer()))
        // Matched as the router matches paths: by their non-empty components.
        guard head.method == .get, request.uri.path.split(separator: "/").elementsEqual(Self.path.split(separator: "/")) else {
            return .dontUpgrade
        }
        let admitted = await admission(of: request)
        if case .failure(let problem) = admitted, ![.unauthorized, .forbidden].contains(problem.status) {
            logger.debug("websocket refused", metadata: ["status": "\(problem.status.code)", "reason": "\(problem.message)"])
            return .dontUpgrade
        }
        return .upgrade([:]) { inbound, outbound, context in
            try await serve(inbound: inbound, outbound: outbound, admitted: admitted, logger: context.logger)
        }
    }

    /// `GET /ws` on the main router: requests the upgrade refused (or plain GETs), answered with
    /// what is wrong: 400 (parameters), 401 (no valid token), 403 (another user's thread), 503
    /// (not ready), or 426 for a good request that did not ask for a WebSocket.
    func registerRefusals(on router: Router<BasicRequestContext>) {
        router.get(RouterPath(Self.path)) { request, context in
            switch await admission(of: request) {
            case .failure(let problem):
                context.logger.debug("websocket refused", metadata: ["status": "\(problem.status.code)", "reason": "\(problem.message)"])
                return problem.response
            case .success:
                return JSONResponse.error("connect with a WebSocket (Upgrade: websocket)", status: .upgradeRequired)
            }
        }
    }

    /// The server configuration: HTTP/1.1 with the upgrade to this channel.
    func serverBuilder() -> HTTPServerBuilder {
        .http1WebSocketUpgrade(configuration: .init(ws: WebSocketServerConfiguration(maxFrameSize: maxMessageSize))) { head, _, logger in
            await shouldUpgrade(head, logger: logger)
        }
    }

    /// A request that may open a socket: its parameters, a ready engine, and the thread as
    /// stored when it was admitted (nil: new).
    struct Admission {
        var parameters: Parameters
        var engine: BotEngine
        var thread: ThreadRecord?
    }

    /// Whether `request` may open a socket, and on what: its parameters, the user its token
    /// proves (or its `user`, in open mode), a ready engine, and a thread that is new or the user's.
    func admission(of request: Request) async -> Result<Admission, ResponseProblem> {
        let query = Self.query(of: request)
        let identity: ClientIdentity
        switch ClientIdentity.of(credential: query["token"] ?? request.bearerCredential, authentication: authentication, key: identityKey) {
        case .failure(let problem): return .failure(problem)
        case .success(let proven): identity = proven
        }
        let parameters: Parameters
        do throws(WebSocketInputError) {
            parameters = try Parameters(query: query, identity: identity)
        } catch {
            return .failure(ResponseProblem(status: error.status, message: error.message))
        }
        guard let engine = state.engine else {
            return .failure(ResponseProblem(status: .serviceUnavailable, message: "the bot is not ready yet; retry shortly"))
        }
        let thread: ThreadRecord?
        do {
            thread = try await engine.thread(parameters.thread)
        } catch {
            return .failure(ResponseProblem(status: .internalServerError, message: "the thread could not be read; the server log has the details"))
        }
        if let owner = thread?.userID, !BotEngine.admits(user: parameters.user, toThreadOf: owner) {
            return .failure(ResponseProblem(status: .forbidden, message: "this thread belongs to another user"))
        }
        return .success(Admission(parameters: parameters, engine: engine, thread: thread))
    }

    /// Where and from what a connection starts.
    struct Parameters: Equatable {
        var user: String
        var thread: String
        var after: Int?

        init(query: [String: String], identity: ClientIdentity = .trusted) throws(WebSocketInputError) {
            let named = query["user"].flatMap { $0.isEmpty ? nil : $0 }
            switch identity.user(named: named) {
            case .success(let user): self.user = user
            case .failure(let problem) where problem.status == .forbidden: throw WebSocketInputError(problem.message, status: .forbidden)
            case .failure: throw WebSocketInputError("missing query parameter `user`")
            }
            thread = query["thread"].flatMap { $0.isEmpty ? nil : $0 } ?? user
            if let text = query["after"] {
                guard let after = Int(text), after >= 0 else {
                    throw WebSocketInputError("`after` must be an event id (a whole number ≥ 0), not \"\(text)\"")
                }
                self.after = after
            }
        }
    }

    static func query(of request: Request) -> [String: String] {
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
        return query
    }

    /// Serves a socket `shouldUpgrade` admitted (or upgraded only to say why it is refused).
    func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, admitted: Result<Admission, ResponseProblem>,
               logger: Logger) async throws {
        let parameters: Parameters, engine: BotEngine, stored: ThreadRecord?
        switch admitted {
        case .success(let admission):
            (parameters, engine, stored) = (admission.parameters, admission.engine, admission.thread)
        case .failure(let problem):
            // No token, or another user's thread: one frame saying so, then a close whose code
            // is 4000 + the HTTP status (4401, 4403). Other refusals never got here.
            logger.debug("websocket refused", metadata: ["status": "\(problem.status.code)", "reason": "\(problem.message)"])
            try await outbound.write(.text(WebSocketOutput.error(problem.message, status: problem.status.code)))
            try await outbound.close(.unknown(UInt16(4000 + problem.status.code)), reason: problem.message)
            return
        }
        let (user, thread) = (parameters.user, parameters.thread)
        let errorText = UserErrorText.of(engine)
        metrics.webSocketOpened()
        defer { metrics.webSocketClosed() }
        var logger = logger
        logger[metadataKey: "thread"] = "\(thread)"

        // Subscribe first: what is committed while the ledger is read waits in the stream.
        let live = engine.subscribe(thread: thread)
        var lastReplayed = 0
        // Whether the thread is known to be this user's; a thread that did not exist yet (or had
        // no user yet) is checked again when its first event comes (another user may have
        // started it since). Read before subscribing; what came between is in the ledger.
        let ownedAtStart = stored.map { $0.userID == user } ?? false
        if let after = parameters.after {
            // Past the end of the ledger means "from now": what comes next is not skipped.
            lastReplayed = min(after, stored?.lastSequence ?? 0)
            while true {
                let page = try await engine.events(thread: thread, after: lastReplayed, limit: Self.replayPage)
                for event in page {
                    if let frame = WebSocketOutput.frame(of: event, errorText: errorText) { try await outbound.write(.text(frame)) }
                    lastReplayed = event.sequence
                }
                if page.count < Self.replayPage { break }
            }
        }
        logger.debug("websocket open", metadata: ["replayed_to": "\(lastReplayed)"])

        // One writer: live events and error frames go out through one queue, in order.
        let (outgoing, out) = AsyncStream.makeStream(of: Outgoing.self)
        let skipThrough = lastReplayed, connectionLogger = logger
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                var owned = ownedAtStart
                for await event in live where event.sequence > skipThrough {
                    if !owned {
                        let owner = try await engine.thread(thread)?.userID ?? ""
                        guard BotEngine.admits(user: user, toThreadOf: owner) else {
                            out.yield(.forbidden)
                            return
                        }
                        owned = !owner.isEmpty
                    }
                    out.yield(.event(event))
                }
                // Not cancelled: the subscriber fell too far behind; the client resumes from the ledger.
                if !Task.isCancelled { out.yield(.behind) }
            }
            group.addTask {
                var last = skipThrough
                // Acks wait here until their turn's events have gone out.
                var acks: [(frame: String, through: Int)] = []
                for await item in outgoing {
                    switch item {
                    case .event(let event):
                        last = max(last, event.sequence)
                        if let frame = WebSocketOutput.frame(of: event, errorText: errorText) { try await outbound.write(.text(frame)) }
                        while let ack = acks.first, ack.through <= last {
                            try await outbound.write(.text(ack.frame))
                            acks.removeFirst()
                        }
                    case .ack(let frame, let through):
                        if acks.isEmpty, through <= last {
                            try await outbound.write(.text(frame))
                        } else {
                            acks.append((frame, through))
                        }
                    case .error(let message, let messageID):
                        try await outbound.write(.text(WebSocketOutput.error(message, messageID: messageID)))
                    case .forbidden:
                        connectionLogger.notice("websocket closed: another user's thread", metadata: ["user": "\(user)"])
                        try await outbound.write(.text(WebSocketOutput.error("this thread belongs to another user", status: 403)))
                        try await outbound.close(.unknown(4403), reason: "this thread belongs to another user")
                        return
                    case .behind:
                        connectionLogger.warning("websocket subscriber fell behind; closing", metadata: ["last": "\(last)"])
                        try await outbound.write(.text(WebSocketOutput.error("too many events at once; reconnect with after=\(last)")))
                        try await outbound.close(.unknown(1013), reason: "reconnect with after=\(last)")
                        return
                    }
                }
            }
            defer { group.cancelAll() }
            for try await message in inbound.messages(maxSize: maxMessageSize) {
                guard case .text(let text) = message else {
                    out.yield(.error("send text frames holding JSON objects, not binary frames", messageID: nil))
                    continue
                }
                let input: WebSocketInput
                do throws(WebSocketInputError) {
                    input = try WebSocketInput(frame: text)
                } catch {
                    logger.debug("websocket frame refused", metadata: ["error": "\(error.message)"])
                    out.yield(.error(error.message, messageID: nil))
                    continue
                }
                do {
                    // The turn's events come back through the subscription, like everyone else's.
                    let start = ContinuousClock.now
                    let result = try await engine.handle(input.event(user: user, thread: thread))
                    metrics.recordTurn(channel: Self.metricsChannel, duration: ContinuousClock.now - start)
                    logger.debug("websocket turn", metadata: ["sequence": "\(result.inbound.sequence)",
                                                              "outputs": "\(result.outputs.count)", "duplicate": "\(result.isDuplicate)"])
                    if let messageID = input.messageID {
                        // After the turn's events; a duplicate's were sent before (or are in the ledger).
                        let through = result.isDuplicate ? 0 : result.outputs.last?.sequence ?? 0
                        out.yield(.ack(WebSocketOutput.ack(messageID: messageID, id: result.inbound.sequence,
                                                           duplicate: result.isDuplicate), through: through))
                    }
                } catch is ThreadOwnershipError {
                    out.yield(.forbidden)
                } catch {
                    logger.error("websocket turn failed", metadata: ["error": "\(error)"])
                    out.yield(.error("the bot could not handle this message; the server log has the details", messageID: input.messageID))
                }
            }
        }
        logger.debug("websocket closed")
    }

    private enum Outgoing: Sendable {
        case event(Event)
        /// Written once every event up to `through` has been.
        case ack(String, through: Int)
        case error(String, messageID: String?)
        case behind
        /// The thread turned out to be another user's: the socket closes.
        case forbidden
    }
}
