import FlowDSL

extension ComponentContext {
    /// Gives the events a step emitted since `start` their presentation (`Presentation`), as
    /// Meya's interactive components and its bot do (`InteractiveComponent.post_process`,
    /// `Bot.post_process`): the step's own `composer:` and `header:` over the event config
    /// steps' (the flow's `event_composer` over the thread's, field by field); the step's
    /// `markdown:`, else the flow's or the thread's `event_markdown`, else the bot's `markdown:`.
    mutating func present(since start: Int, by element: Element) throws(TemplateRenderError) {
        guard start < emitted.count,
              emitted[start...].contains(where: { Presentation.eventTypes.contains($0.kept.type) }) else { return }
        var presentation = Presentation()
        presentation.composer = Presentation.merged(Presentation.composer(try render(element["composer"])),
                                                    configured("event_composer", Presentation.composer))
        presentation.header = Presentation.merged(Presentation.header(try render(element["header"])), configured("event_header", Presentation.header))
        let configured = try Presentation.markdown(render(element["markdown"]))
            ?? flowScope["event_markdown"].flatMap(Presentation.markdown)
            ?? thread.scope["event_markdown"].flatMap(Presentation.markdown)
        if let configured {
            presentation.markdown = configured
        } else {
            presentation.markdown = Presentation.markdown(try render(app.bot?["markdown"])) ?? []
        }
        let data = presentation.json
        guard !data.isEmpty else { return }
        for index in start..<emitted.count where Presentation.eventTypes.contains(emitted[index].kept.type) {
            for (key, value) in data where emitted[index].kept.data[key] == nil {
                emitted[index].kept.data[key] = value
                emitted[index].shown.data[key] = value
            }
        }
    }

    /// An event config step's value: the flow's fields over the thread's.
    private func configured(_ key: String, _ read: (TemplateValue) -> TemplateMap) -> TemplateMap {
        Presentation.merged(flowScope[key].map(read) ?? [:], thread.scope[key].map(read) ?? [:])
    }
}
