import Foundation
import TwilioWire

/// The agent API's views of tasks, channels, messages and deliveries: what an agent's screen
/// needs, with attributes as JSON objects rather than JSON text. `AgentClient` decodes them.
struct AgentJSON {
    let state: EmulatorState

    func info(configuration: TwilioEmulator.Configuration) async -> EmulatorJSON {
        let chat = await state.chatService, workspace = await state.workspace
        return [
            "version": .int(await state.version),
            "development_emulator": true,
            "account_sid": .string(configuration.accountSid),
            "api_key_sid": .string(configuration.apiKeySid),
            "flex_flow_sid": .string(configuration.flexFlowSid),
            "chat_service_sid": .string(configuration.chatServiceSid),
            "workspace_sid": .string(configuration.workspaceSid),
            "workflow_sid": .string(configuration.workflowSid),
            "task_queue_sid": .string(configuration.taskQueueSid),
            "chat_webhook_url": RESTSupport.optional(chat.postWebhookURL),
            "chat_webhook_filters": .array(chat.webhookFilters.map { .string($0) }),
            "taskrouter_callback_url": RESTSupport.optional(workspace.eventCallbackURL),
            "taskrouter_events_filter": .array(workspace.eventsFilter.map { .string($0) }),
            "workers": .array(await state.workers.map { worker($0.worker) }),
        ]
    }

    func worker(_ worker: TwilioEmulator.Worker) -> EmulatorJSON {
        ["sid": .string(worker.sid), "name": .string(worker.name), "display_name": .string(worker.displayName),
         "attributes": Self.object(worker.attributes)]
    }

    func tasks() async -> [EmulatorJSON] {
        var views: [EmulatorJSON] = []
        for task in await state.allTasks { views.append(await self.task(task)) }
        return views
    }

    func task(_ task: RouterTask) async -> EmulatorJSON {
        let reservation = await state.currentReservation(of: task)
        let worker = await state.worker(of: task)
        let channel = await state.channels[task.channelSid]
        var customer: EmulatorJSON = channel.map { ["identity": .string($0.userIdentity), "friendly_name": .string(Self.customerName($0))] } ?? .null
        if task.taskChannel == .voice, let call = await state.calls[task.channelSid] {
            customer = ["identity": .string(call.from), "friendly_name": .string(call.callerName ?? call.from)]
        }
        return [
            "sid": .string(task.sid),
            "status": .string(task.status.rawValue),
            "friendly_name": .string(task.friendlyName),
            "attributes": Self.object(task.attributes),
            "channel_sid": .string(task.channelSid),
            "task_channel": .string(task.taskChannel.rawValue),
            "customer": customer,
            "reservation": reservation.map { ["sid": .string($0.sid), "status": .string($0.status.rawValue)] } ?? .null,
            "worker": worker.map { self.worker($0.worker) } ?? .null,
            "reason": RESTSupport.optional(task.reason),
            "date_created": RESTSupport.date(task.dateCreated),
            "age": .int(max(0, Int(Date().timeIntervalSince(task.dateCreated)))),
            "task_version": .int(task.version),
        ]
    }

    func channel(_ channel: ChatChannel) -> EmulatorJSON {
        [
            "sid": .string(channel.sid),
            "friendly_name": .string(channel.friendlyName),
            "unique_name": RESTSupport.optional(channel.uniqueName),
            "attributes": Self.object(channel.attributes),
            "status": RESTSupport.optional(channel.conversation?.state ?? channel.status),
            "task_sid": RESTSupport.optional(channel.taskSid),
            "customer_identity": .string(channel.userIdentity),
        ]
    }

    func messages(of channel: ChatChannel) async -> [EmulatorJSON] {
        var views: [EmulatorJSON] = []
        for message in channel.messages { views.append(await self.message(message, in: channel)) }
        return views
    }

    /// A message with its author's role: `agent` (a worker), `customer` (the channel's end
    /// user) or `bot` (anyone else, e.g. the bot's own notices).
    func message(_ message: ChatMessage, in channel: ChatChannel) async -> EmulatorJSON {
        let workerNames = Set(await state.workers.map(\.worker.name))
        let role = workerNames.contains(message.from) ? "agent" : message.from == channel.userIdentity ? "customer" : "bot"
        return [
            "sid": .string(message.sid),
            "index": .int(message.index),
            "from": .string(message.from),
            "role": .string(role),
            "body": .string(message.body),
            "attributes": Self.object(message.attributes),
            "media_sid": RESTSupport.optional(message.mediaSid),
            "date_created": .string(TwilioTime.webhook(message.dateCreated)),
        ]
    }

    func deliveries() async -> [EmulatorJSON] {
        await state.deliveries.map { delivery in
            [
                "id": .int(delivery.id),
                "event_type": .string(delivery.eventType),
                "target": .string(delivery.target.rawValue),
                "url": RESTSupport.optional(delivery.url),
                "resource_sid": .string(delivery.resourceSid),
                "channel_sid": .string(delivery.channelSid),
                "idempotency_token": .string(delivery.idempotencyToken),
                "status": .string(delivery.status.rawValue),
                "attempts": .array(delivery.attempts.map { attempt in
                    ["at": .string(attempt.at), "status_code": attempt.statusCode.map { .int($0) } ?? .null,
                     "error": RESTSupport.optional(attempt.error)]
                }),
                "fields": .array(delivery.fields.map { [.string($0.name), .string($0.value)] }),
            ]
        }
    }

    /// `text` as JSON when it is JSON, else as a string.
    static func object(_ text: String) -> EmulatorJSON {
        (try? EmulatorJSON(parsing: text)) ?? .string(text)
    }

    /// How the agent sees the customer: the channel's `from` attribute (Programmable Chat), the
    /// customer participant's `friendlyName` attribute (Conversations), else the identity.
    static func customerName(_ channel: ChatChannel) -> String {
        if let details = channel.conversation {
            let customer = details.participants.first { $0.identity == channel.userIdentity || $0.bindingAddress == channel.userIdentity }
            return customer.flatMap { (try? EmulatorJSON(parsing: $0.attributes))?["friendlyName"]?.stringValue } ?? channel.userIdentity
        }
        return (try? EmulatorJSON(parsing: channel.attributes))?["from"]?.stringValue ?? channel.userIdentity
    }
}
