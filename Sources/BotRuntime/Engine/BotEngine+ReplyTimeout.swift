import FlowDSL
import Foundation

/// Reply timeouts, as Twilio's virtual-agent widget has them (its Timeout transition, 48 hours
/// without a customer reply by default): a step that waits for the user may set `timeout:`,
/// else the thread's `reply_timeout` (which a channel integration sets, and a flow may change)
/// applies. When it passes with no answer, the thread gets `parley.session.event.timeout`,
/// which `event_type:` flows handle (say goodbye, close the conversation); with no such flow
/// the step goes on waiting.
///
/// The deadline is a durable timer (`DurableTimer`), so it fires once, and late rather than
/// never when the bot was down when it fell due. It is armed when a step starts waiting and
/// again whenever the user speaks while one waits, moved by nothing else, and removed when no
/// step waits any more.
extension BotEngine {
    /// The name of the thread's reply-timeout timer.
    static let replyTimeoutTimer = "parley.reply_timeout"

    /// Arms, re-arms or removes the thread's reply timeout at the end of a turn that leaves
    /// `waiting` (`previous` before it).
    func armReplyTimeout(previous: WaitingFlow?, waiting: WaitingFlow?, inbound: Event, context: inout ComponentContext) {
        guard let waiting else {
            if previous != nil { context.cancelTimer(Self.replyTimeoutTimer) }
            return
        }
        guard waiting != previous || inbound.sender == .user else { return }
        guard let seconds = replyTimeout(of: waiting, context: context) else {
            if previous != nil { context.cancelTimer(Self.replyTimeoutTimer) }
            return
        }
        let data: TemplateMap = ["element": .string(waiting.elementID), "flow": .string(waiting.frame.flowID),
                                 "timeout": .double(seconds), "sequence": .int(inbound.sequence)]
        context.setTimer(Self.replyTimeoutTimer, due: options.clock().addingTimeInterval(seconds), data: data,
                         eventType: EventTypes.timeout)
    }

    /// The waiting element's `timeout`, else the thread's `reply_timeout`, in seconds; nil for none.
    private func replyTimeout(of waiting: WaitingFlow, context: ComponentContext) -> Double? {
        let field = runtime.elements[waiting.elementID]?["timeout"]
        let value: TemplateValue?
        if let field {
            do {
                value = try context.render(field)
            } catch {
                logger.warning("a step's timeout could not be rendered; it waits without one",
                               metadata: ["element": "\(waiting.elementID)", "error": "\(error)"])
                return nil
            }
        } else {
            value = context.thread.scope["reply_timeout"]
        }
        guard let value, value != .none else { return nil }
        guard let seconds = DurationText.seconds(value) else {
            logger.warning("a reply timeout is not a duration; the step waits without one", metadata: ["element": "\(waiting.elementID)"])
            return nil
        }
        return seconds
    }

    /// Why a fired timeout means nothing now, or nil when it stands: the step it timed no
    /// longer waits, or the user spoke after it was armed (their message and the deadline
    /// crossed).
    func staleTimeout(_ event: Event, waiting: WaitingFlow?) async throws -> String? {
        guard let waiting, event.data["element"] == .string(waiting.elementID) else { return "the step it timed no longer waits" }
        guard case .int(let armed)? = event.data["sequence"] else { return nil }
        let since = try await store.events(thread: event.threadID, after: armed, limit: 1_000)
        return since.contains { $0.sender == .user } ? "the user answered before it fired" : nil
    }
}
