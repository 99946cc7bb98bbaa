import FlowDSL
import TwilioWire

/// A Flex handoff over Programmable Chat: the chat is a channel made by Flex's `POST
/// /v1/Channels` (with its task, for a task-type Flex Flow), its messages are the channel's,
/// closing marks it INACTIVE and ends the task through TaskRouter. Calls go through the shared
/// `TwilioRESTClient`; its errors become `FlexError`s.
struct ProgrammableChatHandoff: FlexHandoff {
    let rest: TwilioRESTClient

    /// The transcript goes when an agent accepts (`FlexIntegration.outboundWork`), not now.
    func open(_ request: FlexHandoffRequest, opening: FlexOpening, settings: FlexSettings) async throws(FlexError) -> TemplateMap {
        var form = TwilioForm()
        form.append("FlexFlowSid", settings.flexFlowSid)
        form.append("Identity", request.identity)
        form.append("ChatUserFriendlyName", request.userName)
        form.append("ChatFriendlyName", request.friendlyName)
        form.append("ChatUniqueName", request.uniqueName)
        form.append("PreEngagementData", TemplateValue.map(["friendlyName": .string(request.userName)]).jsonText)
        form.append("TaskAttributes", TemplateValue.map(request.taskAttributes).jsonText)
        form.append("LongLived", "false")
        return try await send("create_channel", .POST, settings.flexBaseURL + "/v1/Channels", form: form, settings: settings)
    }

    /// `POST /v2/Services/{IS}/Channels/{CH}/Messages`, without `X-Twilio-Webhook-Enabled`, so
    /// the message does not come back as `onMessageSent`.
    /// Programmable Chat (at its end of life) posts as it always did: the key marks the
    /// message, and a lost answer's retry may post it twice.
    func post(_ body: String, from: String, chat: String, key: String, checkFirst: Bool, settings: FlexSettings) async throws(FlexError) {
        var form = TwilioForm()
        form.append("From", from)
        form.append("Body", body)
        form.append("Attributes", TemplateValue.map([ConversationsAPI.keyAttribute: .string(key)]).jsonText)
        _ = try await send("send_message", .POST, channelURL(settings, chat) + "/Messages", form: form, settings: settings)
    }

    func close(_ closing: FlexClosing, settings: FlexSettings) async throws(FlexError) {
        var failure: FlexError?
        do { try await closeChannel(closing.chat, settings: settings) } catch { failure = error }
        if let task = closing.task {
            do { try await updateTask(task, settings: settings) } catch { failure = failure ?? error }
        }
        if let failure { throw failure }
    }

    /// Marks the channel INACTIVE, keeping its other attributes (`POST /v2/Services/{IS}/Channels/{CH}`).
    private func closeChannel(_ channel: String, settings: FlexSettings) async throws(FlexError) {
        var attributes = TemplateMap()
        if let current = try? await send("read_channel", .GET, channelURL(settings, channel), form: nil, settings: settings) {
            attributes = TwilioJSON.object(in: current, "attributes")
        }
        attributes["status"] = .string("INACTIVE")
        var form = TwilioForm()
        form.append("Attributes", TemplateValue.map(attributes).jsonText)
        _ = try await send("close_channel", .POST, channelURL(settings, channel), form: form, settings: settings)
    }

    /// Sets the TaskRouter task's assignment status, with a reason.
    private func updateTask(_ task: FlexTaskEnd, settings: FlexSettings) async throws(FlexError) {
        var form = TwilioForm()
        form.append("AssignmentStatus", task.status)
        form.append("Reason", "chat ended by the bot")
        let url = settings.taskRouterBaseURL
            + "/v1/Workspaces/\(TwilioRESTClient.pathSegment(task.workspace))/Tasks/\(TwilioRESTClient.pathSegment(task.sid))"
        _ = try await send("update_task", .POST, url, form: form, settings: settings)
    }

    private func channelURL(_ settings: FlexSettings, _ channel: String) -> String {
        settings.chatBaseURL + "/v2/Services/\(TwilioRESTClient.pathSegment(settings.chatServiceSid))/Channels/\(TwilioRESTClient.pathSegment(channel))"
    }

    private func send(_ operation: String, _ method: TwilioRESTClient.Method, _ url: String, form: TwilioForm?,
                      settings: FlexSettings) async throws(FlexError) -> TemplateMap {
        try await rest.send(operation, method, url, form: form, settings: settings)
    }
}

extension TwilioRESTClient {
    /// A Flex call with the integration's credentials; a failure is a `FlexError`.
    func send(_ operation: String, _ method: Method, _ url: String, form: TwilioForm?,
              settings: FlexSettings) async throws(FlexError) -> TemplateMap {
        do {
            return try await send(operation, method, url, form: form, credentials: settings.credentials)
        } catch {
            throw .call(error)
        }
    }
}
