/// Event types the Flex integration files besides Meya's four TaskRouter events
/// (`FlexElements.Event`): the agent's chat closing, and a Twilio call that failed.
public enum FlexEventTypes {
    /// The Flex chat channel became INACTIVE (the agent ended the chat): the thread is back
    /// with the bot. Data: `channel_sid`, `status`.
    public static let channelInactive = "meya.twilio.flex.event.channel_inactive"
    /// A call to Twilio failed after its retries (a relayed message, the transcript, closing
    /// the chat). Data: `text` (safe to show: no secrets), `operation`, `code`, `status`.
    public static let error = "meya.twilio.flex.event.error"
    /// Twilio's answer to `start_chat`'s channel creation, filed by the outbox on the thread
    /// (`Event.answersStepKey` names the waiting step). Data: `ok`, the channel's fields (`sid`,
    /// `task_sid` …) or Twilio's `code`, `message`, `more_info`, `status`.
    public static let chatStarted = "parley.twilio.flex.event.chat_started"
    /// Twilio's answer to `end_chat`'s closing of the channel and the task, filed by the
    /// outbox on the thread (`Event.answersStepKey` names the waiting step). Data: `ok`,
    /// `channel_sid`, or Twilio's `code`, `message`, `more_info`, `status`.
    public static let chatEnded = "parley.twilio.flex.event.chat_ended"
}
