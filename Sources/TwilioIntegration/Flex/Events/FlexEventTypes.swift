/// Event types the Flex integration files besides Meya's four TaskRouter events
/// (`FlexElements.Event`): the agent's chat closing, and a Twilio call that failed.
public enum FlexEventTypes {
    /// The Flex chat channel became INACTIVE (the agent ended the chat): the thread is back
    /// with the bot. Data: `channel_sid`, `status`.
    public static let channelInactive = "meya.twilio.flex.event.channel_inactive"
    /// A call to Twilio failed after its retries (a relayed message, the transcript, closing
    /// the chat). Data: `text` (safe to show: no secrets), `operation`, `code`, `status`.
    public static let error = "meya.twilio.flex.event.error"
}
