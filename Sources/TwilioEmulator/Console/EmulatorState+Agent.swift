import Foundation
import TwilioWire

/// What the agent does in the console or through `/emulator/api/`: accept, chat, end the
/// chat, complete, cancel. Each checks the task's state and answers a clear conflict when it does not fit.
extension EmulatorState {
    func agentTask(_ sid: String) throws(AgentAPIError) -> RouterTask {
        guard let task = tasks[sid] else { throw .notFound("no task \(sid)") }
        return task
    }

    func agentChannel(_ sid: String) throws(AgentAPIError) -> ChatChannel {
        guard let channel = channels[sid] else { throw .notFound("no channel \(sid)") }
        return channel
    }

    /// The worker holding (or offered) the task.
    func worker(of task: RouterTask) -> WorkerState? {
        guard let reservation = currentReservation(of: task) else { return nil }
        return workers.first { $0.worker.sid == reservation.workerSid }
    }

    func agentAccept(taskSid: String) throws(AgentAPIError) -> RouterTask {
        let task = try agentTask(taskSid)
        guard task.status == .reserved, currentReservation(of: task)?.status == .pending else {
            throw .conflict("task \(taskSid) is \(task.status.rawValue); only a reserved task (offered to an agent) can be accepted")
        }
        accept(taskSid: taskSid)
        connectAgent(of: task)
        joinConversation(of: task)
        joinInteraction(of: tasks[taskSid] ?? task)
        changed()
        return tasks[taskSid] ?? task
    }

    /// Flex adds the accepting agent to a task's conversation as a chat participant.
    private func joinConversation(of task: RouterTask) {
        guard var channel = channels[task.channelSid], channel.conversation != nil, let worker = worker(of: task),
              channel.conversation?.participants.contains(where: { $0.identity == worker.worker.name }) == false else { return }
        let now = Date()
        channel.conversation?.participants.append(ConversationParticipant(
            sid: TwilioSID.random("MB"), identity: worker.worker.name, attributes: "{}", bindingAddress: nil, bindingProxyAddress: nil,
            roleSid: nil, dateCreated: now, dateUpdated: now))
        channels[channel.sid] = channel
    }

    /// A message from the agent holding the channel's task: stored, then `onMessageSent` with
    /// `From` and `ClientIdentity` the worker's identity and `Source=SDK`. A body starting
    /// with `/` is an agent command; it travels as a normal message.
    func agentMessage(channelSid: String, body: String, attributes: EmulatorJSON?) throws(AgentAPIError) -> ChatMessage {
        var (channel, worker, attributesText) = try agentAuthor(channelSid: channelSid, body: body, attributes: attributes)
        let message: ChatMessage
        if channel.conversation != nil {
            message = appendConversationMessage(to: &channel, author: worker.worker.name, body: body, attributes: attributesText, mediaSid: nil)
            announceMessage(message, in: channel, source: "SDK", clientIdentity: worker.worker.name)
        } else {
            message = appendMessage(to: &channel, from: worker.worker.name, body: body, attributes: attributesText, mediaSid: nil)
            enqueue(.chat, eventType: "onMessageSent", resourceSid: channelSid, channelSid: channelSid,
                    form: ChatEvent.messageSent(message, channel: channel, source: "SDK", clientIdentity: worker.worker.name,
                                                configuration: configuration))
        }
        changed()
        return message
    }

    /// The pre-event webhook to ask before the agent's message is added to a conversation
    /// (`onMessageAdd`, when the service's `PreWebhookUrl` is set and its filters name it), as a
    /// delivery to send; nil when there is none to ask.
    func agentPreEvent(channelSid: String, body: String, attributes: EmulatorJSON?) throws(AgentAPIError) -> WebhookDelivery? {
        let (channel, worker, attributesText) = try agentAuthor(channelSid: channelSid, body: body, attributes: attributes)
        guard channel.conversation != nil, let url = serviceWebhooks.preWebhookURL, serviceWebhooks.wants("onMessageAdd") else { return nil }
        let participant = channel.conversation?.participants.first { $0.identity == worker.worker.name }?.sid
        let form = ConversationEvent.messageAdd(author: worker.worker.name, participantSid: participant, body: body,
                                                attributes: attributesText, channel: channel, configuration: configuration)
        return WebhookDelivery(id: 0, eventType: "onMessageAdd", target: .conversations, url: url, resourceSid: channel.sid,
                               channelSid: channel.sid, idempotencyToken: UUID().uuidString.lowercased(), status: .pending,
                               fields: form.fields)
    }

    /// Records a pre-event webhook once it was asked, in the event list with the others.
    func recordPreEvent(_ delivery: WebhookDelivery) {
        var delivery = delivery
        delivery.id = deliveries.count + 1
        deliveries.append(delivery)
        changed()
    }

    /// The channel and the agent holding its task, for a message of theirs; the attributes as text.
    private func agentAuthor(channelSid: String, body: String,
                             attributes: EmulatorJSON?) throws(AgentAPIError) -> (ChatChannel, WorkerState, String) {
        let channel = try agentChannel(channelSid)
        guard let taskSid = channel.taskSid, let task = tasks[taskSid], task.status == .assigned || task.status == .wrapping,
              let worker = worker(of: task) else {
            throw .conflict("the task of channel \(channelSid) is not assigned to an agent; accept it first")
        }
        guard !body.isEmpty else { throw .badRequest("the message body is empty") }
        guard let attributes else { return (channel, worker, "{}") }
        guard case .object = attributes else { throw .badRequest("`attributes` must be a JSON object") }
        return (channel, worker, attributes.text)
    }

    /// Flex's "End chat" (on a call, hanging up): the agent leaves the chat and the task wraps up (`reservation.wrapup`,
    /// `task.wrapup`). In Flex Conversations the agent's interaction participant closes (as
    /// `POST …/Participants/{UT}` `Status=closed` does); in Programmable Chat the channel turns
    /// INACTIVE (`onChannelUpdated`). Completing comes after.
    func agentEndChat(taskSid: String) throws(AgentAPIError) -> RouterTask {
        let task = try agentTask(taskSid)
        guard task.status == .assigned, let worker = worker(of: task) else {
            throw .conflict("task \(taskSid) is \(task.status.rawValue); only an assigned task's chat can be ended")
        }
        if task.taskChannel == .voice {
            // The agent hangs up; the call's end wraps the task up.
            agentHangUp(of: task)
            changed()
            return tasks[taskSid] ?? task
        }
        if let interaction = channels[task.channelSid]?.conversation?.interaction,
           let agent = interaction.participants.last(where: { $0.type == "agent" && $0.workerSid == worker.worker.sid }) {
            do {
                _ = try updateInteractionParticipant(interaction: interaction.sid, channel: interaction.channelSid, participant: agent.sid,
                                                     form: ["Status": "closed"])
            } catch {
                throw .conflict("the agent could not leave the interaction: \(error.message)")
            }
        } else {
            deactivateChannel(task.channelSid, announcingAs: worker.worker.name)
            wrap(taskSid: taskSid)
        }
        changed()
        return tasks[taskSid] ?? task
    }

    func agentComplete(taskSid: String, reason: String?) throws(AgentAPIError) -> RouterTask {
        let task = try agentTask(taskSid)
        guard task.status == .assigned || task.status == .wrapping, let worker = worker(of: task) else {
            throw .conflict("task \(taskSid) is \(task.status.rawValue); only an assigned task can be completed")
        }
        agentHangUp(of: task)
        finish(taskSid: taskSid, reason: reason.flatMap { $0.isEmpty ? nil : $0 } ?? "Chat completed by agent",
               agentIdentity: worker.worker.name)
        changed()
        return tasks[taskSid] ?? task
    }

    func agentCancel(taskSid: String, reason: String?) throws(AgentAPIError) -> RouterTask {
        let task = try agentTask(taskSid)
        guard task.status == .pending || task.status == .reserved else {
            throw .conflict("task \(taskSid) is \(task.status.rawValue); only a waiting (pending or reserved) task can be canceled")
        }
        cancel(taskSid: taskSid, reason: reason.flatMap { $0.isEmpty ? nil : $0 } ?? "Task canceled in the emulator")
        changed()
        return tasks[taskSid] ?? task
    }
}

/// Why an agent API call was refused; each case maps to an HTTP status.
enum AgentAPIError: Error, CustomStringConvertible, Equatable {
    case notFound(String)
    case conflict(String)
    case badRequest(String)
    /// The Conversations pre-event webhook refused the action (as the SDK would show the agent).
    case blocked(String)

    var description: String {
        switch self {
        case .notFound(let message), .conflict(let message), .badRequest(let message), .blocked(let message): message
        }
    }

    var status: Int {
        switch self {
        case .notFound: 404
        case .conflict: 409
        case .badRequest: 400
        case .blocked: 422
        }
    }
}
