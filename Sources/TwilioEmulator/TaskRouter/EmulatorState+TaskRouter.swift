import Foundation
import TwilioWire

/// TaskRouter: the workspace's event settings, tasks and their life cycle (spec §c).
extension EmulatorState {
    func checkWorkspace(_ workspaceSid: String, path: String) throws(TwilioRESTError) {
        guard workspaceSid == configuration.workspaceSid else { throw TwilioRESTError.notFound(path: path) }
    }

    /// `POST /v1/Workspaces/{WS}`: `EventCallbackUrl`, `EventsFilter` (comma-separated), `FriendlyName`.
    func updateWorkspace(_ workspaceSid: String, form: TwilioForm) throws(TwilioRESTError) -> WorkspaceSettings {
        try checkWorkspace(workspaceSid, path: "/v1/Workspaces/\(workspaceSid)")
        var settings = workspace
        if let url = form["EventCallbackUrl"] { settings.eventCallbackURL = try Self.webhookURL(url, name: "EventCallbackUrl") }
        if let filter = form["EventsFilter"] {
            settings.eventsFilter = filter.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        if let name = form["FriendlyName"], !name.isEmpty { settings.friendlyName = name }
        settings.dateUpdated = Date()
        workspace = settings
        logger.info("taskrouter callback settings changed", metadata: ["event_callback_url": "\(settings.eventCallbackURL ?? "none")"])
        changed()
        return settings
    }

    func workspaceSettings(_ workspaceSid: String) throws(TwilioRESTError) -> WorkspaceSettings {
        try checkWorkspace(workspaceSid, path: "/v1/Workspaces/\(workspaceSid)")
        return workspace
    }

    func task(workspace workspaceSid: String, sid: String) throws(TwilioRESTError) -> RouterTask {
        let path = "/v1/Workspaces/\(workspaceSid)/Tasks/\(sid)"
        try checkWorkspace(workspaceSid, path: path)
        guard let task = tasks[sid] else { throw TwilioRESTError.notFound(path: path) }
        return task
    }

    var allTasks: [RouterTask] { taskOrder.compactMap { tasks[$0] } }

    /// `POST /v1/Workspaces/{WS}/Tasks/{WT}`: `AssignmentStatus` (with `Reason` for completed
    /// and canceled), `Attributes`, `Priority`. Status changes follow TaskRouter's rules:
    /// only an assigned (or wrapping) task completes, only a pending or reserved one is canceled.
    func updateTask(workspace workspaceSid: String, sid: String, form: TwilioForm) throws(TwilioRESTError) -> RouterTask {
        var task = try self.task(workspace: workspaceSid, sid: sid)
        let status: TaskStatus?
        if let text = form["AssignmentStatus"] {
            guard let value = TaskStatus(rawValue: text) else {
                throw TwilioRESTError.invalidParameter("AssignmentStatus", "`\(text)` is not one of \(TaskStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            status = value
        } else {
            status = nil
        }
        var attributesChanged = false
        if let attributes = try Self.jsonAttributes(form["Attributes"], name: "Attributes"), attributes != task.attributes {
            task.attributes = attributes
            attributesChanged = true
        }
        if let text = form["Priority"] {
            guard let priority = Int(text) else { throw TwilioRESTError.invalidParameter("Priority", "`\(text)` is not an integer") }
            if priority != task.priority { task.priority = priority; attributesChanged = true }
        }
        if let status, status != task.status {
            // Validate before changing anything.
            let reason = form["Reason"].flatMap { $0.isEmpty ? nil : $0 }
            switch status {
            case .completed:
                guard task.status == .assigned || task.status == .wrapping else { throw Self.transition(task, to: status) }
                guard reason != nil else { throw TwilioRESTError.missingParameter("Reason") }
            case .canceled:
                guard task.status == .pending || task.status == .reserved else { throw Self.transition(task, to: status) }
                guard reason != nil else { throw TwilioRESTError.missingParameter("Reason") }
            case .wrapping:
                guard task.status == .assigned else { throw Self.transition(task, to: status) }
            case .pending, .reserved, .assigned:
                throw TwilioRESTError.invalidParameter("AssignmentStatus", "the emulator moves tasks to \(status.rawValue) itself; "
                                                        + "use completed, canceled or wrapping")
            }
            if attributesChanged { commitAttributes(&task) }
            switch status {
            case .completed: finish(taskSid: sid, reason: reason ?? "", agentIdentity: nil)
            case .canceled: cancel(taskSid: sid, reason: reason ?? "")
            default: wrap(taskSid: sid)
            }
        } else if attributesChanged {
            commitAttributes(&task)
        }
        changed()
        return tasks[sid] ?? task
    }

    private func commitAttributes(_ task: inout RouterTask) {
        task.version += 1
        task.dateUpdated = Date()
        tasks[task.sid] = task
        emitTaskEvent("task.updated", "Task \(task.sid) updated", task: task)
    }

    private static func transition(_ task: RouterTask, to status: TaskStatus) -> TwilioRESTError {
        TwilioRESTError(code: 20001, message: "Task \(task.sid) cannot move from \(task.status.rawValue) to \(status.rawValue)", status: 400)
    }

    // MARK: Transitions shared by REST and the agent

    /// The task's current reservation (the last one offered).
    func currentReservation(of task: RouterTask) -> Reservation? {
        task.reservationSids.last.flatMap { reservations[$0] }
    }

    /// Accepts the pending reservation: `reservation.accepted`, task assigned.
    func accept(taskSid: String) {
        guard var task = tasks[taskSid], var reservation = currentReservation(of: task), reservation.status == .pending else { return }
        let now = Date()
        reservation.status = .accepted
        reservation.dateUpdated = now
        reservations[reservation.sid] = reservation
        task.status = .assigned
        task.version += 1
        task.dateUpdated = now
        tasks[taskSid] = task
        bumpWorker(reservation.workerSid)
        emitReservationEvent("reservation.accepted", "Reservation \(reservation.sid) accepted by Worker \(reservation.workerSid)",
                             reservation: reservation)
    }

    /// Wrap-up: `reservation.wrapup`, `task.wrapup`.
    func wrap(taskSid: String) {
        guard var task = tasks[taskSid] else { return }
        task.status = .wrapping
        task.version += 1
        task.dateUpdated = Date()
        tasks[taskSid] = task
        if var reservation = currentReservation(of: task), reservation.status == .accepted {
            reservation.status = .wrapping
            reservation.dateUpdated = Date()
            reservations[reservation.sid] = reservation
            emitReservationEvent("reservation.wrapup", "Reservation \(reservation.sid) wrapped up", reservation: reservation)
        }
        emitTaskEvent("task.wrapup", "Task \(taskSid) wrapping up", task: task)
    }

    /// Completion. With `agentIdentity` (the agent ended the chat in Flex) the channel turns
    /// INACTIVE with `onChannelUpdated` first; a REST completion turns it INACTIVE silently, as
    /// Flex's channel janitor does over REST. Then `reservation.completed` and `task.completed`.
    func finish(taskSid: String, reason: String, agentIdentity: String?) {
        guard var task = tasks[taskSid] else { return }
        deactivateChannel(task.channelSid, announcingAs: agentIdentity)
        let now = Date()
        task.status = .completed
        task.reason = reason
        task.version += 1
        task.dateUpdated = now
        tasks[taskSid] = task
        if var reservation = currentReservation(of: task), reservation.status == .accepted || reservation.status == .wrapping {
            reservation.status = .completed
            reservation.dateUpdated = now
            reservations[reservation.sid] = reservation
            bumpWorker(reservation.workerSid)
            emitReservationEvent("reservation.completed", "Reservation \(reservation.sid) completed", reservation: reservation)
        }
        emitTaskEvent("task.completed", "Task \(taskSid) completed", task: task)
        logger.info("handoff completed", metadata: ["task": "\(taskSid)"])
    }

    /// Cancellation: a pending reservation is canceled (`reservation.canceled`), the task too
    /// (`task.canceled` with `TaskCanceledReason`); the channel turns INACTIVE silently.
    func cancel(taskSid: String, reason: String) {
        guard var task = tasks[taskSid] else { return }
        let now = Date()
        task.status = .canceled
        task.reason = reason
        task.version += 1
        task.dateUpdated = now
        tasks[taskSid] = task
        if var reservation = currentReservation(of: task), reservation.status == .pending {
            reservation.status = .canceled
            reservation.dateUpdated = now
            reservations[reservation.sid] = reservation
            emitReservationEvent("reservation.canceled", "Reservation \(reservation.sid) canceled", reservation: reservation)
        }
        emitTaskEvent("task.canceled", "Task \(taskSid) canceled", task: task)
        deactivateChannel(task.channelSid, announcingAs: nil, closingConversation: false)
        logger.info("handoff canceled", metadata: ["task": "\(taskSid)"])
    }

    /// Sets the channel's `status` attribute to INACTIVE; with an identity, as that agent's
    /// SDK would, firing `onChannelUpdated`. A conversation is closed instead (Flex closes it
    /// when its task completes), its webhooks told when an agent did it; a canceled task's
    /// conversation is left to whoever made it (`announcingAs` nil and `closingConversation` false).
    func deactivateChannel(_ channelSid: String, announcingAs identity: String?, closingConversation: Bool = true) {
        if channels[channelSid]?.conversation != nil {
            if closingConversation { setConversationState(channelSid, to: "closed", reason: "API", announce: identity != nil) }
            return
        }
        guard var channel = channels[channelSid], let attributes = try? EmulatorJSON(parsing: channel.attributes),
              case .object = attributes, channel.status != "INACTIVE" else { return }
        channel.attributes = attributes.setting("status", "INACTIVE").text
        channel.dateUpdated = Date()
        channels[channelSid] = channel
        if let identity {
            enqueue(.chat, eventType: "onChannelUpdated", resourceSid: channelSid, channelSid: channelSid,
                    form: ChatEvent.channelUpdated(channel, source: "SDK", clientIdentity: identity, configuration: configuration))
        }
    }

    private func bumpWorker(_ workerSid: String) {
        guard let index = workers.firstIndex(where: { $0.worker.sid == workerSid }) else { return }
        workers[index].version += 1
    }
}
