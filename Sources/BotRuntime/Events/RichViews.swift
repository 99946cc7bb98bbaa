import FlowDSL

/// One tile (card) as users see it (`UserView.tiles`).
public struct TileView: Sendable, Equatable {
    public var title: String?
    public var description: String?
    public var imageURL: String?
    public var imageAlt: String?
    /// Label–value lines (`rows: [[{cell, value}]]`), row by row.
    public var rows: [[TileCell]]
    /// The tile's buttons; the tile itself first when it is a button.
    public var buttons: [Choice]
    /// The id a click on the whole tile sends, when it is a button.
    public var buttonID: String?
    public var url: String?

    /// The tile as a line of text: `TITLE — DESCRIPTION`.
    public var heading: String? {
        [title, description].compactMap { $0?.nilIfEmpty }.joined(separator: " — ").nilIfEmpty
    }

    /// The tile as the REST and WebSocket channels send it: `title`, `description`, `image`
    /// (`{url, alt}`), `rows` (`[[{cell, value}]]`), `buttons` (`{text, button_id?, url?}`,
    /// the tile's own first when it is one), and the tile's own `button_id` / `url`.
    public var json: TemplateValue {
        var tile = TemplateMap()
        if let title { tile["title"] = .string(title) }
        if let description { tile["description"] = .string(description) }
        if let imageURL {
            var image: TemplateMap = ["url": .string(imageURL)]
            if let imageAlt { image["alt"] = .string(imageAlt) }
            tile["image"] = .map(image)
        }
        if !rows.isEmpty {
            tile["rows"] = .list(rows.map { .list($0.map { .map(["cell": .string($0.cell), "value": .string($0.value)]) }) })
        }
        tile["buttons"] = .list(buttons.map(\.json))
        if let buttonID { tile["button_id"] = .string(buttonID) }
        if let url { tile["url"] = .string(url) }
        return .map(tile)
    }

    /// The rows as `CELL: VALUE` lines.
    public var rowLines: [String] {
        rows.map { $0.map { "\($0.cell): \($0.value)" }.joined(separator: ", ") }
    }
}

public struct TileCell: Sendable, Equatable {
    public var cell: String
    public var value: String
}

/// A form as users see it (`UserView.form`): a page of fields, or one field alone.
public struct FormView: Sendable, Equatable {
    /// What a submission names (`meya.form.event.submit`'s `form_id`).
    public var id: String
    public var fields: [FormFieldView]
    /// The submit button's text; nil: no submit button (Meya's `submit: null`).
    public var submitText: String?
    /// Extra buttons and quick replies, answered without the fields.
    public var buttons: [Choice]

    /// The form as the REST and WebSocket channels send it: `form_id`, `fields` (each `name`,
    /// `type`, `required`, and `label`, `placeholder`, `default`, `options` (`{text}`),
    /// `multi`, `info` when set), `submit_text` (absent: no submit button), `buttons`.
    public var json: TemplateValue {
        var form: TemplateMap = ["form_id": .string(id), "fields": .list(fields.map(\.json))]
        if let submitText { form["submit_text"] = .string(submitText) }
        if !buttons.isEmpty { form["buttons"] = .list(buttons.map(\.json)) }
        return .map(form)
    }

    /// The first field that takes an answer.
    public var firstInput: FormFieldView? { fields.first { $0.type != FormFieldView.infoType } }

    /// What a channel that shows only text asks first: the info above the first field, then
    /// that field's question; its options (and the form's buttons) are the choices.
    public var asText: (text: String, choices: [Choice]) {
        var lines: [String] = []
        for field in fields {
            if field.type == FormFieldView.infoType {
                if let info = field.info { lines.append(info) }
                continue
            }
            lines.append(field.question)
            break
        }
        return (lines.joined(separator: "\n"), (firstInput?.options.map { Choice(text: $0) } ?? []) + buttons)
    }
}

/// One field of a form.
public struct FormFieldView: Sendable, Equatable {
    public static let infoType = "info"

    /// The name the submission keys its value by.
    public var name: String
    /// `text`, `email`, `regex`, `choice`, `checkbox`, `select` or `info`.
    public var type: String
    public var label: String?
    public var placeholder: String?
    public var defaultValue: TemplateValue?
    public var required: Bool
    /// A choice's or select's options, by text.
    public var options: [String]
    public var multi: Bool
    /// An info field's text.
    public var info: String?

    /// The field as a form event carries it (`Event.formView` reads it back).
    public var json: TemplateValue {
        var field: TemplateMap = ["name": .string(name), "type": .string(type), "required": .bool(required)]
        if let label { field["label"] = .string(label) }
        if let placeholder { field["placeholder"] = .string(placeholder) }
        if let defaultValue { field["default"] = defaultValue }
        if !options.isEmpty { field["options"] = .list(options.map { .map(["text": .string($0)]) }) }
        if multi { field["multi"] = .bool(true) }
        if let info { field["info"] = .string(info) }
        return .map(field)
    }

    /// What a text channel asks for this field: its label (or placeholder), else what it wants.
    public var question: String {
        if let label = (label ?? placeholder)?.nilIfEmpty { return label }
        return switch type {
        case "email": "Your email address?"
        case "checkbox": "Yes or no?"
        case "choice", "select": multi ? "Choose one or more (numbers or texts, separated by commas):" : "Choose one:"
        default: "Your answer?"
        }
    }
}
