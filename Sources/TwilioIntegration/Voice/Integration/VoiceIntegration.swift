import BotRuntime
import FlowDSL
import Logging

/// Twilio Voice as a channel (twilio-wire.md §e): the `parley.twilio.voice.integration`
/// element's runtime. A call to the bot's number reaches its voice webhook; each turn of the
/// bot is answered as TwiML in the webhook's response (`VoiceWebhookHandler`).
///
/// - Webhooks, signed: `/twilio/voice/incoming` (the number's "A call comes in"),
///   `/twilio/voice/gather` (the caller's answers; the TwiML names it), `/twilio/voice/status`
///   (the call's status callback); or the same under `/webhooks/{id}/…`.
/// - `prepare`: the call's first event makes the thread the call's (`VoiceCall`:
///   `thread.channel` is `voice`).
public final class VoiceIntegration: TwilioProduct {
    public let elementType = VoiceElements.integrationType
    public let vendorWebhooks = VoiceEventMapper.Webhook.allPaths.map { VendorWebhook($0) }

    let settingsOverride: @Sendable (String, TemplateMap) -> TemplateMap
    let logger: Logger

    public var components: [any ComponentHandler] { [VirtualAgentComponent()] }

    public static func register(in registry: inout ElementRegistry) {
        VoiceElements.register(in: &registry)
    }

    /// - Parameter setup: the logger (`parley.voice`: call sids and statuses, never what the
    ///   caller said) and the settings override.
    public init(setup: IntegrationSetup) {
        logger = setup.logger("parley.voice")
        settingsOverride = setup.settingsOverride
    }

    /// The thread of a call (`CA…`): `twilio-call-CA…`.
    public static func threadID(call: String) -> String {
        VoiceCall.threadID(call: call)
    }

    public func configurationProblems(in engine: BotEngine) -> [String] {
        configurationProblems(in: engine, product: "Twilio Voice") { id in
            TwilioSettingText.text(try fields(of: id, engine: engine)["auth_token"])
        }
    }

    /// The number's webhooks, as its Voice configuration in the Twilio console asks for them.
    public static func setupGuide(for element: Element, in app: BotApp, publicURL: String, webhookURL: String) -> [String] {
        guard element.type == VoiceElements.integrationType else { return [] }
        let base = receivingURL(for: element, in: app, publicURL: publicURL, webhookURL: webhookURL, path: "/twilio/voice")
        return [
            "Voice configuration of each phone number (Phone Numbers → Manage → your number → Voice):",
            "  A call comes in: Webhook \(base)\(base == webhookURL ? "" : "/incoming") (HTTP POST)",
            "  Call status changes: \(base)/status (HTTP POST)",
        ]
    }

    /// A call's first event makes the thread the call's: its record and `channel: voice`. The
    /// call's end ends its handoff to Flex, if it has one: the thread is the bot's again.
    public func prepare(_ event: Event, in context: inout ComponentContext) throws {
        if event.type == VoiceElements.Event.hangup, let call = VoiceCall(scope: context.thread.scope),
           let handoff = FlexThreadState(scope: context.thread.scope), handoff.channelSid == call.callSid {
            FlexIntegration.endHandoff(handoff, taskEnded: false, in: &context)
            return
        }
        guard context.thread.scope[VoiceCall.scopeKey] == nil, let call = VoiceCall(event: event) else { return }
        context.setThread(VoiceCall.scopeKey, call.scopeValue)
        context.setThread("channel", .string(VoiceCall.channel))
    }

    public func handleWebhook(_ request: WebhookRequest, integrationID: String, engine: BotEngine) async -> WebhookResponse {
        await VoiceWebhookHandler(integration: self).handle(request, integrationID: integrationID, engine: engine)
    }
}
