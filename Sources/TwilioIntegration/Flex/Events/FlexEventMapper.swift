import BotRuntime
import FlowDSL
import TwilioWire

/// Turns a verified Twilio delivery into the event a thread handles (spec §10.3):
///
/// | Delivery | Event (sender) |
/// | --- | --- |
/// | Chat `onMessageSent` / `onMediaMessageSent`, Conversations `onMessageAdded`, from an agent | `meya.text.event.say` (agent), or `meya.csp.event.agent.command` when it starts with the command prefix |
/// | Conversations pre-event `onMessageAdd` of an agent's command | `meya.csp.event.agent.command` (agent); the message is blocked |
/// | the same from the user's own identity or the bot | nothing (an echo) |
/// | Chat `onChannelUpdated` with status `INACTIVE`, Conversations `onConversationStateUpdated` to `closed` | `meya.twilio.flex.event.channel_inactive` (system) |
/// | TaskRouter `task-queue.entered` | `…flex.event.task_queue_entered` (system) |
/// | TaskRouter `reservation.accepted` | `…flex.event.reservation_accepted` (system) |
/// | TaskRouter `reservation.completed`; in Flex Conversations also `reservation.wrapup`, `task.wrapup`, `task.completed` | `…flex.event.reservation_completed` (system; the thread takes the first) |
/// | TaskRouter `task.canceled` | `…flex.event.task_canceled` (system) |
/// | anything else (`reservation.created` …) | nothing |
enum FlexEventMapper {
    /// What a delivery becomes.
    enum Outcome: Sendable, Equatable {
        case event(Event)
        /// Nothing to file; the reason is for logs (ids only).
        case ignored(String)
    }

    /// Chat and TaskRouter event types that can become events (the others are answered
    /// without a thread lookup).
    static let handledTypes = Set([
        "onMessageSent", "onMediaMessageSent", "onChannelUpdated", "onMessageAdded", preMessage, "onConversationStateUpdated",
        "task-queue.entered", "reservation.accepted", "reservation.completed", "task.canceled",
    ]).union(conversationsTaskEnds)

    /// TaskRouter events that end a Flex Conversations task for the bot: the agent ended the
    /// chat (wrap-up) or completed the task, whichever comes first.
    static let conversationsTaskEnds: Set<String> = ["reservation.wrapup", "task.wrapup", "task.completed"]

    /// Conversations' pre-event webhook for a message about to be added: an agent's command is
    /// taken from it (and the message blocked, `FlexWebhookHandler`); other messages go on.
    static let preMessage = "onMessageAdd"

    /// Identities whose chat messages are the bot's own.
    static let botIdentities: Set<String> = ["bot", "system"]

    /// The event for `delivery` in thread `threadID`, whose handoff state is `state` (or, after
    /// the handoff, `ended`). `agentName` names an agent by chat identity (remembered from
    /// reservation.accepted). An agent's message to a chat that has just closed still reaches
    /// the user (its commands do not run: no agent has the thread any more).
    static func map(_ delivery: FlexDelivery, threadID: String, state: FlexThreadState?, ended: FlexEndedHandoff? = nil,
                    settings: FlexSettings, agentName: (String) -> String?) -> Outcome {
        let form = delivery.form
        let key = delivery.idempotencyKey
        func system(_ type: String, _ data: TemplateMap) -> Outcome {
            var data = data
            if let task = delivery.taskSid { data["task_sid"] = .string(task) }
            if let channel = delivery.channelSid { data["channel_sid"] = .string(channel) }
            if let workspace = form["WorkspaceSid"], !workspace.isEmpty { data["workspace_sid"] = .string(workspace) }
            // TaskRouter's own clock, for telling a late delivery from a new event.
            // A seconds value too large for milliseconds is no time at all (not a trap).
            let seconds = form["Timestamp"].flatMap { Int($0) }.flatMap { seconds -> Int? in
                let (milliseconds, overflow) = seconds.multipliedReportingOverflow(by: 1000)
                return overflow ? nil : milliseconds
            }
            if let time = form["TimestampMs"].flatMap({ Int($0) }) ?? seconds {
                data["event_ms"] = .int(time)
            }
            return .event(Event(type: type, threadID: threadID, sender: .system, userID: settings.integrationID, data: data,
                                idempotencyKey: key))
        }
        let attributes = TemplateValue.map(delivery.taskAttributes)
        switch delivery.eventType {
        case "onMessageSent", "onMediaMessageSent", "onMessageAdded", preMessage:
            let chat: (identity: String, agentName: String?, agentIdentity: String?)
            if let state {
                chat = (state.identity, state.agentName, state.agentIdentity)
            } else if let ended, delivery.channelSid == ended.channelSid {
                chat = (ended.identity, ended.agentName, nil)
            } else {
                return .ignored("the thread is not in a Flex chat")
            }
            let from = form["Author"] ?? form["From"] ?? form["ClientIdentity"] ?? ""
            if from == chat.identity || botIdentities.contains(from) { return .ignored("an echo of the thread's own message") }
            // Agents write from Flex's SDK; a customer's SMS or WhatsApp message (`Source=SMS` …)
            // is in the conversation for the agent already.
            if let source = form["Source"]?.uppercased(), !["SDK", "API"].contains(source) {
                return .ignored("a customer's message over \(source)")
            }
            let name = agentName(from) ?? (from == chat.agentIdentity ? chat.agentName : nil) ?? chat.agentName
                ?? AgentNameFormat.fallback
            var text = form["Body"] ?? ""
            var data: TemplateMap = [:]
            if let media = Self.media(form) {
                data["media"] = .map(media)
                if text.isEmpty, case .string(let name)? = media["filename"] ?? media["sid"] { text = "[attachment: \(name)]" }
            }
            let isCommand = !settings.agentCommandPrefix.isEmpty && text.hasPrefix(settings.agentCommandPrefix)
            if isCommand, state == nil { return .ignored("an agent command after the chat ended") }
            if delivery.eventType == preMessage, !isCommand { return .ignored("an agent's message about to be added; it comes back once it is") }
            data["text"] = .string(text)
            data["agent_name"] = .string(name)
            if let channel = delivery.channelSid { data["channel_sid"] = .string(channel) }
            return .event(Event(type: isCommand ? EventTypes.agentCommand : EventTypes.say, threadID: threadID, sender: .agent,
                                userID: from.isEmpty ? "agent" : from, data: data, idempotencyKey: key))
        case "onChannelUpdated":
            let channel = TwilioJSON.object(form["Attributes"])
            guard case .string(let status)? = channel["status"], status.uppercased() == "INACTIVE" else {
                return .ignored("a channel update that does not close the chat")
            }
            return system(FlexEventTypes.channelInactive, ["status": .string(status)])
        case "onConversationStateUpdated":
            guard form["StateTo"]?.lowercased() == "closed" else { return .ignored("a conversation state that does not close the chat") }
            return system(FlexEventTypes.channelInactive, ["status": .string("closed"), "reason": .string(form["Reason"] ?? "")])
        case let type where conversationsTaskEnds.contains(type):
            guard settings.mode == .conversations else { return .ignored("\(type) is not the end of a Programmable Chat task") }
            let worker = TwilioJSON.object(form["WorkerAttributes"])
            return system(FlexElements.Event.reservationCompleted, ["task_attributes": attributes, "worker_attributes": .map(worker),
                                                                   "twilio_event_type": .string(type)])
        case "task-queue.entered":
            return system(FlexElements.Event.taskQueueEntered, [
                "task_priority": .string(form["TaskPriority"] ?? "0"),
                "task_assignment_status": .string(form["TaskAssignmentStatus"] ?? ""),
                "task_attributes": attributes,
                "task_queue_name": .string(form["TaskQueueName"] ?? ""),
            ])
        case "reservation.accepted":
            let worker = TwilioJSON.object(form["WorkerAttributes"])
            var data: TemplateMap = [
                "agent_name": .string(Self.agentName(form, worker: worker, format: settings.agentName)),
                "task_attributes": attributes, "worker_attributes": .map(worker),
            ]
            if let identity = Self.agentIdentity(form, worker: worker) { data["agent_identity"] = .string(identity) }
            return system(FlexElements.Event.reservationAccepted, data)
        case "reservation.completed":
            let worker = TwilioJSON.object(form["WorkerAttributes"])
            return system(FlexElements.Event.reservationCompleted, ["task_attributes": attributes, "worker_attributes": .map(worker)])
        case "task.canceled":
            return system(FlexElements.Event.taskCanceled, [
                "task_attributes": attributes, "reason": .string(form["TaskCanceledReason"] ?? ""),
            ])
        default:
            return .ignored("\(delivery.eventType.isEmpty ? "no EventType" : delivery.eventType) needs no event")
        }
    }

    /// A message's attachment: Chat's `MediaSid` fields, or the first of Conversations'
    /// `Media` (a JSON array of `{Sid, Filename, ContentType, Size}`); nil when it has none.
    static func media(_ form: TwilioForm) -> TemplateMap? {
        if let media = form["MediaSid"], !media.isEmpty {
            var info: TemplateMap = ["sid": .string(media)]
            if let type = form["MediaContentType"] { info["content_type"] = .string(type) }
            if let file = form["MediaFilename"] { info["filename"] = .string(file) }
            if let size = form["MediaSize"].flatMap({ Int($0) }) { info["size"] = .int(size) }
            return info
        }
        return ConversationsAPI.media(form).first
    }

    /// The accepting agent's display name: the `agent.name` option over the worker's
    /// `full_name` attribute, else its `WorkerName`.
    static func agentName(_ form: TwilioForm, worker: TemplateMap, format: AgentNameFormat) -> String {
        var fullName: String?
        if case .string(let name)? = worker["full_name"], !name.isEmpty { fullName = name }
        return format.displayName(fullName: fullName ?? form["WorkerName"])
    }

    /// The accepting agent's chat identity: its `WorkerName` (Flex's chat identity for the
    /// worker), else the worker's `contact_uri` without `client:`.
    static func agentIdentity(_ form: TwilioForm, worker: TemplateMap) -> String? {
        if let name = form["WorkerName"], !name.isEmpty { return name }
        return contactIdentity(worker)
    }

    /// The identity in the worker's `contact_uri` (`client:alice_40example_2Ecom`).
    static func contactIdentity(_ worker: TemplateMap) -> String? {
        if case .string(let uri)? = worker["contact_uri"], uri.hasPrefix("client:"), uri.count > 7 {
            return String(uri.dropFirst(7))
        }
        return nil
    }
}
