/// The core event type names the runtime reads and writes.
public enum EventTypes {
    public static let say = "meya.text.event.say"
    public static let ask = "meya.text.event.ask"
    public static let status = "meya.text.event.status"
    public static let buttons = "meya.button.event.ask"
    public static let click = "meya.button.event.click"
    public static let formSubmit = "meya.form.event.submit"
    public static let pageOpen = "meya.session.event.page.open"
    public static let chatOpen = "meya.session.event.chat.open"
    public static let chatClose = "meya.session.event.chat.close"
    public static let typingOn = "meya.presence.event.typing.on"
    public static let typingOff = "meya.presence.event.typing.off"
    public static let note = "meya.csp.event.note"
    public static let agentCommand = "meya.csp.event.agent.command"
    public static let mode = "meya.thread.event.mode"
    public static let error = "meya.error.event"
    public static let media = "meya.media.event"
    /// An image the bot shows (Meya's `image:` step): `url`, `alt`, `filename`, `text`.
    public static let image = "meya.image.event"
    /// A file the bot shows (Meya's `file:` step): `url`, `filename`, `text`.
    public static let file = "meya.file.event"
    /// Tiles the bot shows (`tiles:`): `text`, `tiles` (title, description, image, rows,
    /// buttons, and `button_id` / `url` for a tile that is a button), `quick_replies`.
    public static let tiles = "meya.tile.event.ask"
    /// A rating asked (`rating:`): `title`, `rating`, `options` (buttons whose result is the score).
    public static let rating = "meya.tile.event.rating"
    /// Text shown (`info:`): `info`.
    public static let info = "meya.text.event.info"
    /// A form shown (`page:`, `text_input` …): `form_id`, `fields`, `submit_text`, `buttons`.
    public static let formAsk = "meya.form.event.ask"
    /// A form's answers refused: `form_id`, `fields` (name → why).
    public static let formError = "meya.form.event.error"
    /// A form's answers taken: `form_id`.
    public static let formOK = "meya.form.event.ok"
    /// A title with a description (Meya's Orb hero, `hero:`): `title`, `description`, `quick_replies`.
    public static let hero = "meya.orb.event.hero"
    /// Meya's Orb shows its chat again (`continue_screen`).
    public static let screenContinue = "meya.orb.event.screen.continue"
    /// Meya's Orb shows its end screen (`end_screen`).
    public static let screenEnd = "meya.orb.event.screen.end"
    /// A lifecycle event (`lifecycle:`): `lifecycle_id`, `text`; `lifecycle_id:` triggers match it.
    public static let lifecycle = "meya.lifecycle.event"
    /// Something a flow tracked (`track:`): `event`, `data`, `timestamp`.
    public static let track = "meya.analytics.event.track"
    /// What a flow said of the user (`identify:`): `data`, `timestamp`.
    public static let identify = "meya.analytics.event.identify"
    /// A durable timer fell due (`DurableTimer`): data `name`, `due` and what the turn that set it gave.
    public static let timerFired = "parley.timer.event.fired"
    /// A waiting step's `timeout` (or the thread's `reply_timeout`) passed with no answer: data
    /// `element`, `flow`, `timeout` (seconds), `due`.
    public static let timeout = "parley.session.event.timeout"
    /// Outbound work failed for good (`DeliveryOutcome.failed` without a reply of the integration's own).
    public static let deliveryFailed = "parley.outbox.event.failed"
}
