import Foundation
import SharedTestFixtures
import Testing
import TwilioEmulator
import TwilioWire

/// The acceptance run of voice: the real `botcli serve` binary on the template app and the
/// emulator's calls, over HTTP on 127.0.0.1. A caller calls the emulator's number, whose voice
/// URL is the app's voice integration; the bot's TwiML is played, a scripted Dialogflow CX
/// agent (`<Connect><VirtualAgent>`) takes software questions, and the call goes on to a Flex
/// agent (`<Enqueue>`), back to the bot, or ends. What the caller heard is read from the call.
@Suite("Voice: botcli serve with the emulator's calls and a scripted virtual agent")
struct VoiceServeTests {
    static let number = "+15555550100"
    static let caller = "+15558675310"
    static let welcome = "Hi, I'm the software assistant. What's going on?"

    static let script = VirtualAgentScript(
        connectorName: "software-help", welcome: welcome, resumed: "Thanks. Where were we?",
        turns: [
            .init(when: ["crash"], reply: "Sorry to hear that. Does it crash when you open a file?", intent: "software.crash", confidence: 0.91),
            .init(when: ["person"], reply: "Let me find you a person who knows the editor.", intent: "handoff.agent", confidence: 0.95,
                  end: .liveAgentHandoff, parameters: ["reason": "editor crashes on open", "product": "editor"]),
            .init(when: ["order"], reply: "I need your order number first.", intent: "order.check", end: .paused,
                  parameters: ["resume_after": "order_check"]),
            .init(when: ["broken"], end: .failed, errorCode: 32601, error: "INVALID_ARGUMENT: the agent's flow is broken"),
        ])

    /// The served template app, the emulator, and the admin API's view of a call's thread.
    struct Line: Sendable {
        let emulator: TwilioEmulator
        let port: Int
        var agent: AgentClient { emulator.agent }

        func ledger(_ call: String) async throws -> Ledger {
            try await Ledger.read("twilio-call-\(call)", port: port, token: FlexHandoffServeTests.token)
        }

        /// The call's ledger once `predicate` holds (a status callback is taken before its turn runs).
        func waitForLedger(_ call: String, _ what: String, where predicate: (Ledger) -> Bool) async throws -> Ledger {
            let deadline = ContinuousClock.now + .seconds(20)
            while true {
                let ledger = try await self.ledger(call)
                if predicate(ledger) { return ledger }
                guard ContinuousClock.now < deadline else {
                    Issue.record("the ledger never showed \(what): \(ledger.events.map(\.type))")
                    return ledger
                }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    /// The template app served, its Flex integration pointed at a new emulator that has the
    /// scripted virtual agent and a number whose calls ask the app's voice integration.
    static func withLine(_ body: @escaping @Sendable (Line) async throws -> Void) async throws {
        let (app, emulator) = try await FlexHandoffServeTests.templateWithEmulator(.conversations) { $0.virtualAgents = [Self.script] }
        defer { try? FileManager.default.removeItem(at: app) }
        try await FlexHandoffServeTests.serve(app, with: emulator) { port, _ in
            try await FlexHandoffServeTests.rest(emulator, "/2010-04-01/Accounts/\(emulator.configuration.accountSid)/IncomingPhoneNumbers.json", [
                "PhoneNumber": number, "VoiceUrl": "http://127.0.0.1:\(port)/twilio/voice/incoming",
                "StatusCallback": "http://127.0.0.1:\(port)/twilio/voice/status",
            ])
            try await body(Line(emulator: emulator, port: port))
        }
    }

    /// A call comes in: the bot greets, asks the caller's name, then asks with buttons; the
    /// caller says "Software." and the virtual agent answers.
    static func reachVirtualAgent(_ line: Line) async throws -> PhoneCall {
        let ringing = try await line.agent.call(from: caller, to: number)
        #expect(ringing.state == "listening" && ringing.lines.map(\.text) == ["Hi, I'm Parley Bot.", "What's your name?"], "\(ringing.lines)")
        let named = try await line.agent.speak("Ana.", on: ringing.sid)
        #expect(named.hints == "Hardware, Software")
        #expect(named.lines.suffix(3).map(\.text) == ["Nice to meet you, Ana!", "What can I help you with?",
                                                      "Press 1 or say Hardware. Press 2 or say Software."], "\(named.lines)")
        let connected = try await line.agent.speak("Software.", on: ringing.sid)
        #expect(connected.state == "virtual_agent" && connected.virtualAgent == "software-help", "\(connected.lines)")
        #expect(connected.lines.suffix(3).map(\.text) == ["Our software assistant can help with that.",
                                                          "connected to the virtual agent `software-help`", welcome])
        return connected
    }

    @Test("a call: greeted, asked with buttons, the caller says software; the scripted Dialogflow CX agent takes two turns (filed on the thread) and hands off; the call is enqueued with its handoff parameters, the summary and the caller; accepted, the agent hangs up, the bot has the thread again")
    func handoff() async throws {
        try await Self.withLine { line in
            let call = try await Self.reachVirtualAgent(line).sid
            let turn = try await line.agent.speak("my editor keeps crashing", on: call)
            #expect(turn.lines.last?.text == "Sorry to hear that. Does it crash when you open a file?")
            let queued = try await line.agent.speak("I want a person", on: call)
            #expect(queued.state == "queued", "\(queued.lines)")

            let task = try await line.agent.waitForTask { $0.channelSid == call && $0.status == "reserved" }
            #expect(task.taskChannel == "voice" && task.friendlyName == "Ana - software")
            #expect(task.attributes["product"]?.stringValue == "editor", "the virtual agent's handoff parameters route the task")
            #expect(task.attributes["handoffReason"]?.stringValue == "editor crashes on open")
            #expect(task.attributes["from"]?.stringValue == Self.caller && task.attributes["parley_thread_id"]?.stringValue == "twilio-call-\(call)")
            let summary = try #require(task.attributes["conversationSummary"]?.stringValue)
            #expect(summary.contains("my editor keeps crashing") && summary.contains("name: Ana"), "the summary has what the virtual agent heard: \(summary)")

            let ledger = try await line.ledger(call)
            let turns = ledger.events("parley.twilio.voice.event.virtual_agent_turn")
            #expect(turns.count == 2, "\(turns.map(\.data))")
            #expect(turns.first?.data.contains(#""intent":"software.crash""#) == true && turns.first?.data.contains(#""resolved_input":"my editor keeps crashing""#) == true)
            #expect(ledger.mode == "agent")

            try await line.agent.accept(task.sid)
            #expect(try await line.agent.phoneCall(call, wait: .zero).value.state == "with_agent")
            try await line.agent.endChat(task.sid)
            #expect(try await line.agent.complete(task.sid, reason: "Call completed").status == "completed")
            let after = try await line.waitForLedger(call, "the call's end and the bot again") { ledger in
                ledger.mode == "bot" && !ledger.events("parley.twilio.voice.event.hangup").isEmpty
            }
            #expect(after.events("parley.twilio.voice.event.hangup").count == 1)
        }
    }

    @Test("a caller who hangs up during the virtual agent's session: the step ends with status hangup, and the call's end is filed once")
    func hangUpDuringSession() async throws {
        try await Self.withLine { line in
            let call = try await Self.reachVirtualAgent(line).sid
            try await line.agent.speak("my editor keeps crashing", on: call)
            try await line.agent.hangUp(call)
            let ledger = try await line.waitForLedger(call, "the hangup") { !$0.events("parley.twilio.voice.event.hangup").isEmpty }
            let ended = ledger.events("parley.twilio.voice.event.virtual_agent_ended")
            #expect(ended.count == 1 && ended.first?.data.contains(#""status":"hangup""#) == true, "\(ended.map(\.data))")
            #expect(ledger.waitingElement == nil, "no step waits for a call that ended")
        }
    }

    @Test("the virtual agent fails (32601): the template's flow apologises and hands the call to a person, saying why")
    func failure() async throws {
        try await Self.withLine { line in
            let call = try await Self.reachVirtualAgent(line).sid
            let queued = try await line.agent.speak("it is all broken", on: call)
            #expect(queued.state == "queued" && queued.lines.contains(PhoneCall.Line(
                speaker: .bot, text: "Sorry, our assistant can't take your call right now. Let me find you a person.")), "\(queued.lines)")
            let task = try await line.agent.waitForTask { $0.channelSid == call }
            #expect(task.attributes["handoffReason"]?.stringValue
                == "the virtual agent failed (32601): Virtual Agent: Provider Error: INVALID_ARGUMENT: the agent's flow is broken")
            let ended = try await line.ledger(call).events("parley.twilio.voice.event.virtual_agent_ended")
            #expect(ended.last?.data.contains("INVALID_ARGUMENT: the agent's flow is broken") == true, "\(ended.map(\.data))")
        }
    }

    @Test("a pause: the bot asks for the order number and resumes the session with resumeEndUserId within 30 minutes; paused again and resumed 31 minutes later on Twilio's clock (the emulator's), Twilio refuses with 32606 and the bot finds a person")
    func pauseAndResume() async throws {
        try await Self.withLine { line in
            let call = try await Self.reachVirtualAgent(line).sid
            let asked = try await line.agent.speak("it is about my order", on: call)
            #expect(asked.state == "listening" && asked.lines.last?.text == "Before we go on, what's your order number?", "\(asked.lines)")
            // The emulator resumes only the session paused on this call, named by its end user.
            let resumed = try await line.agent.speak("1234", on: call)
            #expect(resumed.state == "virtual_agent", "\(resumed.lines)")
            #expect(resumed.lines.suffix(2).map(\.text) == ["the virtual agent `software-help` resumed its session with the event order_checked",
                                                            "Thanks. Where were we?"])

            try await line.agent.speak("another order", on: call)
            try await line.agent.advanceClock(by: .seconds(31 * 60))
            let late = try await line.agent.speak("1234", on: call)
            #expect(late.errors.last?.contains("32606") == true && late.state == "queued", "\(late.errors) \(late.lines)")
            let task = try await line.agent.waitForTask { $0.channelSid == call }
            #expect(task.attributes["handoffReason"]?.stringValue
                == "the virtual agent failed (32606): Virtual Agent: Resume Error: the session was paused more than 30 minutes ago")
        }
    }

    @Test("the bot's own 30 minutes: paused, then the bot restarted with its clock 31 minutes on (--clock-skew) does not try to resume (no resumeEndUserId), says why, and finds a person for the caller")
    func resumeTooLateForTheBot() async throws {
        let (app, emulator) = try await FlexHandoffServeTests.templateWithEmulator(.conversations) { $0.virtualAgents = [Self.script] }
        defer { try? FileManager.default.removeItem(at: app) }
        try await FlexHandoffServeTests.serve(app, with: emulator) { port, running in
            try await FlexHandoffServeTests.rest(emulator, "/2010-04-01/Accounts/\(emulator.configuration.accountSid)/IncomingPhoneNumbers.json", [
                "PhoneNumber": Self.number, "VoiceUrl": "http://127.0.0.1:\(port)/twilio/voice/incoming",
                "StatusCallback": "http://127.0.0.1:\(port)/twilio/voice/status",
            ])
            let line = Line(emulator: emulator, port: port)
            let call = try await Self.reachVirtualAgent(line).sid
            let asked = try await line.agent.speak("it is about my order", on: call)
            #expect(asked.lines.last?.text == "Before we go on, what's your order number?")
            // The same bot on the same address (the call's <Gather> names it), 31 minutes later by its clock.
            running.send(SIGTERM)
            _ = try await running.waitForExit()
            let (later, _) = try await BotCLIRunner.serve(app: app, arguments: ["--port", "\(port)", "--clock-skew", "1860"],
                                                          environment: ["PARLEY_ADMIN_TOKEN": FlexHandoffServeTests.token])
            defer { later.send(SIGTERM) }
            let refused = try await line.agent.speak("1234", on: call)
            #expect(refused.state == "queued", "\(refused.lines)\n\(later.output)")
            #expect(!refused.lines.contains { $0.text.contains("resumed its session") } && !refused.errors.contains { $0.contains("32606") },
                    "the bot did not ask Twilio to resume: \(refused.lines) \(refused.errors)")
            let task = try await line.agent.waitForTask { $0.channelSid == call }
            #expect(task.attributes["handoffReason"]?.stringValue
                    == "the virtual agent failed: the session was paused 31 minutes ago; Twilio keeps a paused session for 30 minutes",
                    "\(task.attributes)")
        }
    }
}
