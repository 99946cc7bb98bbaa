import FlowDSL

extension ButtonItem {
    /// Every button a waiting `element` can be answered with, numbered in one order (the
    /// index an `Answer` carries): its own buttons (a button ask's, every tile's and its
    /// buttons', a rating's options, a page's extra buttons), then its quick replies. The
    /// trigger matcher and the handler resuming the step read this one list.
    static func answers(of element: Element, in context: ComponentContext) throws -> [ButtonItem] {
        let own: [ButtonItem] = switch element.type {
        case "meya.button.component.ask": try items(of: element, field: "buttons", in: context)
        case TileComponentHandler.tilesType: try TileComponentHandler.tiles(of: element, in: context).flatMap(\.buttons)
        case TileComponentHandler.ratingType: try TileComponentHandler.ratingOptions(of: element, in: context)
        case FormComponentHandler.pageType: try render(element["extra_buttons"], id: "\(element.id).extra_buttons", in: context)
        default: []
        }
        let replies = element.type == "meya.button.component.ask" ? [] : try items(of: element, field: "quick_replies", in: context)
        return (own + replies.map { reply in
            var reply = reply
            reply.isQuickReply = true
            return reply
        }).enumerated().map { index, item in
            var item = item
            item.index = index
            return item
        }
    }
}
