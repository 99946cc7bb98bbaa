import FlowDSL
import OrderedCollections

/// How a chat client presents what it shows (Meya's interactive event fields,
/// `meya/event/entry/interactive.py`): the composer's state, the header above the
/// conversation, and the markdown the text is written in. An event the user sees carries it
/// in its data (`composer`, `header`, `markdown`) when a step or an event config step set one;
/// the chat page applies the latest event's, and an event without one puts the defaults back,
/// as Meya's Orb does. Text-only channels have no composer or header and send text as written.
public struct Presentation: Sendable, Equatable {
    /// `focus` (text, blur, file, image), `placeholder`, `collapse_placeholder`, `visibility`
    /// (show, hide, collapse), `character_limit` (`{length, error_text}`).
    public var composer: TemplateMap = [:]
    /// `title` (`{text}`), `progress` (`{value, show_percent}`), `milestones`
    /// (`[{text, current}]`), `buttons` (links: `{text, url}`).
    public var header: TemplateMap = [:]
    /// Markdown features of the text: `format`, `linkify`, `breaks`, `typographer`.
    public var markdown: [String] = []

    public init(composer: TemplateMap = [:], header: TemplateMap = [:], markdown: [String] = []) {
        (self.composer, self.header, self.markdown) = (composer, header, markdown)
    }

    public var isEmpty: Bool { composer.isEmpty && header.isEmpty && markdown.isEmpty }

    /// Event types whose events carry one (Meya's interactive events).
    public static let eventTypes: Set<String> = [
        EventTypes.say, EventTypes.ask, EventTypes.status, EventTypes.buttons, EventTypes.image, EventTypes.file, EventTypes.tiles,
        EventTypes.rating, EventTypes.info, EventTypes.formAsk, EventTypes.hero,
    ]

    /// Meya's markdown features, and what `markdown: true` means.
    public static let markdownFeatures = ["format", "linkify", "breaks", "typographer"]

    /// `{"composer"?, "header"?, "markdown"?}`: the keys it sets in an event's data and in a
    /// chat client's frame.
    public var json: TemplateMap {
        var data = TemplateMap()
        if !composer.isEmpty { data["composer"] = .map(composer) }
        if !header.isEmpty { data["header"] = .map(header) }
        if !markdown.isEmpty { data["markdown"] = .list(markdown.map(TemplateValue.string)) }
        return data
    }

    // MARK: Reading what authors write

    /// A composer as written (`ComposerElementSpec`), its known fields only.
    static func composer(_ value: TemplateValue) -> TemplateMap {
        guard case .map(let written) = value else { return [:] }
        var composer = TemplateMap()
        for key in ["focus", "placeholder", "collapse_placeholder", "visibility"] {
            if case .string(let text)? = written[key] { composer[key] = .string(text) }
        }
        if case .map(let limit)? = written["character_limit"] {
            var kept: TemplateMap = ["length": .int(number(limit["length"]).map { Int($0) } ?? 1000)]
            if case .string(let text)? = limit["error_text"] { kept["error_text"] = .string(text) }
            composer["character_limit"] = .map(kept)
        }
        return composer
    }

    /// A header as written (`HeaderElementSpec`): a title is text or `{text}`, progress a
    /// number or `{value, show_percent}`, a milestone text, `true` (current) or `{text, current}`;
    /// of its buttons, the links.
    static func header(_ value: TemplateValue) -> TemplateMap {
        guard case .map(let written) = value else { return [:] }
        var header = TemplateMap()
        switch written["title"] {
        case .string(let text)?: header["title"] = .map(["text": .string(text)])
        case .map(let title)?: if case .string(let text)? = title["text"] { header["title"] = .map(["text": .string(text)]) }
        default: break
        }
        switch written["progress"] {
        case .int?, .double?: header["progress"] = .map(["value": .double(number(written["progress"]) ?? 0)])
        case .map(let progress)?:
            var kept = TemplateMap()
            if let value = number(progress["value"]) { kept["value"] = .double(value) }
            if case .bool(let show)? = progress["show_percent"] { kept["show_percent"] = .bool(show) }
            if !kept.isEmpty { header["progress"] = .map(kept) }
        default: break
        }
        if case .list(let items)? = written["milestones"] {
            header["milestones"] = .list(items.map { item in
                switch item {
                case .string(let text): .map(["text": .string(text), "current": .bool(false)])
                case .bool(let current): .map(["text": .none, "current": .bool(current)])
                case .map(let milestone): .map(["text": milestone["text"] ?? .none, "current": .bool(milestone["current"]?.isTruthy ?? false)])
                default: .map(["text": .string(item.pythonString), "current": .bool(false)])
                }
            })
        }
        if case .list(let buttons)? = written["buttons"] {
            let links: [TemplateValue] = buttons.compactMap { button in
                guard case .map(let fields) = button, case .string(let text)? = fields["text"], case .string(let url)? = fields["url"] else { return nil }
                return .map(["text": .string(text), "url": .string(url)])
            }
            if !links.isEmpty { header["buttons"] = .list(links) }
        }
        return header
    }

    /// Markdown as written: `true` (every feature), `false` or a list of features; nil when not given.
    static func markdown(_ value: TemplateValue) -> [String]? {
        switch value {
        case .bool(let on): on ? markdownFeatures : []
        case .list(let items): items.compactMap { if case .string(let name) = $0, markdownFeatures.contains(name) { name } else { nil } }
        default: nil
        }
    }

    private static func number(_ value: TemplateValue?) -> Double? {
        switch value {
        case .int(let number)?: Double(number)
        case .double(let number)?: number
        default: nil
        }
    }

    /// `first`'s fields, and `second`'s where `first` has none (Meya's `ComposerEventSpec.__or__`).
    static func merged(_ first: TemplateMap, _ second: TemplateMap) -> TemplateMap {
        first.merging(second) { mine, _ in mine }
    }
}

extension Event {
    /// How a chat client presents this event (`Presentation`); nil when it carries none.
    public var presentation: Presentation? {
        guard Presentation.eventTypes.contains(type) else { return nil }
        var presentation = Presentation()
        if case .map(let composer)? = data["composer"] { presentation.composer = composer }
        if case .map(let header)? = data["header"] { presentation.header = header }
        if case .list(let features)? = data["markdown"] { presentation.markdown = features.compactMap { if case .string(let name) = $0 { name } else { nil } } }
        return presentation.isEmpty ? nil : presentation
    }
}
