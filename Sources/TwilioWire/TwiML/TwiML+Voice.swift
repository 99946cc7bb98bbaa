/// The TwiML builders read as `TwiML.response([.say("Hi"), .hangup()])`.
public typealias TwiML = TwiMLElement

/// Typed builders for the voice verbs Parley writes, mirroring twilio-python 9.13.0
/// (`twilio/twiml/voice_response.py`: `VoiceResponse.say/play/pause/gather/enqueue/connect/
/// redirect/hangup`, `Gather.say/play/pause`, `Enqueue.task`, `Connect.virtual_agent`,
/// `VirtualAgent.parameter/config`).
///
/// Contract, as in the library: a parameter left nil writes no attribute; names are the
/// library's lowerCamelCase (`speech_timeout` → `speechTimeout`, `lower_camel` in
/// `twilio/twiml/__init__.py`); a `Bool` is written `true`/`false` and an `Int` in decimal
/// (`str(value)`); an empty string is still written as an attribute (`finishOnKey=""`), but an
/// empty text is no text. The URL of `Play` and `Redirect`, the message of `Say`, the queue name
/// of `Enqueue` and the JSON of `Task` are the element's text, not attributes.
///
/// Example: `TwiML.response([.say("Hi", voice: "Polly.Joanna"), .gather(input: "speech", action: "/x", children: [.say("…")])])`.
extension TwiMLElement {
    /// `<Response>`, the root of every TwiML document (`VoiceResponse()`).
    public static func response(_ children: [TwiMLElement] = []) -> TwiMLElement {
        TwiMLElement("Response", children: children)
    }

    /// `<Say>message</Say>` (`say(message, voice, loop, language)`).
    public static func say(_ message: String, voice: String? = nil, language: String? = nil, loop: Int? = nil) -> TwiMLElement {
        TwiMLElement("Say", attributes: attributes(["voice": voice, "language": language, "loop": loop.map(String.init)]),
                     text: message)
    }

    /// `<Play>url</Play>`; without a URL, `<Play digits="…" />` plays DTMF tones (`play(url, loop, digits)`).
    public static func play(_ url: String? = nil, loop: Int? = nil, digits: String? = nil) -> TwiMLElement {
        TwiMLElement("Play", attributes: attributes(["loop": loop.map(String.init), "digits": digits]), text: url)
    }

    /// `<Pause length="…" />` (`pause(length)`).
    public static func pause(length: Int? = nil) -> TwiMLElement {
        TwiMLElement("Pause", attributes: attributes(["length": length.map(String.init)]))
    }

    /// `<Hangup />` (`hangup()`).
    public static func hangup() -> TwiMLElement {
        TwiMLElement("Hangup")
    }

    /// `<Redirect method="…">url</Redirect>` (`redirect(url, method)`).
    public static func redirect(_ url: String, method: String? = nil) -> TwiMLElement {
        TwiMLElement("Redirect", attributes: attributes(["method": method]), text: url)
    }

    /// `<Gather>` (`gather(...)`) with its nested `say`/`play`/`pause` children, in order.
    /// `input` is `dtmf`, `speech` or `dtmf speech`; `speechTimeout` is `auto` or seconds.
    public static func gather(
        input: String? = nil, action: String? = nil, method: String? = nil, timeout: Int? = nil,
        speechTimeout: String? = nil, language: String? = nil, hints: String? = nil, speechModel: String? = nil,
        enhanced: Bool? = nil, profanityFilter: Bool? = nil, actionOnEmptyResult: Bool? = nil,
        partialResultCallback: String? = nil, finishOnKey: String? = nil, numDigits: Int? = nil, bargeIn: Bool? = nil,
        children: [TwiMLElement] = []
    ) -> TwiMLElement {
        TwiMLElement("Gather", attributes: attributes([
            "input": input, "action": action, "method": method, "timeout": timeout.map(String.init),
            "speechTimeout": speechTimeout, "language": language, "hints": hints, "speechModel": speechModel,
            "enhanced": enhanced.map(String.init), "profanityFilter": profanityFilter.map(String.init),
            "actionOnEmptyResult": actionOnEmptyResult.map(String.init), "partialResultCallback": partialResultCallback,
            "finishOnKey": finishOnKey, "numDigits": numDigits.map(String.init), "bargeIn": bargeIn.map(String.init),
        ]), children: children)
    }

    /// `<Enqueue>`: `name` is the queue name (the text, `enqueue(name, ...)`); with
    /// `workflowSid`, TaskRouter makes a task whose attributes are `task`'s JSON
    /// (`enqueue(...).task(body, ...)`).
    public static func enqueue(
        _ name: String? = nil, workflowSid: String? = nil, action: String? = nil, method: String? = nil,
        waitUrl: String? = nil, task: TwiMLElement? = nil
    ) -> TwiMLElement {
        TwiMLElement("Enqueue", attributes: attributes(["workflowSid": workflowSid, "action": action, "method": method,
                                                        "waitUrl": waitUrl]),
                     text: name, children: task.map { [$0] } ?? [])
    }

    /// `<Task priority="…" timeout="…">json</Task>` inside `<Enqueue>` (`Enqueue.task(body, priority, timeout)`).
    /// `json` is written as given: the library writes a `str` body as is (and a `dict` body as
    /// `json.dumps(body)`, with `", "`/`": "` separators and `\uXXXX` for non-ASCII).
    public static func task(_ json: String, priority: Int? = nil, timeout: Int? = nil) -> TwiMLElement {
        TwiMLElement("Task", attributes: attributes(["priority": priority.map(String.init), "timeout": timeout.map(String.init)]),
                     text: json)
    }

    /// `<Connect action="…" method="…">` (`connect(action, method)`) around e.g. a `virtualAgent`.
    public static func connect(action: String? = nil, method: String? = nil, children: [TwiMLElement] = []) -> TwiMLElement {
        TwiMLElement("Connect", attributes: attributes(["action": action, "method": method]), children: children)
    }

    /// `<VirtualAgent>` (`Connect.virtual_agent(...)`) with `parameter`/`config` children, in order.
    public static func virtualAgent(
        connectorName: String? = nil, language: String? = nil, sentimentAnalysis: Bool? = nil,
        statusCallback: String? = nil, statusCallbackMethod: String? = nil, children: [TwiMLElement] = []
    ) -> TwiMLElement {
        TwiMLElement("VirtualAgent", attributes: attributes([
            "connectorName": connectorName, "language": language, "sentimentAnalysis": sentimentAnalysis.map(String.init),
            "statusCallback": statusCallback, "statusCallbackMethod": statusCallbackMethod,
        ]), children: children)
    }

    /// `<Parameter name="…" value="…" />` (`VirtualAgent.parameter(name, value)`).
    public static func parameter(name: String, value: String) -> TwiMLElement {
        TwiMLElement("Parameter", attributes: ["name": name, "value": value])
    }

    /// `<Config name="…" value="…" />` (`VirtualAgent.config(name, value)`).
    public static func config(name: String, value: String) -> TwiMLElement {
        TwiMLElement("Config", attributes: ["name": name, "value": value])
    }

    /// The attributes that are set (the library skips a `None` keyword argument).
    private static func attributes(_ optional: [String: String?]) -> [String: String] {
        optional.compactMapValues { $0 }
    }
}
