import FlowDSL

/// The Twilio Voice channel's element types: the integration element that answers phone
/// calls with TwiML, and the events it gives flows.
public enum VoiceElements {
    public static let integrationType = "parley.twilio.voice.integration"
    /// The step that hands the call to a Dialogflow CX agent through Twilio (`<Connect><VirtualAgent>`).
    public static let virtualAgentType = "parley.twilio.voice.component.virtual_agent"

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
        /// `virtual_agent` connects the call to its virtual agent: the turn's answer is
        /// `<Connect><VirtualAgent>`. Filed by the bot with the step's settings.
        public static let connectVirtualAgent = "parley.twilio.voice.event.virtual_agent_connect"
        /// One turn of the virtual agent (its statusCallback): what it heard (`resolved_input`),
        /// what it answered (`reply_text`), `intent`, `confidence`, `sentiment`.
        public static let virtualAgentTurn = "parley.twilio.voice.event.virtual_agent_turn"
        /// The virtual agent's session ended (its action callback): the answer `virtual_agent` waits for.
        public static let virtualAgentEnded = "parley.twilio.voice.event.virtual_agent_ended"
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
        registry.register(ElementSpec(virtualAgentType, kind: .component, parent: "meya.component.element", fields: [
            FieldSpec("connector_name", .string, required: true, "the Dialogflow CX connector's name in the Twilio console"),
            FieldSpec("parameters", .map(.any), "sent to the agent as session parameters (`<Parameter>`)"),
            FieldSpec("config", .map(.any), "`<Config>`: language, sentimentAnalysis, voiceName, welcomeIntent, voiceModel, "
                      + "speechModel, speechModelVariant"),
            FieldSpec("status_callback", .bool, "file each of the agent's turns on the thread (default true)"),
            FieldSpec("resume", .bool, "resume the call's paused session (within 30 minutes of its pause)"),
            FieldSpec("resume_event", .string, "the event the resumed session starts with (`resumeEventName`)"),
        ], summary: "Hand the call to a Dialogflow CX virtual agent; flow.result says how its session ended."))
        registry.register(event: EventTypeSpec(Event.virtualAgentTurn, dataFields: [
            FieldSpec("resolved_input", .string), FieldSpec("reply_text", .string), FieldSpec("intent", .string),
            FieldSpec("confidence", .number), FieldSpec("sentiment", .number),
        ], summary: "a turn of the virtual agent"))
        registry.register(event: EventTypeSpec(Event.virtualAgentEnded, dataFields: [FieldSpec("status", .string)],
                                               summary: "the virtual agent's session ended"))
        registry.register(event: EventTypeSpec(Event.connectVirtualAgent, dataFields: [FieldSpec("connector_name", .string)],
                                               summary: "the call was connected to a virtual agent"))
    }
}
