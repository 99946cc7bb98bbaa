import FlowDSL

/// Why one field of a form was refused.
public struct FormFieldError: Sendable, Equatable {
    public var name: String
    public var message: String

    public init(name: String, message: String) {
        self.name = name
        self.message = message
    }
}

extension Event {
    /// The tiles of a `meya.tile.event.ask`, as the runtime wrote them (`TileComponentHandler`).
    public var tileViews: [TileView] {
        guard case .list(let tiles)? = data["tiles"] else { return [] }
        return tiles.compactMap { entry in
            guard case .map(let tile) = entry else { return nil }
            var view = TileView(title: Self.string(tile["title"]), description: Self.string(tile["description"]),
                                imageURL: nil, imageAlt: nil, rows: [], buttons: [], buttonID: Self.string(tile["button_id"]),
                                url: Self.string(tile["url"]))
            if case .map(let image)? = tile["image"] {
                view.imageURL = Self.string(image["url"])
                view.imageAlt = Self.string(image["alt"])
            }
            if case .list(let rows)? = tile["rows"] {
                view.rows = rows.map { row in
                    guard case .list(let cells) = row else { return [] }
                    return cells.compactMap { cell in
                        guard case .map(let fields) = cell else { return nil }
                        return TileCell(cell: fields["cell"]?.pythonString ?? "", value: fields["value"]?.pythonString ?? "")
                    }
                }
            }
            // The tile itself first, when it is a button (a click on the card).
            if view.buttonID != nil || view.url != nil {
                view.buttons.append(Choice(text: view.title ?? view.description ?? "", buttonID: view.buttonID, url: view.url))
            }
            view.buttons += buttons(in: "buttons", of: tile)
            return view
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

    private static func string(_ value: TemplateValue?) -> String? {
        guard let value, value != .none else { return nil }
        if case .string(let text) = value { return text.isEmpty ? nil : text }
        return value.pythonString
    }
}
