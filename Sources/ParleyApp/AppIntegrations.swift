import BotRuntime
import FlowDSL
import TwilioIntegration

/// The integrations Parley ships, in registration order. This is the one list: an integration
/// is its own folder and one line here, and nothing else names it (botcli does not).
public enum ParleyIntegrations {
    /// Registration order is the order in which `prepare` runs on every turn.
    /// Conversations comes before Flex: on Twilio's shared `/twilio/conversations/events` it
    /// takes the deliveries and hands a Flex handoff's conversation to Flex.
    public static let standard: [any Integration.Type] = [
        ConversationsIntegration.self,
        FlexIntegration.self,
        VoiceIntegration.self,
    ]

    /// Every element type Parley knows: the built-in steps, `http_call:` and each integration's types.
    public static func registry(_ types: [any Integration.Type] = standard) -> ElementRegistry {
        var registry = ElementRegistry.standard
        registry.register(HTTPCallComponent.spec)
        for type in types { type.register(in: &registry) }
        return registry
    }

    /// The registry of `standard`, made once.
    public static let standardRegistry = registry()
}

/// The integrations of one engine, made fresh (they hold HTTP clients), and Parley's own
/// components that hold one (`http_call:`): give `all` to the engine and the server,
/// `components` to the engine, and call `shutdown()` once when they stop.
public struct AppIntegrations: Sendable {
    public let all: [any Integration]
    public let components: [any ComponentHandler]
    private let http: HTTPCallComponent

    public init(_ types: [any Integration.Type] = ParleyIntegrations.standard, setup: IntegrationSetup = IntegrationSetup()) {
        all = types.map { $0.init(setup: setup) }
        http = HTTPCallComponent(logger: setup.logger("parley.http"))
        components = [http]
    }

    /// Each integration's queued work finished and what it holds closed, in registration order.
    public func shutdown() async {
        for integration in all { await integration.shutdown() }
        await http.shutdown()
    }
}
