import BotRuntime
import FlowDSL
import TwilioWire

/// What a caller hears of a turn, as the TwiML that answers the webhook (twilio-wire.md §e):
/// each message the user would see is a `<Say>`; then a `<Gather>` listens for the answer,
/// with the last message as its prompt (so the caller may speak over it). Choices the bot
/// offered become the Gather's `hints` and keys: "Press 1 or say Hardware." Status lines,
/// typing and errors are not spoken (the error's details are the operators', in the log).
///
/// Example, for "Hi, I'm Parley Bot." then "What can I help you with?" with two buttons:
/// `<Response><Say>Hi, I'm Parley Bot.</Say><Gather action="…/gather" actionOnEmptyResult="true"
/// hints="Hardware, Software" input="speech dtmf" method="POST" speechTimeout="auto"><Say>What can
/// I help you with?</Say><Say>Press 1 or say Hardware. Press 2 or say Software.</Say></Gather></Response>`.
enum VoiceTwiML {
    /// Said when the caller was silent, before the question again.
    static let notHeard = "Sorry, I didn't catch that."
    /// Said before hanging up after the third silence in a row.
    static let goodbye = "Sorry, I can't hear you. Goodbye."

    /// The answer to a turn whose outputs are `outputs`; `base` is where the call's webhooks are
    /// (its `/gather` takes the caller's answer).
    static func answer(to outputs: [Event], settings: VoiceSettings, base: String, preface: String? = nil) -> TwiMLElement {
        var lines = preface.map { [$0] } ?? []
        var choices: [Choice] = []
        for event in outputs {
            guard let (text, offered, _) = event.textMessage else { continue }
            if let text, !text.isEmpty { lines.append(text) }
            if !offered.isEmpty { choices = offered }
        }
        let prompt = lines.popLast()
        var inside = prompt.map { [say($0, settings)] } ?? []
        if !choices.isEmpty {
            let keys = choices.prefix(9).enumerated().map { "Press \($0.offset + 1) or say \($0.element.text)." }
            inside.append(say(keys.joined(separator: " "), settings))
        }
        let gather = TwiML.gather(input: "speech dtmf", action: base + "/" + VoiceEventMapper.Webhook.gather.rawValue, method: "POST", speechTimeout: settings.speechTimeout,
                                  language: settings.language, hints: choices.isEmpty ? nil : choices.map(\.text).joined(separator: ", "),
                                  speechModel: settings.speechModel, actionOnEmptyResult: true, children: inside)
        return TwiML.response(lines.map { say($0, settings) } + [gather])
    }

    /// What `outputs` said before `virtual_agent`, then the call connected to its virtual agent:
    /// `<Connect action="…/virtual-agent/action" method="POST"><VirtualAgent connectorName
    /// statusCallback="…/virtual-agent/status" statusCallbackMethod="POST">` with a `<Parameter>`
    /// and a `<Config>` for each of the step's, in order; `base` is where the call's webhooks are.
    static func connect(after outputs: [Event], settings: VoiceSettings, base: String) -> TwiMLElement {
        let index = outputs.lastIndex { $0.type == VoiceElements.Event.connectVirtualAgent } ?? outputs.startIndex
        let data = outputs[index].data
        func pairs(_ key: String) -> [(String, String)] {
            guard case .list(let items)? = data[key] else { return [] }
            return items.compactMap { item in
                guard case .list(let pair) = item, pair.count == 2, case .string(let name) = pair[0], case .string(let value) = pair[1] else { return nil }
                return (name, value)
            }
        }
        let callback = data["status_callback"]?.isTruthy ?? true
        let name = if case .string(let connector)? = data["connector_name"] { connector } else { "" }
        let agent = TwiML.virtualAgent(connectorName: name,
                                       statusCallback: callback ? base + "/" + VoiceEventMapper.Webhook.virtualAgentStatus.rawValue : nil,
                                       statusCallbackMethod: callback ? "POST" : nil,
                                       children: pairs("parameters").map { TwiML.parameter(name: $0.0, value: $0.1) }
                                           + pairs("config").map { TwiML.config(name: $0.0, value: $0.1) })
        let said = outputs[..<index].compactMap { event -> TwiMLElement? in
            guard let text = event.textMessage?.text, !text.isEmpty else { return nil }
            return say(text, settings)
        }
        return TwiML.response(said + [TwiML.connect(action: base + "/" + VoiceEventMapper.Webhook.virtualAgentAction.rawValue,
                                                    method: "POST", children: [agent])])
    }

    /// Goodbye, and the end of the call.
    static func hangUp(settings: VoiceSettings) -> TwiMLElement {
        TwiML.response([say(goodbye, settings), TwiML.hangup()])
    }

    private static func say(_ text: String, _ settings: VoiceSettings) -> TwiMLElement {
        TwiML.say(text, voice: settings.voice, language: settings.language)
    }

    /// The HTTP answer carrying `twiml`.
    static func response(_ twiml: TwiMLElement) -> WebhookResponse {
        WebhookResponse(status: 200, contentType: "text/xml", body: Array(twiml.xml().utf8))
    }
}
