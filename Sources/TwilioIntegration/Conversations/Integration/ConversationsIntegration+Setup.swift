import BotRuntime
import FlowDSL

extension ConversationsIntegration {
    /// The filters the Address Configuration's auto-created webhook needs.
    static let addressFilters = ["onMessageAdded", "onConversationStateUpdated", "onDeliveryUpdated"]

    /// Each number's Address Configuration (auto-creation calls the bot) and, when the app can
    /// hand a conversation to Flex, the service's pre-event webhook that keeps agent commands
    /// off the customer's phone.
    public static func setupGuide(for element: Element, in app: BotApp, publicURL: String, webhookURL: String) -> [String] {
        guard element.type == ConversationsElements.integrationType else { return [] }
        let url = receivingURL(for: element, in: app, publicURL: publicURL, webhookURL: webhookURL, path: "/twilio/conversations/events")
        var lines = [
            "Address Configuration of each SMS / WhatsApp number (Conversations → Addresses; Flex → Messaging):",
            "  AutoCreation.Enabled=true AutoCreation.Type=webhook AutoCreation.WebhookMethod=POST",
            "  AutoCreation.WebhookUrl=\(url)",
            "  AutoCreation.WebhookFilters=\(addressFilters.joined(separator: ","))",
        ]
        if app.integrations.values.contains(where: { $0.type == FlexElements.integrationType }) {
            lines += [
                "Pre-event webhook of the Conversations service (Conversations → Services → your service → Webhooks):",
                "  PreWebhookUrl=\(url) Filters=onMessageAdd",
                "  Without it an agent's /command still runs, but reaches the customer's phone too.",
            ]
        }
        return lines
    }
}
