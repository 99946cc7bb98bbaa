import Foundation
import Hummingbird
import TwilioWire

/// TaskRouter routes on the one workspace: `GET|POST /v1/Workspaces/{WS}` (event callback
/// settings), `GET /v1/Workspaces/{WS}/Tasks[/{WT}]`, `POST /v1/Workspaces/{WS}/Tasks/{WT}`
/// (complete, cancel, wrap up, attributes) and `GET /v1/Workspaces/{WS}/Workers[/{WK}]`.
struct TaskRouterRoutes {
    let state: EmulatorState
    let configuration: TwilioEmulator.Configuration
    let fallbackOrigin: String

    func register(on router: Router<BasicRequestContext>) {
        let json = TaskRouterJSON(configuration: configuration)
        router.twilio(.get, "/v1/Workspaces/{workspace}") { request, context throws(TwilioRESTError) in
            let settings = try await state.workspaceSettings(context.parameters.get("workspace") ?? "")
            return RESTSupport.json(json.workspace(settings, origin: origin(request)))
        }
        router.twilio(.post, "/v1/Workspaces/{workspace}") { request, context throws(TwilioRESTError) in
            let form = try await RESTSupport.form(of: request)
            let settings = try await state.updateWorkspace(context.parameters.get("workspace") ?? "", form: form)
            return RESTSupport.json(json.workspace(settings, origin: origin(request)))
        }
        router.twilio(.get, "/v1/Workspaces/{workspace}/Tasks") { request, context throws(TwilioRESTError) in
            let workspace = context.parameters.get("workspace") ?? ""
            try await state.checkWorkspace(workspace, path: "/v1/Workspaces/\(workspace)/Tasks")
            let origin = origin(request), now = Date()
            let items = await state.allTasks.map { json.task($0, origin: origin, now: now) }
            return RESTSupport.json(RESTSupport.list(key: "tasks", items: items, origin: origin, path: "/v1/Workspaces/\(workspace)/Tasks"))
        }
        router.twilio(.get, "/v1/Workspaces/{workspace}/Tasks/{task}") { request, context throws(TwilioRESTError) in
            let task = try await state.task(workspace: context.parameters.get("workspace") ?? "", sid: context.parameters.get("task") ?? "")
            return RESTSupport.json(json.task(task, origin: origin(request), now: Date()))
        }
        router.twilio(.post, "/v1/Workspaces/{workspace}/Tasks/{task}") { request, context throws(TwilioRESTError) in
            let form = try await RESTSupport.form(of: request)
            let task = try await state.updateTask(workspace: context.parameters.get("workspace") ?? "",
                                                  sid: context.parameters.get("task") ?? "", form: form)
            return RESTSupport.json(json.task(task, origin: origin(request), now: Date()))
        }
        router.twilio(.get, "/v1/Workspaces/{workspace}/Workers") { request, context throws(TwilioRESTError) in
            let workspace = context.parameters.get("workspace") ?? ""
            try await state.checkWorkspace(workspace, path: "/v1/Workspaces/\(workspace)/Workers")
            let origin = origin(request)
            let items = await state.workers.map { json.worker($0, origin: origin) }
            return RESTSupport.json(RESTSupport.list(key: "workers", items: items, origin: origin, path: "/v1/Workspaces/\(workspace)/Workers"))
        }
        router.twilio(.get, "/v1/Workspaces/{workspace}/Workers/{worker}") { request, context throws(TwilioRESTError) in
            let workspace = context.parameters.get("workspace") ?? "", sid = context.parameters.get("worker") ?? ""
            let path = "/v1/Workspaces/\(workspace)/Workers/\(sid)"
            try await state.checkWorkspace(workspace, path: path)
            guard let worker = await state.workers.first(where: { $0.worker.sid == sid }) else { throw TwilioRESTError.notFound(path: path) }
            return RESTSupport.json(json.worker(worker, origin: origin(request)))
        }
    }

    private func origin(_ request: Request) -> String {
        RESTSupport.origin(of: request, fallback: fallbackOrigin)
    }
}

/// TaskRouter resources as JSON, in the shape of Twilio's TaskRouter OpenAPI examples.
struct TaskRouterJSON {
    let configuration: TwilioEmulator.Configuration

    func workspace(_ settings: WorkspaceSettings, origin: String) -> EmulatorJSON {
        let url = "\(origin)/v1/Workspaces/\(configuration.workspaceSid)"
        return [
            "sid": .string(configuration.workspaceSid),
            "account_sid": .string(configuration.accountSid),
            "friendly_name": .string(settings.friendlyName),
            "event_callback_url": RESTSupport.optional(settings.eventCallbackURL),
            "events_filter": settings.eventsFilter.isEmpty ? .null : .string(settings.eventsFilter.joined(separator: ",")),
            "default_activity_sid": .string(TwilioEmulator.Defaults.availableActivitySid),
            "default_activity_name": "Available",
            "timeout_activity_sid": .string(TwilioEmulator.Defaults.availableActivitySid),
            "timeout_activity_name": "Available",
            "multi_task_enabled": true,
            "prioritize_queue_order": "FIFO",
            "date_created": RESTSupport.date(settings.dateCreated),
            "date_updated": RESTSupport.date(settings.dateUpdated),
            "url": .string(url),
            "links": ["tasks": .string("\(url)/Tasks"), "workers": .string("\(url)/Workers"),
                      "task_queues": .string("\(url)/TaskQueues"), "workflows": .string("\(url)/Workflows")],
        ]
    }

    func task(_ task: RouterTask, origin: String, now: Date) -> EmulatorJSON {
        let url = "\(origin)/v1/Workspaces/\(configuration.workspaceSid)/Tasks/\(task.sid)"
        return [
            "account_sid": .string(configuration.accountSid),
            "age": .int(max(0, Int(now.timeIntervalSince(task.dateCreated)))),
            "assignment_status": .string(task.status.rawValue),
            "attributes": .string(task.attributes),
            "addons": "{}",
            "date_created": RESTSupport.date(task.dateCreated),
            "date_updated": RESTSupport.date(task.dateUpdated),
            "task_queue_entered_date": RESTSupport.date(task.queueEnteredDate),
            "priority": .int(task.priority),
            "reason": RESTSupport.optional(task.reason),
            "sid": .string(task.sid),
            "task_queue_sid": .string(configuration.taskQueueSid),
            "task_queue_friendly_name": .string(TwilioEmulator.Defaults.taskQueueName),
            "task_channel_sid": .string(task.taskChannel.sid(configuration)),
            "task_channel_unique_name": .string(task.taskChannel.rawValue),
            "timeout": .int(task.timeout),
            "workflow_sid": .string(configuration.workflowSid),
            "workflow_friendly_name": .string(TwilioEmulator.Defaults.workflowName),
            "workspace_sid": .string(configuration.workspaceSid),
            "url": .string(url),
            "links": ["reservations": .string("\(url)/Reservations"),
                      "workspace": .string("\(origin)/v1/Workspaces/\(configuration.workspaceSid)")],
        ]
    }

    func worker(_ state: WorkerState, origin: String) -> EmulatorJSON {
        [
            "account_sid": .string(configuration.accountSid),
            "activity_name": .string(state.activityName),
            "activity_sid": .string(state.activitySid),
            "attributes": .string(state.worker.attributes),
            "available": true,
            "date_created": RESTSupport.date(state.dateCreated),
            "date_updated": RESTSupport.date(state.dateCreated),
            "friendly_name": .string(state.worker.name),
            "sid": .string(state.worker.sid),
            "workspace_sid": .string(configuration.workspaceSid),
            "url": .string("\(origin)/v1/Workspaces/\(configuration.workspaceSid)/Workers/\(state.worker.sid)"),
        ]
    }
}
