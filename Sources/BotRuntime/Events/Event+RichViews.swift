import FlowDSL

/// Why one field of a form was refused.
public struct FormFieldError: Sendable, Equatable {
    public var name: String
    public var message: String

    public init(name: String, message: String) {
        self.name = name
        self.message = message
    }

    /// `{NAME: WHY, …}`, as the REST and WebSocket channels send what became of a form.
    public static func json(_ errors: [FormFieldError]) -> TemplateValue {
        .map(TemplateMap(errors.map { ($0.name, .string($0.message)) }, uniquingKeysWith: { first, _ in first }))
    }
}

extension Event {
    /// The tiles of a `meya.tile.event.ask`, as the runtime wrote them (`TileView.json`).
    public var tileViews: [TileView] {
        guard case .list(let tiles)? = data["tiles"] else { return [] }
        return tiles.compactMap { entry in
            guard case .map(let tile) = entry else { return nil }
            return TileView(fields: tile, buttons: buttons(in: "buttons", of: tile), buttonID: Self.string(tile["button_id"]),
                            url: Self.string(tile["url"]))
        }
    }

    /// The form of a `meya.form.event.ask`, as the runtime wrote it (`FormComponentHandler`).
    public var formView: FormView? {
        guard case .string(let id)? = data["form_id"], case .list(let fields)? = data["fields"] else { return nil }
        let submit: String? = if case .string(let text)? = data["submit_text"] { text } else { nil }
        return FormView(id: id, fields: fields.compactMap { entry in
            guard case .map(let field) = entry, case .string(let name)? = field["name"], case .string(let type)? = field["type"] else {
                return nil
            }
            var options: [String] = []
            if case .list(let entries)? = field["options"] {
                options = entries.compactMap { if case .map(let option) = $0 { Self.string(option["text"]) } else { nil } }
            }
            return FormFieldView(name: name, type: type, label: Self.string(field["label"]), placeholder: Self.string(field["placeholder"]),
                                 defaultValue: field["default"].flatMap { $0 == .none ? nil : $0 },
                                 required: field["required"] == .bool(true), options: options, multi: field["multi"] == .bool(true),
                                 info: Self.string(field["info"]))
        }, submitText: submit, buttons: buttons(in: "buttons") + buttons(in: "quick_replies"))
    }

    static func string(_ value: TemplateValue?) -> String? {
        guard let value, value != .none else { return nil }
        if case .string(let text) = value { return text.isEmpty ? nil : text }
        return value.pythonString
    }
}

extension TileView {
    /// A tile from its fields, as written (rendered) or as `json` sent them: `title`,
    /// `description`, `image` (`{url, alt}`, or a URL), `rows` (`[[{cell, value}]]`); its buttons
    /// (the tile's own first when it is one) given.
    init(fields: TemplateMap, buttons: [Choice], buttonID: String?, url: String?) {
        self.init(title: Event.string(fields["title"]), description: Event.string(fields["description"]), imageURL: nil, imageAlt: nil,
                  rows: [], buttons: buttons, buttonID: buttonID, url: url)
        switch fields["image"] {
        case .string(let url)?: imageURL = url.nilIfEmpty
        case .map(let image)?: (imageURL, imageAlt) = (Event.string(image["url"]), Event.string(image["alt"]))
        default: break
        }
        if case .list(let rows)? = fields["rows"] {
            self.rows = rows.map { row in
                guard case .list(let cells) = row else { return [] }
                return cells.compactMap { cell in
                    guard case .map(let cell) = cell else { return nil }
                    return TileCell(cell: cell["cell"]?.pythonString ?? "", value: cell["value"]?.pythonString ?? "")
                }
            }
        }
    }
}
