import BotRuntime
import FlowDSL
import Hummingbird
import Logging

/// The web chat REST channel, compatible with Rasa's: `POST /webhooks/rest/webhook` takes one
/// user message and answers with that turn's bot messages.
///
/// The sender is both the user id and the thread id (Rasa's model) unless the body names a
/// `"thread"`; a thread belongs to the user who started it (another user's message is 403).
/// Who may name which sender is the server's `ClientAuthentication` (`ClientIdentity`). A `"message_id"` makes deliveries idempotent: a retry has no second effect and
/// gets the first delivery's answer. A turn not done within the server's deadline is answered
/// 503 and goes on; its answer is the retry's. Nothing fires `page_open` on its own: a web client sends
/// `{"sender": ID, "event": "page_open", "url": PAGE}` when its page opens, as Meya's does.
/// See `RestMessage` for the body and `RestReply` for the answer.
struct RestChannel {
    static let webhookPath = "/webhooks/rest/webhook"

    let state: ServingState
    let body: RequestBodyReader
    let authentication: ClientAuthentication
    let identityKey: WebIdentityKey
    /// How long a request waits for its turn (`BotServerConfiguration.restTurnDeadline`); nil: as long as it takes.
    let deadline: Duration?

    func register(on router: Router<BasicRequestContext>) {
        // Rasa clients probe the channel with this.
        router.get("/webhooks/rest") { _, _ in JSONResponse.make(.map(["status": .string("ok")])) }
        router.post(RouterPath(Self.webhookPath)) { request, context in
            await handle(request, logger: context.logger)
        }
    }

    func handle(_ request: Request, logger: Logger) async -> Response {
        guard let engine = state.engine else {
            return JSONResponse.error("the bot is not ready yet; retry shortly", status: .serviceUnavailable)
        }
        let identity: ClientIdentity
        switch ClientIdentity.of(credential: request.bearerCredential, authentication: authentication, key: identityKey) {
        case .failure(let problem):
            logger.debug("rest request refused", metadata: ["status": "\(problem.status.code)", "error": "\(problem.message)"])
            return problem.response
        case .success(let proven): identity = proven
        }
        let message: RestMessage
        switch await body.object(of: request) {
        case .failure(let problem):
            logger.debug("rest request refused", metadata: ["status": "\(problem.status.code)", "error": "\(problem.message)"])
            return problem.response
        case .success(let object):
            do {
                message = try RestMessage(json: object, identity: identity)
            } catch {
                logger.debug("rest request refused", metadata: ["status": "\(error.status.code)", "error": "\(error.message)"])
                return error.response
            }
        }
        do {
            let event = message.event
            let answered = if let deadline, deadline > .zero { try await Deadline.within(deadline) { try await engine.handle(event) } }
                           else { try await engine.handle(event) }
            guard let result = answered else {
                let seconds = deadline?.components.seconds ?? 0
                logger.warning("rest turn not done in time; answered 503, the turn goes on",
                               metadata: ["thread": "\(message.threadID)", "seconds": "\(seconds)"])
                return JSONResponse.error("the bot did not answer within \(seconds) s; send the message again "
                                          + "with the same message_id to get its answer once", status: .serviceUnavailable)
            }
            // Ids and counts only: what users type stays out of the logs.
            logger.debug("rest turn", metadata: ["thread": "\(message.threadID)", "sequence": "\(result.inbound.sequence)",
                                                 "outputs": "\(result.outputs.count)", "duplicate": "\(result.isDuplicate)"])
            return JSONResponse.make(json: RestReply.json(of: result.outputs, recipient: message.sender,
                                                                 errorText: { UserErrorText.of(engine) }))
        } catch let error as ThreadOwnershipError {
            logger.notice("rest request refused", metadata: ["thread": "\(message.threadID)", "user": "\(message.sender)", "error": "\(error)"])
            return JSONResponse.error("this thread belongs to another user", status: .forbidden)
        } catch {
            logger.error("rest turn failed", metadata: ["thread": "\(message.threadID)", "error": "\(error)"])
            return JSONResponse.error("the bot could not handle this message; the server log has the details",
                                      status: .internalServerError)
        }
    }
}
