import BotRuntime
import FlowDSL
import Foundation
import SharedTestFixtures
import Testing
import TwilioIntegration
import TwilioWire

/// The Twilio Voice channel over real HTTP: signed voice webhooks start a call's thread, and
/// each turn of the bot is answered as TwiML in the webhook's response: what the caller hears,
/// then a `<Gather>` for their answer, spoken or keyed.
@Suite("Twilio Voice channel")
struct VoiceChannelTests {
    /// The call of the voice fixtures, from +15555550123 to +15555550100.
    static let fixtureCall = "CA5d5d5511835ee8eb96d8b70f3394b970"
    static let caller = "+15555550123"
    static let number = "+15555550100"

    static let flows = [
        "flow/call.yaml": """
            triggers:
              - event_type: parley.twilio.voice.event.call_start
            steps:
              - say: Hi, I'm (@ bot.name ).
              - ask: What can I help you with?
                buttons:
                  - text: Hardware
                    result: hardware
                  - text: Software
                    button_id: software
                    result: software
              - say: (@ thread.channel ) help for (@ flow.result ).
            """,
        "flow/human.yaml": """
            triggers:
              - regex: \\b(human|person)\\b
            steps:
              - say: A person will call you back.
            """,
        "flow/hangup.yaml": """
            triggers:
              - event_type: parley.twilio.voice.event.hangup
            steps:
              - note: the call ended (@ flow.event.data.call_status )
            """,
    ]

    /// `<Say>` as the test app's voice integration writes it.
    static func say(_ text: String) -> String {
        #"<Say language="en-US" voice="Polly.Joanna">\#(text)</Say>"#
    }

    /// The `<Gather>` that takes the caller's answer, around `prompt`.
    static func gather(hints: String? = nil, _ prompt: String) -> String {
        #"<Gather action="https://bot.example.com/twilio/voice/gather" actionOnEmptyResult="true" "#
            + (hints.map { #"hints="\#($0)" "# } ?? "")
            + #"input="speech dtmf" language="en-US" method="POST" speechTimeout="auto">\#(prompt)</Gather>"#
    }

    static func twiml(_ body: String) -> String {
        #"<?xml version="1.0" encoding="UTF-8"?><Response>\#(body)</Response>"#
    }

    /// What the caller hears when the call comes in.
    static let greeting = twiml(say("Hi, I'm Test Bot.") + gather(hints: "Hardware, Software", say("What can I help you with?")
        + say("Press 1 or say Hardware. Press 2 or say Software.")))

    /// A voice webhook's form for `call`, as Twilio sends them (the fixtures' fields).
    static func callForm(_ call: String, _ extra: [(String, String)] = []) -> TwilioForm {
        var fields = [("AccountSid", TwilioFixtures.accountSid), ("ApiVersion", "2010-04-01"), ("CallSid", call),
                      ("CallStatus", "in-progress"), ("Direction", "inbound"), ("From", caller), ("To", number)]
        for (name, value) in extra {
            if let index = fields.firstIndex(where: { $0.0 == name }) { fields[index].1 = value } else { fields.append((name, value)) }
        }
        var form = TwilioForm()
        for (name, value) in fields { form.append(name, value) }
        return form
    }

    /// A new call comes in; answers its thread.
    static func newCall(_ bot: FlexBot) async throws -> String {
        let call = TwilioSID.random("CA")
        let reply = try await bot.deliver(callForm(call, [("CallStatus", "ringing")]), path: "/twilio/voice/incoming")
        #expect(reply.status == 200 && reply.body == greeting, "\(reply.body)")
        return call
    }

    @Test("an incoming call signed by Twilio starts its thread and is answered with TwiML: the greeting, then a Gather whose prompt is the question, its choices as hints and keys; altered, 403")
    func incomingCall() async throws {
        try await FlexBot.with(files: Self.flows, voice: true) { bot in
            let incoming = try TwilioFixtures.request("voice-incoming-call.http")
            let altered = try await bot.replay(incoming, body: incoming.body.replacingOccurrences(of: "CallerCity=OAKLAND", with: "CallerCity=BERKELEY"))
            #expect(altered.status == 403)
            let thread = VoiceIntegration.threadID(call: Self.fixtureCall)
            #expect(try await bot.engine.thread(thread) == nil)

            let reply = try await bot.replay(incoming)
            #expect(reply.status == 200)
            #expect(reply.contentType == "text/xml")
            #expect(reply.body == Self.greeting, "\(reply.body)")
            let record = try #require(try await bot.engine.thread(thread))
            #expect(record.userID == Self.caller)
            #expect(record.scope["channel"] == .string("voice"))
            let start = try #require(try await bot.ledger(thread).first)
            #expect(start.type == VoiceElements.Event.callStart)
            #expect(start.data["to"] == .string(Self.number) && start.data["from_city"] == .string("OAKLAND"))

            // Twilio retries a delivery it got no answer to: the same TwiML, nothing run again.
            #expect(try await bot.replay(incoming).body == Self.greeting)
            #expect(try await bot.ledger(thread).filter { $0.type == VoiceElements.Event.callStart }.count == 1)

            // The recorded Gather result: what the caller said, taken by the flows' triggers.
            let said = try await bot.replay(try TwilioFixtures.request("voice-gather-speech.http"))
            #expect(said.body == Self.twiml(Self.gather(Self.say("A person will call you back."))), "\(said.body)")
            #expect(try await bot.ledger(thread).contains { $0.sender == .user && $0.text == "I want to talk to a human about my order" })
        }
    }

    @Test("the caller answers by saying a choice (as recognition writes it) or pressing its key; other speech is text")
    func answers() async throws {
        try await FlexBot.with(files: Self.flows, voice: true) { bot in
            let spoken = try await Self.newCall(bot)
            let reply = try await bot.deliver(Self.callForm(spoken, [("SpeechResult", "Software."), ("Confidence", "0.91")]),
                                              path: "/twilio/voice/gather")
            #expect(reply.body == Self.twiml(Self.gather(Self.say("voice help for software."))), "\(reply.body)")
            let click = try #require(try await bot.ledger(VoiceIntegration.threadID(call: spoken)).last { $0.sender == .user })
            #expect(click.type == EventTypes.click && click.data["button_id"] == .string("software"))

            let keyed = try await Self.newCall(bot)
            let pressed = try await bot.deliver(Self.callForm(keyed, [("Digits", "1")]), path: "/twilio/voice/gather")
            #expect(pressed.body == Self.twiml(Self.gather(Self.say("voice help for hardware."))), "\(pressed.body)")

            let other = try await Self.newCall(bot)
            let free = try await bot.deliver(Self.callForm(other, [("SpeechResult", "Firmware, I think")]), path: "/twilio/voice/gather")
            #expect(free.body == Self.twiml(Self.gather(Self.say("voice help for Firmware, I think."))), "\(free.body)")
        }
    }

    @Test("a silence is asked the last question again twice, then the bot says goodbye and hangs up; a flow for no_input answers instead")
    func silence() async throws {
        try await FlexBot.with(files: Self.flows, voice: true) { bot in
            let call = try await Self.newCall(bot)
            let again = Self.twiml(Self.say("Sorry, I didn't catch that.")
                + Self.gather(hints: "Hardware, Software", Self.say("What can I help you with?")
                    + Self.say("Press 1 or say Hardware. Press 2 or say Software.")))
            for _ in 0..<2 {
                let reply = try await bot.deliver(Self.callForm(call), path: "/twilio/voice/gather")
                #expect(reply.body == again, "\(reply.body)")
            }
            let last = try await bot.deliver(Self.callForm(call), path: "/twilio/voice/gather")
            #expect(last.body == Self.twiml(Self.say("Sorry, I can't hear you. Goodbye.") + "<Hangup />"), "\(last.body)")
            let counts = try await bot.ledger(VoiceIntegration.threadID(call: call)).filter { $0.type == VoiceElements.Event.noInput }
                .map(\.data["count"])
            #expect(counts == [.int(1), .int(2), .int(3)])
        }
        let ownSilence = Self.flows.merging(["flow/silence.yaml": """
            triggers:
              - event_type: parley.twilio.voice.event.no_input
            steps:
              - say: Take your time. Say hardware or software.
            """]) { _, new in new }
        try await FlexBot.with(files: ownSilence, voice: true) { bot in
            let call = try await Self.newCall(bot)
            let reply = try await bot.deliver(Self.callForm(call), path: "/twilio/voice/gather")
            #expect(reply.body == Self.twiml(Self.gather(Self.say("Take your time. Say hardware or software."))), "\(reply.body)")
        }
    }

    /// A TaskRouter delivery of the fixture `name` about a call's task: its attributes are
    /// `attributes` (as `<Enqueue>` makes them), its task `task`.
    static func callTaskEvent(_ name: String, task: String, attributes: TemplateMap) throws -> TwilioForm {
        var form = TwilioForm()
        for field in try TwilioForm(encoded: try TwilioFixtures.request(name).body).fields {
            switch field.name {
            case "TaskAttributes": form.append(field.name, TemplateValue.map(attributes).jsonText)
            case "TaskSid": form.append(field.name, task)
            case "Sid": form.append(field.name, TwilioSID.random("EV"))
            default: form.append(field.name, field.value)
            }
        }
        return form
    }

    @Test("a caller asking for a person is enqueued to Flex: the task carries the summary, the reason and the caller; TaskRouter's events find the call's thread, and the call's end gives it back to the bot")
    func handoff() async throws {
        try await FlexBot.with(files: Self.flows.filter { $0.key != "flow/human.yaml" }, voice: true) { bot in
            let call = try await Self.newCall(bot)
            let thread = VoiceIntegration.threadID(call: call)
            let reply = try await bot.deliver(Self.callForm(call, [("SpeechResult", "Agent.")]), path: "/twilio/voice/gather")
            // What was said before start_chat is heard; then the call waits in the queue (what the flow says after is not heard).
            let prefix = Self.say("Your code is SECRET-4242")
                + #"<Enqueue workflowSid="\#(TwilioFixtures.workflowSid)"><Task>"#
            #expect(reply.body.hasPrefix(Self.twiml("").replacingOccurrences(of: "</Response>", with: "") + prefix), "\(reply.body)")
            #expect(reply.body.hasSuffix("</Task></Enqueue></Response>") && !reply.body.contains("Connecting you"), "\(reply.body)")
            let enqueue = try #require(try TwiMLReader.read(reply.body).children.last)
            let json = try #require(enqueue.children.first { $0.name == "Task" }?.text)
            guard case .map(let attributes) = try TemplateValue(jsonText: json) else {
                Issue.record("the task is not a JSON object: \(json)")
                return
            }
            #expect(attributes["parley_thread_id"] == .string(thread))
            #expect(attributes["handoff_reason"] == .string("customer asked for a human"))
            #expect(attributes["from"] == .string(Self.caller) && attributes["customerName"] == .string("Ada Lovelace"))
            let summary = if case .string(let text)? = attributes["conversationSummary"] { text } else { "" }
            #expect(summary.contains("name: Ada Lovelace") && summary.contains("> Agent"), "\(summary)")
            let record = try #require(try await bot.engine.thread(thread))
            #expect(record.mode == "agent")
            #expect(FlexThreadState(scope: record.scope)?.channelSid == call)

            // TaskRouter's events about the call's task reach its thread.
            let task = TwilioSID.random("WT")
            var taskAttributes = attributes
            taskAttributes["call_sid"] = .string(call)
            let accepted = try Self.callTaskEvent("taskrouter-reservation-accepted.http", task: task, attributes: taskAttributes)
            #expect(try await bot.deliver(accepted, path: "/twilio/taskrouter/events").status == 204)
            try await bot.settle()
            let taken = try #require(try await bot.engine.thread(thread))
            let handoff = try #require(FlexThreadState(scope: taken.scope))
            #expect(handoff.accepted && handoff.taskSid == task)

            // The call ends: the thread is the bot's again.
            #expect(try await bot.deliver(Self.callForm(call, [("CallStatus", "completed")]), path: "/twilio/voice/status").status == 204)
            try await bot.settle()
            let after = try #require(try await bot.engine.thread(thread))
            #expect(after.mode == "bot" && FlexThreadState(scope: after.scope) == nil)
        }
    }

    @Test("the status callback of an ended call files hangup once; one of a call in progress files nothing")
    func hangup() async throws {
        try await FlexBot.with(files: Self.flows, voice: true) { bot in
            let call = try await Self.newCall(bot)
            let thread = VoiceIntegration.threadID(call: call)
            #expect(try await bot.deliver(Self.callForm(call, [("CallStatus", "in-progress")]), path: "/twilio/voice/status").status == 204)
            let ended = Self.callForm(call, [("CallStatus", "completed"), ("CallDuration", "42")])
            for _ in 0..<2 { #expect(try await bot.deliver(ended, path: "/twilio/voice/status").status == 204) }
            try await bot.settle()
            let hangups = try await bot.ledger(thread).filter { $0.type == VoiceElements.Event.hangup }
            #expect(hangups.count == 1)
            #expect(hangups.first?.data["call_status"] == .string("completed") && hangups.first?.data["call_duration"] == .int(42))
            #expect(try await bot.ledger(thread).contains { $0.type == EventTypes.note })
        }
    }
}
