import Foundation
import Hummingbird
import TwilioWire

/// The agent JSON API under `/emulator/api/` (no authentication: a local development tool).
/// Lists answer `{"version": N, …}`; `?after=N&wait=S` holds the answer until the emulator's
/// version exceeds N or S seconds (at most 30) pass, so clients follow changes without polling
/// loops. The routes are listed in `TwilioEmulator`'s documentation.
struct AgentAPIRoutes {
    let state: EmulatorState
    let configuration: TwilioEmulator.Configuration

    static let maxWait: Double = 30

    func register(on router: Router<BasicRequestContext>) {
        let views = AgentJSON(state: state)
        router.get("/emulator/api/info") { request, _ in
            _ = await waitIfAsked(request)
            return RESTSupport.json(await views.info(configuration: configuration))
        }
        router.get("/emulator/api/tasks") { request, _ in
            let version = await waitIfAsked(request)
            return RESTSupport.json(["version": .int(version), "tasks": .array(await views.tasks())])
        }
        router.get("/emulator/api/tasks/{task}") { _, context in
            await Self.respond { () async throws(AgentAPIError) -> Response in
                let task = try await state.agentTask(context.parameters.get("task") ?? "")
                return RESTSupport.json(await views.task(task))
            }
        }
        router.post("/emulator/api/tasks/{task}/accept") { _, context in
            await Self.respond { () async throws(AgentAPIError) -> Response in
                let task = try await state.agentAccept(taskSid: context.parameters.get("task") ?? "")
                return RESTSupport.json(await views.task(task))
            }
        }
        router.post("/emulator/api/tasks/{task}/end") { _, context in
            await Self.respond { () async throws(AgentAPIError) -> Response in
                let task = try await state.agentEndChat(taskSid: context.parameters.get("task") ?? "")
                return RESTSupport.json(await views.task(task))
            }
        }
        router.post("/emulator/api/tasks/{task}/complete") { request, context in
            await Self.respond { () async throws(AgentAPIError) -> Response in
                let body = try await Self.body(of: request)
                let task = try await state.agentComplete(taskSid: context.parameters.get("task") ?? "", reason: body["reason"]?.stringValue)
                return RESTSupport.json(await views.task(task))
            }
        }
        router.post("/emulator/api/tasks/{task}/cancel") { request, context in
            await Self.respond { () async throws(AgentAPIError) -> Response in
                let body = try await Self.body(of: request)
                let task = try await state.agentCancel(taskSid: context.parameters.get("task") ?? "", reason: body["reason"]?.stringValue)
                return RESTSupport.json(await views.task(task))
            }
        }
        router.get("/emulator/api/channels/{channel}/messages") { request, context in
            await Self.respond { () async throws(AgentAPIError) -> Response in
                let sid = context.parameters.get("channel") ?? ""
                _ = try await state.agentChannel(sid)
                let version = await waitIfAsked(request)
                let channel = try await state.agentChannel(sid)
                return RESTSupport.json(["version": .int(version), "channel": views.channel(channel),
                                         "messages": .array(await views.messages(of: channel))])
            }
        }
        router.post("/emulator/api/channels/{channel}/messages") { request, context in
            await Self.respond { () async throws(AgentAPIError) -> Response in
                let body = try await Self.body(of: request)
                guard let text = body["body"]?.stringValue else { throw .badRequest("send {\"body\": TEXT}") }
                let sid = context.parameters.get("channel") ?? ""
                if let preEvent = try await state.agentPreEvent(channelSid: sid, body: text, attributes: body["attributes"]),
                   let deliverer = await state.deliverer {
                    let asked = await deliverer.ask(preEvent)
                    await state.recordPreEvent(asked)
                    if asked.status == .failed {
                        let code = asked.attempts.last?.statusCode.map(String.init) ?? "no answer"
                        throw .blocked("the pre-event webhook refused the message (HTTP \(code)); it was not added")
                    }
                }
                let message = try await state.agentMessage(channelSid: sid, body: text, attributes: body["attributes"])
                let channel = try await state.agentChannel(sid)
                return RESTSupport.json(await views.message(message, in: channel), status: .created)
            }
        }
        router.get("/emulator/api/events") { request, _ in
            let version = await waitIfAsked(request)
            return RESTSupport.json(["version": .int(version), "deliveries": .array(await views.deliveries())])
        }
        PhoneRoutes(state: state, waitIfAsked: { await waitIfAsked($0) }).register(on: router)
        CallRoutes(state: state, player: CallPlayer(state: state), waitIfAsked: { await waitIfAsked($0) }).register(on: router)
    }

    /// Waits as `?after=N&wait=S` asks; answers the current version.
    private func waitIfAsked(_ request: Request) async -> Int {
        let query = request.uri.queryParameters
        guard let after = query["after"].flatMap({ Int(String($0)) }) else { return await state.version }
        let seconds = min(Self.maxWait, max(0, query["wait"].flatMap { Double(String($0)) } ?? Self.maxWait))
        return await state.waitForChange(after: after, timeout: .milliseconds(Int(seconds * 1000)))
    }

    static func body(of request: Request) async throws(AgentAPIError) -> EmulatorJSON {
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: RESTSupport.maxBodySize) } catch { throw .badRequest("the body could not be read") }
        let text = String(buffer: buffer)
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return .object([]) }
        do {
            let value = try EmulatorJSON(parsing: text)
            guard case .object = value else { throw AgentAPIError.badRequest("the body must be a JSON object") }
            return value
        } catch let error as AgentAPIError {
            throw error
        } catch {
            throw .badRequest("the body is not JSON: \(error)")
        }
    }

    static func respond(_ body: () async throws(AgentAPIError) -> Response) async -> Response {
        do {
            return try await body()
        } catch {
            return RESTSupport.json(["error": .string(error.description)], status: HTTPResponse.Status(code: error.status))
        }
    }
}
