import FlowDSL
import OrderedCollections

/// Runs Meya's tiles (`tiles:`, cards of title, description, image, label–value rows and
/// buttons, a tile itself a button when it has `result:` or `action:`) and ratings
/// (`rating: faces|stars|thumbs|custom`), as `meya/tile/component` does: the step waits when
/// a click can act, and the clicked button's `result` (a rating's score) is `flow.result`.
struct TileComponentHandler: ComponentHandler {
    static let tilesType = "meya.tile.component.ask"
    static let ratingType = "meya.tile.component.rating"
    static let tilesEvent = "meya.tile.event.ask"
    static let ratingEvent = "meya.tile.event.rating"

    var types: [String] { [Self.tilesType, Self.ratingType] }

    /// One tile as rendered: what users see of it, and its buttons (the tile's own first when
    /// it is one), in the order of the view's.
    struct Tile {
        var view: TileView
        var buttons: [ButtonItem]
    }

    func run(_ element: Element, in context: inout ComponentContext) async throws -> ComponentOutcome {
        var data = TemplateMap(), own: [ButtonItem]
        if element.type == Self.ratingType {
            own = try Self.ratingOptions(of: element, in: context)
            data["title"] = .string(try context.renderText(element["title"]))
            data["rating"] = try context.render(element["rating"])
            data["options"] = .list(own.map(\.eventValue))
        } else {
            let tiles = try Self.tiles(of: element, in: context)
            own = tiles.flatMap(\.buttons)
            let text = try context.renderShown(element["ask"])
            if text.kept != .none { data["text"] = .string(text.kept.pythonString) }
            data["tiles"] = .list(tiles.map(\.view.json))
            for key in ["button_style", "layout"] {
                if case .string(let word) = try context.render(element[key]) { data[key] = .string(word) }
            }
        }
        let replies = try ButtonItem.items(of: element, field: "quick_replies", in: context)
        if !replies.isEmpty { data["quick_replies"] = .list(replies.map(\.eventValue)) }
        context.emit(element.type == Self.ratingType ? Self.ratingEvent : Self.tilesEvent, data: data)
        return (own + replies).contains { $0.isActionable } ? .wait : .next()
    }

    func resume(_ element: Element, answer: Answer, in context: inout ComponentContext) async throws -> ComponentOutcome {
        let buttons = try ButtonItem.answers(of: element, in: context)
        guard let index = answer.buttonIndex, index < buttons.count else { return .wait }
        return buttons[index].outcome()
    }

    /// The tiles of `element`, rendered, each with its buttons (ids `ELEMENT.tiles.T` for a
    /// tile that is a button, `ELEMENT.tiles.T.buttons.B` for its buttons).
    static func tiles(of element: Element, in context: ComponentContext) throws -> [Tile] {
        switch element["tiles"] {
        case .list(let entries)?:
            return try entries.enumerated().compactMap { index, entry in
                guard case .map(let fields) = entry else { return nil }
                let id = "\(element.id).tiles.\(index)"
                var rendered = TemplateMap()
                for key in ["title", "description", "image", "rows"] {
                    if let field = fields[key] { rendered[key] = try context.render(field) }
                }
                return tile(rendered, own: try ButtonItem.item(fields, text: fields["title"] ?? fields["description"], index: 0, id: id, in: context),
                            buttons: try ButtonItem.render(fields["buttons"], id: "\(id).buttons", in: context))
            }
        case let value?:
            // A template that renders to a list of tiles (`tiles: (@ flow.result )`).
            guard case .list(let rendered) = try context.render(value) else { return [] }
            return rendered.enumerated().compactMap { index, entry in
                guard case .map(let fields) = entry else { return nil }
                let id = "\(element.id).tiles.\(index)"
                let text = fields["title"]?.pythonString ?? fields["description"]?.pythonString ?? ""
                let buttons: [TemplateValue] = if case .list(let buttons)? = fields["buttons"] { buttons } else { [] }
                return tile(fields, own: ButtonItem.item(rendered: fields, text: text, index: 0, id: id),
                            buttons: ButtonItem.items(rendered: buttons, id: "\(id).buttons"))
            }
        case nil:
            return []
        }
    }

    /// A tile from its rendered fields and buttons: a button itself when a click on it acts or links.
    private static func tile(_ fields: TemplateMap, own: ButtonItem, buttons: [ButtonItem]) -> Tile {
        let isButton = own.isActionable || own.url != nil
        let all = (isButton ? [own] : []) + buttons
        return Tile(view: TileView(fields: fields, buttons: all.map(\.choice), buttonID: isButton ? own.buttonID : nil,
                                   url: isButton ? own.url : nil), buttons: all)
    }

    /// A rating's options as buttons whose result is the score: faces −2…2, stars 1…5, thumbs
    /// −1 and 1 (`meya/tile/component/rating.py`), or the written `options`.
    static func ratingOptions(of element: Element, in context: ComponentContext) throws -> [ButtonItem] {
        let scale: [(text: String, score: Int)] = switch try context.render(element["rating"]).pythonString {
        case "faces": [("😠", -2), ("🙁", -1), ("😐", 0), ("🙂", 1), ("😀", 2)]
        case "stars": (1...5).map { (String(repeating: "★", count: $0), $0) }
        case "thumbs": [("👎", -1), ("👍", 1)]
        default: []
        }
        if !scale.isEmpty {
            return scale.enumerated().map { index, option in
                var item = ButtonItem(index: index, text: option.text)
                item.result = .int(option.score)
                item.buttonID = "\(element.id).options.\(index)"
                return item
            }
        }
        guard case .list(let options)? = element["options"] else { return [] }
        return try options.enumerated().compactMap { index, entry in
            guard case .map(let fields) = entry else { return nil }
            var item = ButtonItem(index: index, text: try context.renderText(fields["text"] ?? fields["score"]))
            item.result = try context.render(fields["score"])
            item.buttonID = "\(element.id).options.\(index)"
            return item
        }
    }
}
