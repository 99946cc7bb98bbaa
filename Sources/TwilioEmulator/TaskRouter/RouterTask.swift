import Foundation

/// A TaskRouter task in the emulated workspace: the unit of work an agent accepts.
struct RouterTask: Sendable {
    var sid: String
    /// JSON object text.
    var attributes: String
    var status: TaskStatus
    var priority = 0
    var timeout = 86_400
    /// `Reason` given when the task was completed or canceled.
    var reason: String?
    /// The chat channel or conversation (`CH…`) of a chat task; the call (`CA…`) of a voice task.
    var channelSid: String
    /// The TaskRouter task channel: `chat`, or `voice` for a call `<Enqueue>` made.
    var taskChannel = TaskChannel.chat
    /// The chat channel's friendly name when the task was created (what the agent sees).
    var friendlyName: String
    var dateCreated: Date
    var dateUpdated: Date
    var queueEnteredDate: Date
    /// Bumped on every change, as TaskVersion is.
    var version = 1
    var reservationSids: [String] = []
}

/// A TaskRouter task channel of the emulated workspace.
enum TaskChannel: String, Sendable {
    case chat, voice

    func sid(_ configuration: TwilioEmulator.Configuration) -> String {
        self == .voice ? configuration.voiceTaskChannelSid : configuration.taskChannelSid
    }
}

/// `assignment_status` of a task (the TaskRouter OpenAPI enum).
enum TaskStatus: String, Sendable, CaseIterable {
    case pending, reserved, assigned, canceled, completed, wrapping

    var isOpen: Bool { self != .canceled && self != .completed }
}

/// A reservation: a task offered to one worker.
struct Reservation: Sendable {
    var sid: String
    var taskSid: String
    var workerSid: String
    var status: ReservationStatus
    var dateCreated: Date
    var dateUpdated: Date
}

/// `reservation_status` (the TaskRouter OpenAPI enum).
enum ReservationStatus: String, Sendable {
    case pending, accepted, rejected, timeout, canceled, rescinded, wrapping, completed
}

/// A worker as the workspace tracks it: the configured agent plus its version counter.
struct WorkerState: Sendable {
    var worker: TwilioEmulator.Worker
    var activitySid: String
    var activityName = "Available"
    var version = 1
    var dateCreated: Date
}
