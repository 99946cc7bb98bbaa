import Foundation
import Hummingbird

/// The caller's side of the agent API (no authentication, like the rest of `/emulator/api/`).
/// Each action answers once the bot's TwiML for it has been played:
///
/// - `POST /emulator/api/calls` `{"from", "to", "caller_name"?}`: `from` calls a number of the
///   account (201, the call); 404 when the account has no such number.
/// - `GET /emulator/api/calls`: `{"version", "calls": […]}`; `GET /emulator/api/calls/{CA}`:
///   `{"version", "call"}` (`?after=N&wait=S` as elsewhere).
/// - `POST /emulator/api/calls/{CA}/speech` `{"text"}`: the caller says something (to a
///   `<Gather>` as `SpeechResult`, or to a virtual agent); `…/digits` `{"digits"}`: presses
///   keys; `…/silence`: says nothing until the `<Gather>` times out; `…/hangup`: hangs up.
///   409 when the call does not listen (the bot has not answered, or the call has ended).
struct CallRoutes {
    let state: EmulatorState
    let player: CallPlayer
    let waitIfAsked: @Sendable (Request) async -> Int

    func register(on router: Router<BasicRequestContext>) {
        let state = state, player = player, waitIfAsked = waitIfAsked
        router.post("/emulator/api/calls") { request, _ in
            await AgentAPIRoutes.respond { () async throws(AgentAPIError) -> Response in
                let body = try await AgentAPIRoutes.body(of: request)
                guard let from = body["from"]?.stringValue, let to = body["to"]?.stringValue else {
                    throw .badRequest("send {\"from\": CALLER, \"to\": NUMBER}")
                }
                let (call, fetch) = try await state.placeCall(from: from, to: to, callerName: body["caller_name"]?.stringValue)
                await player.run(call.sid, fetch)
                return try await Self.json(state.call(call.sid).view, status: .created)
            }
        }
        router.get("/emulator/api/calls") { request, _ in
            let version = await waitIfAsked(request)
            return RESTSupport.json(["version": .int(version), "calls": .array(await state.allCalls.map { Self.view($0.view) })])
        }
        router.get("/emulator/api/calls/{call}") { request, context in
            await AgentAPIRoutes.respond { () async throws(AgentAPIError) -> Response in
                let sid = context.parameters.get("call") ?? ""
                _ = try await state.call(sid)
                let version = await waitIfAsked(request)
                return RESTSupport.json(["version": .int(version), "call": Self.view(try await state.call(sid).view)])
            }
        }
        for action in ["speech", "digits", "silence"] {
            router.post("/emulator/api/calls/{call}/\(action)") { request, context in
                await AgentAPIRoutes.respond { () async throws(AgentAPIError) -> Response in
                    let body = try await AgentAPIRoutes.body(of: request)
                    let input: EmulatorState.CallerInput
                    switch action {
                    case "speech":
                        guard let text = body["text"]?.stringValue, !text.isEmpty else { throw .badRequest("send {\"text\": WHAT THE CALLER SAYS}") }
                        input = .speech(text)
                    case "digits":
                        guard let digits = body["digits"]?.stringValue, !digits.isEmpty,
                              digits.allSatisfy({ "0123456789*#".contains($0) }) else { throw .badRequest("send {\"digits\": KEYS}, keys 0-9, * and #") }
                        input = .digits(digits)
                    default:
                        input = .silence
                    }
                    let sid = context.parameters.get("call") ?? ""
                    await player.run(sid, try await state.callerInput(sid, input))
                    return try await Self.json(state.call(sid).view)
                }
            }
        }
        router.post("/emulator/api/calls/{call}/hangup") { _, context in
            await AgentAPIRoutes.respond { () async throws(AgentAPIError) -> Response in
                try await Self.json(state.hangUp(context.parameters.get("call") ?? "").view)
            }
        }
    }

    static func json(_ call: PhoneCall, status: HTTPResponse.Status = .ok) -> Response {
        RESTSupport.json(view(call), status: status)
    }

    /// The call as JSON: its `Codable` keys, sorted.
    static func view(_ call: PhoneCall) -> EmulatorJSON {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(call), let json = try? EmulatorJSON(parsing: String(decoding: data, as: UTF8.self)) else {
            return ["sid": .string(call.sid)]
        }
        return json
    }
}
