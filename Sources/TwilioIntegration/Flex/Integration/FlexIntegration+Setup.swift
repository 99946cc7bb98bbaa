import BotRuntime
import FlowDSL

extension FlexIntegration {
    /// The TaskRouter workspace's event callback (both modes) and, in Programmable Chat, the
    /// chat service's post-event webhook. Flex Conversations needs nothing more: the bot adds
    /// each conversation's webhook itself (`docs/flex.md`).
    public static func setupGuide(for element: Element, in app: BotApp, publicURL: String, webhookURL: String) -> [String] {
        guard element.type == FlexElements.integrationType else { return [] }
        func url(_ path: String) -> String { receivingURL(for: element, in: app, publicURL: publicURL, webhookURL: webhookURL, path: path) }
        var lines = [
            "TaskRouter workspace → Settings → Event callbacks: \(url("/twilio/taskrouter/events"))",
            "  events: Task Queue Entered, Reservation Accepted, Reservation Wrap-up, Reservation Completed,",
            "  Task Wrap-up, Task Completed, Task Canceled",
        ]
        let mode = FlexMode(explicit: element["mode"]?.constantText, fields: Set(element.fields.keys))
        if mode == .programmableChat {
            lines.append("Flex chat service → Post-event webhook: \(url("/twilio/chat/events")) (onMessageSent, onMediaMessageSent, onChannelUpdated)")
        }
        return lines
    }
}
