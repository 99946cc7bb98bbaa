import Foundation
import TwilioWire

/// Flex API: `POST /v1/Channels` and the resource it creates (spec §a.1).
extension EmulatorState {
    /// Creates the chat user (or reuses the identity's), the channel and its task (`openTask`).
    func createFlexChannel(_ form: TwilioForm) throws(TwilioRESTError) -> ChatChannel {
        let flexFlowSid = try Self.required("FlexFlowSid", in: form)
        let identity = try Self.required("Identity", in: form)
        let userFriendlyName = try Self.required("ChatUserFriendlyName", in: form)
        let chatFriendlyName = try Self.required("ChatFriendlyName", in: form)
        guard flexFlowSid == configuration.flexFlowSid else {
            throw TwilioRESTError.invalidParameter("FlexFlowSid", "the account has no Flex Flow \(flexFlowSid); "
                                                    + "the emulator's is \(configuration.flexFlowSid)")
        }
        var callerAttributes: [EmulatorJSON.Member] = []
        if let text = form["TaskAttributes"], !text.isEmpty {
            guard case .object(let members)? = try? EmulatorJSON(parsing: text) else {
                throw TwilioRESTError.invalidParameter("TaskAttributes", "must be a JSON object")
            }
            callerAttributes = members
        }
        let uniqueName = form["ChatUniqueName"].flatMap { $0.isEmpty ? nil : $0 }
        if let uniqueName, channels.values.contains(where: { $0.uniqueName == uniqueName }) {
            throw TwilioRESTError(code: 50307, message: "Channel with provided unique name already exists", status: 409)
        }
        let longLived: Bool
        switch form["LongLived"]?.lowercased() {
        case nil, "", "false": longLived = false
        case "true": longLived = true
        case let other?: throw TwilioRESTError.invalidParameter("LongLived", "`\(other)` is not true or false")
        }

        let now = Date()
        let user = users[identity] ?? ChatUser(sid: TwilioSID.random("US"), identity: identity, friendlyName: userFriendlyName, dateCreated: now)
        users[identity] = user
        let channelSid = TwilioSID.random("CH"), taskSid = TwilioSID.random("WT")

        var channelAttributes: [EmulatorJSON.Member] = [
            .init("task_sid", .string(taskSid)), .init("from", .string(userFriendlyName)),
            .init("channel_type", .string(configuration.channelType)), .init("status", "ACTIVE"),
            .init("long_lived", .bool(longLived)),
        ]
        if let data = form["PreEngagementData"], !data.isEmpty {
            channelAttributes.append(.init("pre_engagement_data", (try? EmulatorJSON(parsing: data)) ?? .string(data)))
        }
        let channel = ChatChannel(sid: channelSid, friendlyName: chatFriendlyName, uniqueName: uniqueName,
                                  attributes: EmulatorJSON.object(channelAttributes).text, flexFlowSid: flexFlowSid,
                                  userSid: user.sid, userIdentity: identity, taskSid: taskSid, dateCreated: now, dateUpdated: now)
        channels[channelSid] = channel
        channelOrder.append(channelSid)

        // Flex's own keys first, the caller's after (a caller's key wins), as the fixtures show.
        let callerKeys = Set(callerAttributes.map(\.key))
        var taskAttributes: [EmulatorJSON.Member] = [
            .init("channelSid", .string(channelSid)), .init("channelType", .string(configuration.channelType)),
            .init("name", .string(userFriendlyName)), .init("from", .string(userFriendlyName)),
        ].filter { !callerKeys.contains($0.key) }
        taskAttributes += callerAttributes
        if !callerKeys.contains("conversations") {
            taskAttributes.append(.init("conversations", ["conversation_id": .string(taskSid)]))
        }
        openTask(taskSid, attributes: EmulatorJSON.object(taskAttributes).text, channelSid: channelSid, friendlyName: chatFriendlyName,
                 now: now)
        logger.info("handoff created", metadata: ["channel": "\(channelSid)", "task": "\(taskSid)"])
        changed()
        return channel
    }

    func flexChannel(_ sid: String) throws(TwilioRESTError) -> ChatChannel {
        guard let channel = channels[sid] else { throw TwilioRESTError.notFound(path: "/v1/Channels/\(sid)") }
        return channel
    }

    var flexChannels: [ChatChannel] {
        channelOrder.compactMap { channels[$0] }.filter { $0.conversation == nil }
    }

    func deleteFlexChannel(_ sid: String) throws(TwilioRESTError) {
        guard channels.removeValue(forKey: sid) != nil else { throw TwilioRESTError.notFound(path: "/v1/Channels/\(sid)") }
        channelOrder.removeAll { $0 == sid }
        changed()
    }

    /// Makes a pending task for a chat (or a call), queues `task-queue.entered`, and offers it
    /// to a worker (`reservation.created`) when there is one.
    func openTask(_ taskSid: String, attributes: String, channelSid: String, friendlyName: String, now: Date,
                  taskChannel: TaskChannel = .chat, priority: Int = 0) {
        var task = RouterTask(sid: taskSid, attributes: attributes, status: .pending, priority: priority, channelSid: channelSid,
                              taskChannel: taskChannel, friendlyName: friendlyName, dateCreated: now, dateUpdated: now, queueEnteredDate: now)
        tasks[taskSid] = task
        taskOrder.append(taskSid)
        emitTaskEvent("task-queue.entered", "Task \(taskSid) entered TaskQueue \(configuration.taskQueueSid)", task: task)
        guard let workerIndex = workerForNextOffer() else { return }
        let reservation = Reservation(sid: TwilioSID.random("WR"), taskSid: taskSid, workerSid: workers[workerIndex].worker.sid,
                                      status: .pending, dateCreated: now, dateUpdated: now)
        reservations[reservation.sid] = reservation
        task.status = .reserved
        task.version += 1
        task.reservationSids.append(reservation.sid)
        tasks[taskSid] = task
        emitReservationEvent("reservation.created", "Reservation \(reservation.sid) created for Worker \(reservation.workerSid)",
                             reservation: reservation)
    }

    /// The worker with the fewest open reservations (the first on a tie); nil without workers.
    private func workerForNextOffer() -> Int? {
        let open = reservations.values.filter { [.pending, .accepted, .wrapping].contains($0.status) }
        return workers.indices.min { left, right in
            open.count(where: { $0.workerSid == workers[left].worker.sid }) < open.count(where: { $0.workerSid == workers[right].worker.sid })
        }
    }

    // MARK: Helpers shared by the REST handlers

    static func required(_ name: String, in form: TwilioForm) throws(TwilioRESTError) -> String {
        guard let value = form[name], !value.isEmpty else { throw TwilioRESTError.missingParameter(name) }
        return value
    }

    /// Queues a task-scoped TaskRouter event (no reservation fields).
    func emitTaskEvent(_ type: String, _ description: String, task: RouterTask, resourceType: String = "task") {
        let event = TaskRouterEvent(eventType: type, description: description, resourceType: resourceType, resourceSid: task.sid, task: task)
        enqueue(.taskrouter, eventType: type, resourceSid: task.sid, channelSid: task.channelSid,
                form: event.form(configuration: configuration, now: Date()))
    }

    /// Queues a reservation event, with the task and worker as they are now.
    func emitReservationEvent(_ type: String, _ description: String, reservation: Reservation) {
        guard let task = tasks[reservation.taskSid] else { return }
        let worker = workers.first { $0.worker.sid == reservation.workerSid }
        let event = TaskRouterEvent(eventType: type, description: description, resourceType: "reservation",
                                    resourceSid: reservation.sid, task: task, reservation: reservation, worker: worker)
        enqueue(.taskrouter, eventType: type, resourceSid: reservation.sid, channelSid: task.channelSid,
                form: event.form(configuration: configuration, now: Date()))
    }
}
