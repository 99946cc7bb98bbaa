import BotRuntime
import FlowDSL
import Foundation
import TwilioIntegration
import TwilioWire

/// `botcli simulate --voice`: the terminal is a caller. The call goes through the app's voice
/// integration as Twilio's would — signed webhooks in, TwiML out — handled in this process:
/// what the caller hears is printed (`voice: …` for each `<Say>`, `listening: …` with a
/// `<Gather>`'s hints), and each line typed is what they say (`#2` presses key 2, an empty
/// line is silence, `:hangup` hangs up). A handoff (`<Enqueue>`) or a virtual agent
/// (`<Connect>`) is printed and ends the simulated call: no Flex agent or Dialogflow CX agent
/// plays here.
///
/// The simulator signs with a token of its own: the voice integration's `auth_token` (and the
/// Twilio account fields a handoff reads) are replaced by stand-ins, so the app's vault is
/// never needed and nothing reaches Twilio.
struct SimulatedCall {
    /// Where the simulated Twilio calls the bot.
    static let publicBaseURL = "http://simulator.local"
    static let caller = "+15555550123"
    static let number = "+15555550100"
    /// The stand-ins for the Twilio settings a call reads.
    static let token = "simulator-\(UUID().uuidString)"
    static let accountSid = "AC" + String(repeating: "0", count: 32)
    static let standIns: TemplateMap = [
        "account_sid": .string(accountSid), "auth_token": .string(token),
        "workspace_sid": .string("WS" + String(repeating: "0", count: 32)), "workflow_sid": .string("WW" + String(repeating: "0", count: 32)),
    ]

    let engine: BotEngine
    let integration: any Integration
    let integrationID: String
    let printer: TranscriptPrinter
    let callSid = TwilioSID.random("CA")

    /// Gives every Twilio element the simulator's stand-in account and token, and stand-ins
    /// for the TaskRouter sids it names (a handoff reads them; nothing is called).
    @Sendable static func settingsOverride(_ type: String, _ fields: TemplateMap) -> TemplateMap {
        guard type.hasPrefix("parley.twilio.") || type.hasPrefix("meya.twilio.") else { return fields }
        var fields = fields
        for (key, standIn) in standIns where ["account_sid", "auth_token"].contains(key) || fields[key] != nil { fields[key] = standIn }
        return fields
    }

    /// The app's voice integration and its element, or why there is none.
    static func find(in engine: BotEngine) -> (integration: any Integration, id: String)? {
        let ids = engine.app.integrations.values.filter { $0.type == VoiceElements.integrationType }.map(\.id).sorted()
        guard let id = ids.first, let integration = engine.integration(serving: VoiceElements.integrationType) else { return nil }
        return (integration, id)
    }

    /// The thread of the call.
    var threadID: String { VoiceIntegration.threadID(call: callSid) }

    /// Plays the call: the incoming call, then each line as what the caller says.
    func run(reading reader: inout some LineReader) async {
        var twiml = await post("incoming", ["CallStatus": "ringing"])
        while let answer = twiml, show(answer) {
            guard let line = reader.next(), line.trimmingCharacters(in: .whitespaces) != ":hangup" else { break }
            let typed = line.trimmingCharacters(in: .whitespaces)
            if typed.hasPrefix("#") {
                twiml = await post("gather", ["Digits": String(typed.dropFirst())])
            } else {
                twiml = await post("gather", typed.isEmpty ? [:] : ["SpeechResult": typed, "Confidence": "0.9"])
            }
        }
        _ = await post("status", ["CallStatus": "completed"])
    }

    /// Prints what the caller hears of `twiml`; true while a `<Gather>` listens for them.
    private func show(_ twiml: TwiMLElement) -> Bool {
        var lines: [String] = []
        var listening = false
        for verb in twiml.children {
            switch verb.name {
            case "Say":
                lines.append("voice: \(verb.text ?? "")")
            case "Gather":
                lines += verb.children.filter { $0.name == "Say" }.map { "voice: \($0.text ?? "")" }
                let hints = verb.attributes["hints"].map { " (\($0))" } ?? ""
                lines.append("listening\(hints): say something, #N presses key N, an empty line is silence")
                listening = true
            case "Enqueue":
                lines.append("handoff: the call waits for a Flex agent (workflow \(verb.attributes["workflowSid"] ?? "?")); "
                             + "no agent answers in the simulator")
            case "Connect":
                let agent = verb.children.first { $0.name == "VirtualAgent" }
                lines.append("virtual agent: the call goes to `\(agent?.attributes["connectorName"] ?? "?")`; "
                             + "no Dialogflow CX agent answers in the simulator")
            case "Hangup":
                lines.append("hangup: the bot ended the call")
            default:
                lines.append("\(verb.name.lowercased()): \(verb.xml(declaration: false))")
            }
        }
        printer.show(lines)
        return listening
    }

    /// Posts a signed voice webhook for the call and reads the TwiML it answers (nil for none).
    private func post(_ webhook: String, _ extra: [String: String]) async -> TwiMLElement? {
        var form = TwilioForm()
        for (name, value) in [("AccountSid", Self.accountSid), ("CallSid", callSid),
                              ("Direction", "inbound"), ("From", Self.caller), ("To", Self.number)] {
            form.append(name, value)
        }
        if extra["CallStatus"] == nil { form.append("CallStatus", "in-progress") }
        for (name, value) in extra.sorted(by: { $0.key < $1.key }) { form.append(name, value) }
        let path = "/twilio/voice/\(webhook)"
        let signature = TwilioSignature.compute(url: Self.publicBaseURL + path, parameters: form, authToken: Self.token)
        let request = WebhookRequest(method: "POST", path: path, headers: [
            ("Content-Type", "application/x-www-form-urlencoded"), ("X-Twilio-Signature", signature),
            ("I-Twilio-Idempotency-Token", UUID().uuidString),
        ], body: Array(form.encoded.utf8), publicBaseURL: Self.publicBaseURL)
        let answer = await integration.handleWebhook(request, integrationID: integrationID, engine: engine)
        guard answer.status == 200 else {
            if !(200..<300).contains(answer.status) { printer.problem("the voice webhook answered \(answer.status): \(String(decoding: answer.body, as: UTF8.self))") }
            return nil
        }
        do {
            return try TwiMLReader.read(answer.body)
        } catch {
            printer.problem("the bot's TwiML does not read: \(error)")
            return nil
        }
    }
}
