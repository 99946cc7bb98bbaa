import Hummingbird
import TwilioWire

/// Flex API routes: `POST /v1/Channels` (201), `GET /v1/Channels`, `GET /v1/Channels/{CH}`,
/// `DELETE /v1/Channels/{CH}` (204), answered in the shape of
/// `fixtures/twilio/flex-channels-create.response.json`.
struct FlexChannelRoutes {
    let state: EmulatorState
    let configuration: TwilioEmulator.Configuration
    let fallbackOrigin: String

    func register(on router: Router<BasicRequestContext>) {
        router.twilio(.post, "/v1/Channels") { request, _ throws(TwilioRESTError) in
            let form = try await RESTSupport.form(of: request)
            let channel = try await state.createFlexChannel(form)
            return RESTSupport.json(Self.json(channel, accountSid: configuration.accountSid, origin: RESTSupport.origin(of: request, fallback: fallbackOrigin)), status: .created)
        }
        router.get("/v1/Channels") { request, _ in
            let origin = RESTSupport.origin(of: request, fallback: fallbackOrigin)
            let items = await state.flexChannels.map { Self.json($0, accountSid: configuration.accountSid, origin: origin) }
            return RESTSupport.json(RESTSupport.list(key: "flex_chat_channels", items: items, origin: origin, path: "/v1/Channels"))
        }
        router.twilio(.get, "/v1/Channels/{sid}") { request, context throws(TwilioRESTError) in
            let channel = try await state.flexChannel(context.parameters.get("sid") ?? "")
            return RESTSupport.json(Self.json(channel, accountSid: configuration.accountSid, origin: RESTSupport.origin(of: request, fallback: fallbackOrigin)))
        }
        router.twilio(.delete, "/v1/Channels/{sid}") { request, context throws(TwilioRESTError) in
            try await state.deleteFlexChannel(context.parameters.get("sid") ?? "")
            return RESTSupport.noContent()
        }
    }

    static func json(_ channel: ChatChannel, accountSid: String, origin: String) -> EmulatorJSON {
        [
            "flex_flow_sid": .string(channel.flexFlowSid),
            "account_sid": .string(accountSid),
            "sid": .string(channel.sid),
            "task_sid": RESTSupport.optional(channel.taskSid),
            "user_sid": .string(channel.userSid),
            "date_created": RESTSupport.date(channel.dateCreated),
            "date_updated": RESTSupport.date(channel.dateUpdated),
            "url": .string("\(origin)/v1/Channels/\(channel.sid)"),
        ]
    }
}
