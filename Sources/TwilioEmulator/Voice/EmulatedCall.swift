import Foundation
import TwilioWire

/// A phone call to one of the account's numbers, as the emulator plays it: the TwiML the bot
/// answered, what the caller heard and said, and where the call is now.
struct EmulatedCall: Sendable {
    var sid: String
    var from: String
    var to: String
    var callerName: String?
    /// Where the call's end is posted (the number's status callback).
    var statusCallbackURL: String?
    /// Twilio's `CallStatus`: `ringing`, `in-progress`, `completed`.
    var status = "ringing"
    var activity = Activity.connecting
    var lines: [PhoneCall.Line] = []
    /// Twilio's errors and warnings for the call (`11200 …`), as its debugger lists them.
    var errors: [String] = []
    /// The task an `<Enqueue>` made.
    var taskSid: String?
    var session: VirtualAgentSession?
    var dateCreated: Date
    var endedAt: Date?
    /// Status callbacks sent so far (`SequenceNumber`).
    var statusCallbacks = 0

    /// What the call is doing.
    enum Activity: Sendable, Equatable {
        /// A webhook is in flight: the bot has not answered yet.
        case connecting
        /// A `<Gather>` listens for the caller.
        case listening(Gather)
        /// A `<Connect><VirtualAgent>` session listens for the caller (`session`).
        case virtualAgent
        /// `<Enqueue>`: on hold for an agent (`taskSid`).
        case queued
        /// An agent accepted the call's task.
        case withAgent
        case ended
    }

    /// A `<Gather>` waiting for the caller, and the verbs after it (played when it hears
    /// nothing and has no `actionOnEmptyResult`).
    struct Gather: Sendable, Equatable {
        var action: String
        var method: String
        var input: String
        var hints: String?
        var actionOnEmptyResult: Bool
        var rest: [TwiMLElement]
        /// The document the Gather is in, which the URLs in `rest` are relative to.
        var documentURL: String
    }

    var isOver: Bool { activity == .ended }

    mutating func hear(_ speaker: PhoneCall.Speaker, _ text: String) {
        lines.append(PhoneCall.Line(speaker: speaker, text: text))
    }
}

/// A Dialogflow CX session a `<Connect><VirtualAgent>` started.
struct VirtualAgentSession: Sendable {
    var script: VirtualAgentScript
    var conversationID: String
    var endUserID: String
    /// The `<Connect action>` and its method: where the session's end is posted. Without one,
    /// `rest` (the verbs after `<Connect>`, from `documentURL`) plays.
    var action: String?
    var method: String
    var statusCallback: String?
    var rest: [TwiMLElement]
    var documentURL: String
    /// Session parameters (`<Parameter>`), in order, shown in each turn's `Parameters`.
    var parameters: [(String, String)]
}

/// A paused session Twilio keeps for 30 minutes, for a `resumeEndUserId` on the same call.
struct PausedSession: Sendable {
    var callSid: String
    var connectorName: String
    var conversationID: String
    var pausedAt: Date
}

/// A call as the agent API shows it (`GET /emulator/api/calls/{CA}`): what the caller heard
/// and said, in order, and what the call waits for.
public struct PhoneCall: Sendable, Equatable, Codable {
    /// `CA…`
    public var sid: String
    public var from: String
    public var to: String
    /// Twilio's `CallStatus`: `ringing`, `in-progress`, `completed`.
    public var status: String
    /// `connecting` (the bot has not answered), `listening` (a `<Gather>`), `virtual_agent`,
    /// `queued` (`<Enqueue>`, on hold), `with_agent`, `ended`.
    public var state: String
    /// The `<Gather>`'s hints while it listens.
    public var hints: String?
    public var lines: [Line]
    public var errors: [String]
    public var taskSid: String?
    /// The virtual agent's connector while a session runs.
    public var virtualAgent: String?
    public var dateCreated: String

    /// One thing said on the call.
    public struct Line: Sendable, Equatable, Codable {
        public var speaker: Speaker
        public var text: String

        public init(speaker: Speaker, text: String) {
            self.speaker = speaker
            self.text = text
        }
    }

    public enum Speaker: String, Sendable, Equatable, Codable {
        /// The bot's `<Say>`.
        case bot
        case caller
        /// The Dialogflow CX agent.
        case virtualAgent = "virtual_agent"
        /// What happened, e.g. "on hold for an agent".
        case system
    }

    /// What the bot last said (its last `bot` line).
    public var lastHeard: String? { lines.last { $0.speaker == .bot }?.text }

    enum CodingKeys: String, CodingKey {
        case sid, from, to, status, state, hints, lines, errors
        case taskSid = "task_sid"
        case virtualAgent = "virtual_agent"
        case dateCreated = "date_created"
    }
}

extension EmulatedCall {
    var view: PhoneCall {
        let state, hints: String?
        switch activity {
        case .connecting: (state, hints) = ("connecting", nil)
        case .listening(let gather): (state, hints) = ("listening", gather.hints)
        case .virtualAgent: (state, hints) = ("virtual_agent", nil)
        case .queued: (state, hints) = ("queued", nil)
        case .withAgent: (state, hints) = ("with_agent", nil)
        case .ended: (state, hints) = ("ended", nil)
        }
        return PhoneCall(sid: sid, from: from, to: to, status: status, state: state ?? "", hints: hints, lines: lines, errors: errors,
                         taskSid: taskSid, virtualAgent: activity == .virtualAgent ? session?.script.connectorName : nil,
                         dateCreated: TwilioTime.rest(dateCreated))
    }
}
