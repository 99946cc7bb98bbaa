import FlowDSL

/// A button or quick reply as offered to the user: its text, the id a click sends (absent for
/// text-only buttons, which the client sends as typed text), and a link, if any.
public struct Choice: Sendable, Equatable {
    public var text: String
    public var buttonID: String?
    public var url: String?

    public init(text: String, buttonID: String? = nil, url: String? = nil) {
        self.text = text
        self.buttonID = buttonID
        self.url = url
    }

    /// `{"text", "button_id"?, "url"?}`, as channels send a button.
    public var json: TemplateValue {
        var button: TemplateMap = ["text": .string(text)]
        if let buttonID { button["button_id"] = .string(buttonID) }
        if let url { button["url"] = .string(url) }
        return .map(button)
    }
}
