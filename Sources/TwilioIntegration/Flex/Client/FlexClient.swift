import FlowDSL
import TwilioWire

/// Twilio's REST API as the Flex (Programmable Chat) handoff uses it: create the Flex chat
/// channel, post messages into it, close it, complete the task. Calls go through the shared
/// `TwilioRESTClient`; its errors become `FlexError`s.
struct FlexClient: Sendable {
    let rest: TwilioRESTClient

    // MARK: Operations

    /// `POST /v1/Channels`: a Flex chat channel (and, for a task-type Flex Flow, its task).
    func createChannel(_ settings: FlexSettings, form: TwilioForm) async throws(FlexError) -> TemplateMap {
        try await send("create_channel", .POST, settings.flexBaseURL + "/v1/Channels", form: form, settings: settings)
    }

    /// `POST /v2/Services/{IS}/Channels/{CH}/Messages`, without `X-Twilio-Webhook-Enabled`, so
    /// the message does not come back as `onMessageSent`.
    @discardableResult
    func sendMessage(_ settings: FlexSettings, channel: String, from: String, body: String,
                     attributes: String? = nil) async throws(FlexError) -> TemplateMap {
        var form = TwilioForm()
        form.append("From", from)
        form.append("Body", body)
        if let attributes { form.append("Attributes", attributes) }
        return try await send("send_message", .POST, channelURL(settings, channel) + "/Messages", form: form, settings: settings)
    }

    /// Marks the channel INACTIVE, keeping its other attributes (`POST /v2/Services/{IS}/Channels/{CH}`).
    func closeChannel(_ settings: FlexSettings, channel: String) async throws(FlexError) {
        var attributes = TemplateMap()
        if let current = try? await send("read_channel", .GET, channelURL(settings, channel), form: nil, settings: settings),
           case .string(let text)? = current["attributes"], case .map(let map)? = try? TemplateValue(jsonText: text) {
            attributes = map
        }
        attributes["status"] = .string("INACTIVE")
        var form = TwilioForm()
        form.append("Attributes", TemplateValue.map(attributes).jsonText)
        _ = try await send("close_channel", .POST, channelURL(settings, channel), form: form, settings: settings)
    }

    /// Sets a TaskRouter task's assignment status (`completed` or `canceled`) with a reason.
    func updateTask(_ settings: FlexSettings, workspace: String, task: String, status: String,
                    reason: String) async throws(FlexError) {
        var form = TwilioForm()
        form.append("AssignmentStatus", status)
        form.append("Reason", reason)
        let url = settings.taskRouterBaseURL + "/v1/Workspaces/\(TwilioRESTClient.pathSegment(workspace))/Tasks/\(TwilioRESTClient.pathSegment(task))"
        _ = try await send("update_task", .POST, url, form: form, settings: settings)
    }

    private func channelURL(_ settings: FlexSettings, _ channel: String) -> String {
        settings.chatBaseURL + "/v2/Services/\(TwilioRESTClient.pathSegment(settings.chatServiceSid))/Channels/\(TwilioRESTClient.pathSegment(channel))"
    }

    private func send(_ operation: String, _ method: TwilioRESTClient.Method, _ url: String, form: TwilioForm?,
                      settings: FlexSettings) async throws(FlexError) -> TemplateMap {
        do {
            return try await rest.send(operation, method, url, form: form, credentials: settings.credentials)
        } catch {
            throw .call(error)
        }
    }
}
