import FlowDSL

/// The Twilio Voice channel's element types: the integration element that answers phone
/// calls with TwiML, and the events it gives flows.
public enum VoiceElements {
    public static let integrationType = "parley.twilio.voice.integration"

    /// Event types the integration files on a call's thread.
    public enum Event {
        /// A call came in (the caller's first event): `from`, `to`, `call_sid`, and the caller's
        /// name and place when Twilio has them. Flows greet callers on it with `event_type:`.
        public static let callStart = "parley.twilio.voice.event.call_start"
        /// The caller said and pressed nothing before the `<Gather>` timed out; `count` is how
        /// many times in a row. Without a flow for it the bot asks again twice, then says goodbye.
        public static let noInput = "parley.twilio.voice.event.no_input"
        /// The call ended (`completed`, `busy`, `no-answer`, `failed`, `canceled`), from the
        /// call's status callback.
        public static let hangup = "parley.twilio.voice.event.hangup"
        /// `start_chat` handed the call to Flex: the turn's answer enqueues it (`<Enqueue>`).
        /// Filed by the bot; `flex_integration` and the handoff `request` (no vault values).
        public static let enqueue = "parley.twilio.voice.event.enqueue"
    }

    /// Adds the integration element and its event types to `registry`.
    public static func register(in registry: inout ElementRegistry) {
        registry.register(ElementSpec(integrationType, kind: .integration, fields: [
            FieldSpec("account_sid", .string, required: true),
            FieldSpec("auth_token", .string, required: true, "verifies the signatures of Twilio's voice webhooks"),
            FieldSpec("voice", .string, "the voice of `<Say>`, e.g. `Polly.Joanna` (default: Twilio's)"),
            FieldSpec("language", .string, "the language of `<Say>` and of speech recognition, e.g. `en-US`"),
            FieldSpec("speech_model", .string, "`<Gather speechModel>`, e.g. `phone_call` or `experimental_conversations`"),
            FieldSpec("speech_timeout", .string, "`<Gather speechTimeout>`: `auto` (the default) or seconds of silence"),
            FieldSpec("workflow_sid", .string, "the TaskRouter workflow (WW…) a call handed to Flex is enqueued with"),
        ], summary: "Twilio Voice: answer phone calls with TwiML."))
        registry.register(event: EventTypeSpec(Event.callStart, dataFields: [
            FieldSpec("from", .string), FieldSpec("to", .string), FieldSpec("call_sid", .string), FieldSpec("caller_name", .string),
            FieldSpec("from_city", .string), FieldSpec("from_state", .string), FieldSpec("from_country", .string),
        ], summary: "a phone call came in"))
        registry.register(event: EventTypeSpec(Event.noInput, dataFields: [FieldSpec("count", .integer)],
                                               summary: "the caller said nothing before the question timed out"))
        registry.register(event: EventTypeSpec(Event.hangup, dataFields: [
            FieldSpec("call_status", .string), FieldSpec("call_duration", .integer),
        ], summary: "the call ended"))
        registry.register(event: EventTypeSpec(Event.enqueue, dataFields: [FieldSpec("flex_integration", .string)],
                                               summary: "the call was handed to Flex"))
    }
}
