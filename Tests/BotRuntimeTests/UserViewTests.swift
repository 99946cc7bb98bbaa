import BotRuntime
import FlowDSL
import Testing

@Suite("What a user sees")
struct UserViewTests {
    private func event(_ type: String, _ sender: Sender, _ data: TemplateMap = [:]) -> Event {
        Event(type: type, threadID: "t", sender: sender, userID: sender == .user ? "ana" : "", data: data)
    }

    @Test("each kind of event is shown as one thing, or kept from the user, and the plain lines follow it")
    func kinds() {
        let buttons: TemplateValue = .list([.map(["text": .string("Yes"), "button_id": .string("b1")]),
                                            .map(["text": .string("Docs"), "url": .string("https://example.com")])])
        let ask = event(EventTypes.ask, .bot, ["text": .string("Sure?"), "buttons": buttons])
        #expect(ask.userView == .message(text: "Sure?", choices: [Choice(text: "Yes", buttonID: "b1"),
                                                                  Choice(text: "Docs", url: "https://example.com")], agentName: nil))
        #expect(ask.plainLines == ["bot: Sure?", "button: Yes", "button: Docs"])

        let agent = event(EventTypes.say, .agent, ["text": .string("Hi"), "agent_name": .string("Sam")])
        #expect(agent.userView == .message(text: "Hi", choices: [], agentName: "Sam"))
        #expect(agent.plainLines == ["agent(Sam): Hi"])

        #expect(event(EventTypes.status, .bot, ["text": .string("Queued")]).plainLines == ["status: Queued"])
        #expect(event(EventTypes.error, .system, ["text": .string("boom")]).userView == .error("boom"))

        let click = event(EventTypes.click, .user, ["button_id": .string("b1"), "text": .string("Yes")])
        #expect(click.userView == .userInput(text: "Yes", buttonID: "b1"))
        #expect(click.plainLines.isEmpty)

        // Kept from users: what is for agents, and a user's own events other than their history.
        #expect(event(EventTypes.note, .bot, ["text": .string("VIP")]).userView == nil)
        #expect(event(EventTypes.agentCommand, .agent, ["text": .string("/close")]).userView == nil)
        #expect(event(EventTypes.media, .user, ["url": .string("https://example.com/a.png")]).userView == nil)

        // Signals carry no text, even when their data has some.
        let failed = event("meya.twilio.flex.event.error", .system, ["text": .string("Twilio said 20003")])
        #expect(failed.userView == .signal)
        #expect(failed.plainLines.isEmpty)
        #expect(event(EventTypes.mode, .bot, ["mode": .string("agent")]).userView == .signal)
    }
}
