import Foundation
import Hummingbird

/// The phone side of the agent API (no authentication, like the rest of `/emulator/api/`):
///
/// - `POST /emulator/api/phone/messages` `{"from", "to", "body", "media_sid"?}`: a customer
///   texts a configured address (201, the phone message); 404 when no Address Configuration
///   has `to`, 409 when it does not auto-create conversations.
/// - `GET /emulator/api/phone/messages[?customer=ADDRESS]`: `{"version", "messages": […]}`, what
///   the phones sent and received, oldest first (`?after=N&wait=S` as elsewhere).
/// - `POST /emulator/api/clock` `{"advance_seconds"}`: moves the emulator's clock on (the
///   WhatsApp window is measured with it); answers `{"now"}`.
struct PhoneRoutes {
    let state: EmulatorState
    let waitIfAsked: @Sendable (Request) async -> Int

    func register(on router: Router<BasicRequestContext>) {
        let state = state, waitIfAsked = waitIfAsked
        router.post("/emulator/api/phone/messages") { request, _ in
            await AgentAPIRoutes.respond { () async throws(AgentAPIError) -> Response in
                let body = try await AgentAPIRoutes.body(of: request)
                guard let from = body["from"]?.stringValue, let to = body["to"]?.stringValue else {
                    throw .badRequest("send {\"from\": CUSTOMER, \"to\": ADDRESS, \"body\": TEXT}")
                }
                let message = try await state.phoneInbound(from: from, to: to, body: body["body"]?.stringValue ?? "",
                                                           mediaSid: body["media_sid"]?.stringValue)
                return RESTSupport.json(Self.json(message), status: .created)
            }
        }
        router.get("/emulator/api/phone/messages") { request, _ in
            let version = await waitIfAsked(request)
            let customer = request.uri.queryParameters["customer"].map(String.init)
            return RESTSupport.json(["version": .int(version), "messages": .array(await state.phone(customer).map(Self.json))])
        }
        router.post("/emulator/api/clock") { request, _ in
            await AgentAPIRoutes.respond { () async throws(AgentAPIError) -> Response in
                let body = try await AgentAPIRoutes.body(of: request)
                guard case .number(let text)? = body["advance_seconds"], let seconds = Double(text) else {
                    throw .badRequest("send {\"advance_seconds\": N}")
                }
                return RESTSupport.json(["now": RESTSupport.date(try await state.advanceClock(by: seconds))])
            }
        }
    }

    /// The message as the agent API writes it: its `Codable` keys, in declaration order.
    static func json(_ message: PhoneMessage) -> EmulatorJSON {
        let optional = { (text: String?) in RESTSupport.optional(text) }
        return [
            "direction": .string(message.direction), "customer": .string(message.customer), "business": .string(message.business),
            "channel": .string(message.channel), "body": .string(message.body), "content_sid": optional(message.contentSid),
            "content_variables": optional(message.contentVariables), "media_sid": optional(message.mediaSid),
            "author": .string(message.author), "status": .string(message.status), "error_code": message.errorCode.map { .int($0) } ?? nil,
            "conversation_sid": .string(message.conversationSid), "message_sid": .string(message.messageSid),
            "date_created": .string(message.dateCreated),
        ]
    }
}
