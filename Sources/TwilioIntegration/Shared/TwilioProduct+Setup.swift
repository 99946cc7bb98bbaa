import FlowDSL

extension TwilioProduct {
    /// Where Twilio should call `element`: the product's documented `path` under the public URL
    /// when it is the app's only element of its type, else the element's own `/webhooks/<id>`
    /// (the shared paths cannot tell two elements of one type apart).
    static func receivingURL(for element: Element, in app: BotApp, publicURL: String, webhookURL: String, path: String) -> String {
        app.integrations.values.filter { $0.type == element.type }.count == 1 ? publicURL + path : webhookURL
    }
}
