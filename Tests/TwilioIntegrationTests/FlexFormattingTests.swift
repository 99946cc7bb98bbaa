import BotRuntime
import FlowDSL
import Foundation
import Testing
import TwilioIntegration

@Suite("Flex agent names and transcripts")
struct FlexFormattingTests {
    @Test("agent.name options", arguments: [
        ("full", "Alice Mary Agent", "Alice Mary Agent"),
        ("first", "Alice Agent", "Alice"),
        ("first_initial", "Alice Agent", "A."),
        ("first_last_initial", "Alice Mary Agent", "Alice A."),
        ("first_initial_last_initial", "Alice Agent", "A. A."),
        ("first_last_initial", "Alice", "Alice"),
        ("Support team", "Alice Agent", "Support team"),
        ("full", "", "Agent"),
        ("first", "  ", "Agent"),
    ])
    func agentNames(option: String, fullName: String, shown: String) {
        #expect(AgentNameFormat(option: option).displayName(fullName: fullName) == shown)
    }

    @Test("no option is full; no name is Agent")
    func defaults() {
        #expect(AgentNameFormat(option: nil) == .full)
        #expect(AgentNameFormat(option: nil).displayName(fullName: nil) == "Agent")
    }

    @Test("a transcript keeps the last events with lines, with prefixes, buttons and the chosen button's text")
    func transcriptLines() {
        func event(_ type: String, _ sender: Sender, _ data: TemplateMap) -> Event {
            Event(type: type, threadID: "t", sender: sender, userID: sender == .user ? "u" : "bot", data: data)
        }
        let buttons: TemplateValue = .list([
            .map(["text": .string("Hardware"), "button_id": .string("b.0")]),
            .map(["text": .string("Docs"), "url": .string("https://example.com/docs")]),
        ])
        let events = [
            event(EventTypes.pageOpen, .user, [:]),
            event(EventTypes.say, .user, ["text": .string("hi")]),
            event(EventTypes.buttons, .bot, ["text": .string("Which?"), "buttons": buttons]),
            event(EventTypes.status, .bot, ["text": .string("a status")]),
            event(EventTypes.note, .bot, ["text": .string("a note")]),
            event(EventTypes.click, .user, ["button_id": .string("b.0")]),
            event(EventTypes.say, .agent, ["text": .string("Hello, I'm Alice")]),
            event(EventTypes.agentCommand, .agent, ["text": .string("/verify")]),
            event(EventTypes.error, .bot, ["text": .string("boom")]),
            event(EventTypes.say, .bot, ["text": .string("two\nlines")]),
        ]
        var options = FlexSettings.TranscriptOptions()
        #expect(FlexTranscript(options: options).render(events) == """
            user: hi
            bot: Which?
            --> [Hardware]
            --> [Docs] - https://example.com/docs
            user: Hardware
            agent: Hello, I'm Alice
            bot: two
            lines
            """)
        options.count = 2
        options.agentPrefix = "Agent"
        #expect(FlexTranscript(options: options).render(events) == "Agent: Hello, I'm Alice\nbot: two\nlines")
        options.count = 0
        #expect(FlexTranscript(options: options).render(events) == nil)
    }
}
