import Foundation
import TwilioWire

/// The form of one TaskRouter event callback, with the field set and order of the recorded
/// payloads in `fixtures/twilio/taskrouter-*.http` (spec §c).
struct TaskRouterEvent {
    var eventType: String
    var description: String
    /// `task` or `reservation` (observed lower-case).
    var resourceType: String
    var resourceSid: String
    var task: RouterTask
    var reservation: Reservation?
    var worker: WorkerState?

    func form(configuration: TwilioEmulator.Configuration, now: Date) -> TwilioForm {
        var form = TwilioForm()
        form.append("EventType", eventType)
        form.append("Sid", TwilioSID.random("EV"))
        form.append("EventDescription", description)
        form.append("ResourceType", resourceType)
        form.append("ResourceSid", resourceSid)
        form.append("Timestamp", TwilioTime.epochSeconds(now))
        form.append("TimestampMs", TwilioTime.epochMilliseconds(now))
        form.append("AccountSid", configuration.accountSid)
        form.append("WorkspaceSid", configuration.workspaceSid)
        form.append("WorkspaceName", TwilioEmulator.Defaults.workspaceName)
        form.append("OperatingUnitSid", TwilioEmulator.Defaults.operatingUnitSid)
        form.append("TaskSid", task.sid)
        form.append("TaskAttributes", task.attributes)
        form.append("TaskAge", TwilioTime.age(from: task.dateCreated, to: now))
        form.append("TaskPriority", String(task.priority))
        form.append("TaskAssignmentStatus", task.status.rawValue)
        form.append("TaskVersion", String(task.version))
        form.append("TaskChannelSid", task.taskChannel.sid(configuration))
        form.append("TaskChannelUniqueName", task.taskChannel.rawValue)
        form.append("TaskDateCreated", TwilioTime.epochSeconds(task.dateCreated))
        if task.status == .completed { form.append("TaskCompletedReason", task.reason ?? "") }
        if task.status == .canceled { form.append("TaskCanceledReason", task.reason ?? "") }
        form.append("TaskQueueSid", configuration.taskQueueSid)
        form.append("TaskQueueName", TwilioEmulator.Defaults.taskQueueName)
        form.append("TaskQueueTargetExpression", TwilioEmulator.Defaults.taskQueueTargetExpression)
        form.append("TaskQueueEnteredDate", TwilioTime.epochSeconds(task.queueEnteredDate))
        form.append("WorkflowSid", configuration.workflowSid)
        form.append("WorkflowName", TwilioEmulator.Defaults.workflowName)
        if let reservation {
            form.append("ReservationSid", reservation.sid)
            if let worker {
                form.append("WorkerSid", worker.worker.sid)
                form.append("WorkerName", worker.worker.name)
                form.append("WorkerAttributes", worker.worker.attributes)
                form.append("WorkerActivitySid", worker.activitySid)
                form.append("WorkerActivityName", worker.activityName)
                form.append("WorkerVersion", String(worker.version))
            }
        }
        return form
    }
}
