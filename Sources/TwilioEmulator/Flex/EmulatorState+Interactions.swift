import Foundation
import TwilioWire

/// Flex Interactions v1 (flex-conversations.md §Q2): `POST /v1/Interactions` routes an existing
/// conversation to an agent through a TaskRouter task; `POST /v1/Interactions/{KD}/Channels/{UO}`
/// closes (or parks) it.
extension EmulatorState {
    /// The channel types the Interactions API takes (twilio-oai `interaction_channel_enum_type`).
    static let interactionChannelTypes: Set<String> = ["voice", "sms", "email", "web", "whatsapp", "chat", "messenger", "gbm"]

    /// Creates the interaction for `Channel.properties.media_channel_sid` and its task, with the
    /// attributes Flex adds (`conversationSid`, `channelType`, `customerName`,
    /// `customerAddress`, `flexInteractionSid`, `flexInteractionChannelSid`, `conversations`)
    /// before the caller's `Routing.properties.attributes` (a caller's key wins).
    func createInteraction(_ form: TwilioForm) throws(TwilioRESTError) -> (InteractionRecord, RouterTask) {
        let channelJSON = try Self.jsonObject(try Self.required("Channel", in: form), name: "Channel")
        let routingJSON = try Self.jsonObject(form["Routing"] ?? "{}", name: "Routing")
        guard let type = channelJSON["type"]?.stringValue, Self.interactionChannelTypes.contains(type) else {
            throw TwilioRESTError.invalidParameter("Channel", "`type` must be one of \(Self.interactionChannelTypes.sorted().joined(separator: ", "))")
        }
        guard let conversationSid = channelJSON["properties"]?["media_channel_sid"]?.stringValue,
              var conversation = channels[conversationSid], conversation.conversation != nil else {
            throw TwilioRESTError.invalidParameter("Channel", "`properties.media_channel_sid` must name a conversation (CH…) of the account")
        }
        let properties = routingJSON["properties"] ?? [:]
        guard properties["workspace_sid"]?.stringValue == configuration.workspaceSid else {
            throw TwilioRESTError.invalidParameter("Routing", "`properties.workspace_sid` must be the workspace \(configuration.workspaceSid)")
        }
        guard properties["workflow_sid"]?.stringValue == configuration.workflowSid else {
            throw TwilioRESTError.invalidParameter("Routing", "`properties.workflow_sid` must be the workflow \(configuration.workflowSid)")
        }
        var callerAttributes: [EmulatorJSON.Member] = []
        if let attributes = properties["attributes"] {
            guard let members = attributes.members else {
                throw TwilioRESTError.invalidParameter("Routing", "`properties.attributes` must be a JSON object")
            }
            callerAttributes = members
        }
        let initiatedBy = channelJSON["initiated_by"]?.stringValue ?? "customer"
        let now = Date()
        let interaction = InteractionRecord(sid: TwilioSID.random("KD"), channelSid: TwilioSID.random("UO"), channelType: type,
                                            channelStatus: "active", routing: routingJSON.text, taskSid: TwilioSID.random("WT"),
                                            dateCreated: now, participants: [InteractionParticipant(sid: TwilioSID.random("UT"), type: "customer")])
        let customer = conversation.userIdentity
        let customerName = callerAttributes.last { $0.key == "customerName" }?.value.stringValue ?? customer
        let callerKeys = Set(callerAttributes.map(\.key))
        let flexAttributes: [EmulatorJSON.Member] = [
            .init("customerAddress", .string(customer)), .init("conversationSid", .string(conversationSid)),
            .init("channelType", .string(type)), .init("customers", ["name": .string(customerName)]),
            .init("conversations", ["initiated_by": .string(initiatedBy), "conversation_id": .string(interaction.sid),
                                    "media": [["type": "ChatTranscript", "sid": .string(conversationSid)]]]),
            .init("customerName", .string(customerName)), .init("flexInteractionChannelSid", .string(interaction.channelSid)),
            .init("initiatedBy", .string(initiatedBy)), .init("flexInteractionSid", .string(interaction.sid)),
            .init("direction", "inbound"),
        ]
        let attributes = EmulatorJSON.object(flexAttributes.filter { !callerKeys.contains($0.key) } + callerAttributes)
        conversation.conversation?.interaction = interaction
        conversation.taskSid = interaction.taskSid
        channels[conversationSid] = conversation
        openTask(interaction.taskSid, attributes: attributes.text, channelSid: conversationSid,
                 friendlyName: conversation.friendlyName.isEmpty ? customerName : conversation.friendlyName, now: now)
        logger.info("interaction created", metadata: ["conversation": "\(conversationSid)", "interaction": "\(interaction.sid)",
                                                      "task": "\(interaction.taskSid)"])
        changed()
        guard let task = tasks[interaction.taskSid] else { throw TwilioRESTError(code: 20500, message: "task lost", status: 500) }
        return (interaction, task)
    }

    /// The interaction `sid` and its conversation.
    func interaction(_ sid: String) throws(TwilioRESTError) -> (InteractionRecord, ChatChannel) {
        for channel in channels.values {
            if let interaction = channel.conversation?.interaction, interaction.sid == sid { return (interaction, channel) }
        }
        throw TwilioRESTError.notFound(path: "/v1/Interactions/\(sid)")
    }

    /// `Status=closed`: the channel closes and so does the conversation; a waiting task is
    /// canceled, an assigned one wraps up (completed with `Routing={"status":"closed"}`).
    /// `Status=inactive` parks it: `Routing={"status":"closed"}` is required and ends the task.
    func updateInteractionChannel(interaction sid: String, channel channelSid: String,
                                  form: TwilioForm) throws(TwilioRESTError) -> InteractionRecord {
        var (interaction, conversation) = try self.interaction(sid)
        guard interaction.channelSid == channelSid else {
            throw TwilioRESTError.notFound(path: "/v1/Interactions/\(sid)/Channels/\(channelSid)")
        }
        let status = try Self.required("Status", in: form)
        guard ["closed", "inactive"].contains(status) else {
            throw TwilioRESTError.invalidParameter("Status", "`\(status)` is not one of closed, inactive")
        }
        let routing = try form["Routing"].map { text throws(TwilioRESTError) in try Self.jsonObject(text, name: "Routing") }
        let closesTasks = routing?["status"]?.stringValue == "closed"
        if status == "inactive", !closesTasks {
            throw TwilioRESTError.invalidParameter("Routing", "Routing status is required when the channel status is inactive: {\"status\":\"closed\"}")
        }
        interaction.channelStatus = status
        conversation.conversation?.interaction = interaction
        channels[conversation.sid] = conversation
        if let task = tasks[interaction.taskSid] {
            switch task.status {
            case .pending, .reserved: cancel(taskSid: task.sid, reason: "Interaction channel \(status)")
            case .assigned where !closesTasks: wrap(taskSid: task.sid)
            case .assigned, .wrapping: if closesTasks { finish(taskSid: task.sid, reason: "Interaction channel \(status)", agentIdentity: nil) }
            case .canceled, .completed: break
            }
        }
        if status == "closed" { setConversationState(conversation.sid, to: "closed", reason: "API", announce: false) }
        changed()
        return interaction
    }

    /// The agent who accepted joins the interaction's channel (Flex does this on accept).
    func joinInteraction(of task: RouterTask) {
        guard var channel = channels[task.channelSid], var interaction = channel.conversation?.interaction,
              interaction.taskSid == task.sid, let reservation = currentReservation(of: task),
              !interaction.participants.contains(where: { $0.reservationSid == reservation.sid }) else { return }
        interaction.participants.append(InteractionParticipant(sid: TwilioSID.random("UT"), type: "agent", workerSid: reservation.workerSid,
                                                               reservationSid: reservation.sid))
        channel.conversation?.interaction = interaction
        channels[channel.sid] = channel
    }

    /// `POST …/Channels/{UO}/Participants/{UT}` `Status=closed|wrapup`: an agent leaving (Flex
    /// UI's "End chat") wraps their task up; the customer's status is only recorded.
    func updateInteractionParticipant(interaction sid: String, channel channelSid: String, participant participantSid: String,
                                      form: TwilioForm) throws(TwilioRESTError) -> (InteractionRecord, InteractionParticipant) {
        var (interaction, conversation) = try self.interaction(sid)
        let path = "/v1/Interactions/\(sid)/Channels/\(channelSid)/Participants/\(participantSid)"
        guard interaction.channelSid == channelSid,
              let index = interaction.participants.firstIndex(where: { $0.sid == participantSid }) else { throw TwilioRESTError.notFound(path: path) }
        let status = try Self.required("Status", in: form)
        guard ["closed", "wrapup"].contains(status) else {
            throw TwilioRESTError.invalidParameter("Status", "`\(status)` is not one of closed, wrapup")
        }
        interaction.participants[index].status = status
        conversation.conversation?.interaction = interaction
        channels[conversation.sid] = conversation
        if interaction.participants[index].type == "agent", let task = tasks[interaction.taskSid], task.status == .assigned {
            wrap(taskSid: task.sid)
        }
        changed()
        return (interaction, interaction.participants[index])
    }

    /// A JSON object in a form parameter (`Channel`, `Routing`).
    private static func jsonObject(_ text: String, name: String) throws(TwilioRESTError) -> EmulatorJSON {
        guard let value = try? EmulatorJSON(parsing: text), value.members != nil else {
            throw TwilioRESTError.invalidParameter(name, "must be a JSON object")
        }
        return value
    }
}
