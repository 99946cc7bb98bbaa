import BotRuntime
import FlowDSL
import Foundation
import SharedTestFixtures
import Synchronization
import Testing
import TwilioIntegration
import TwilioWire

/// `parley.twilio.voice.component.virtual_agent` over real HTTP, with the recorded Twilio
/// callbacks: the call is connected to a Dialogflow CX agent with `<Connect><VirtualAgent>`,
/// its turns are filed on the thread, and the session's end resumes the flow, which branches on
/// it as Studio's transitions do: a live-agent handoff enqueues the call to Flex with the
/// agent's handoff parameters; a pause is resumed within 30 minutes, and not after.
@Suite("Twilio Voice: virtual agent")
struct VirtualAgentTests {
    static let flows = [
        "flow/call.yaml": """
            triggers:
              - event_type: parley.twilio.voice.event.call_start
            steps:
              - say: Connecting you to our assistant.
              - type: parley.twilio.voice.component.virtual_agent
                connector_name: acme-dialogflow-cx
                parameters:
                  customer_name: Ada Lovelace
                  bot_session_id: sess-0001
                config:
                  language: en-us
                  welcomeIntent: greeting_event
              - if: (@ flow.result.status == 'live-agent-handoff' )
                then:
                  jump: handoff
                else: next
              - if: (@ flow.result.status == 'paused' )
                then:
                  jump: paused
                else: next
              - say: The assistant is done (@ flow.result.status ) (@ flow.result.error_code ).
              - end
              - (handoff)
              - type: meya.twilio.flex.component.start_chat
                chat_friendly_name: Ada Lovelace
                task_attributes: (@ flow.result.handoff_parameters )
                reason: (@ flow.result.handoff_parameters.reason )
              - end
              - (paused)
              - say: Say continue when you are ready.
            """,
        "flow/continue.yaml": """
            triggers:
              - keyword: continue
            steps:
              - type: parley.twilio.voice.component.virtual_agent
                connector_name: acme-dialogflow-cx
                resume: true
                resume_event: identity_verified
              - say: Back from the assistant, (@ flow.result.status ). (@ flow.result.error )
            """,
    ]

    static let thread = VoiceIntegration.threadID(call: VoiceChannelTests.fixtureCall)

    /// The recorded call comes in; its answer.
    static func callComesIn(_ bot: FlexBot) async throws -> FlexBot.Reply {
        try await bot.replay(try TwilioFixtures.request("voice-incoming-call.http"))
    }

    @Test("the call is connected as twilio-python writes <Connect><VirtualAgent>; its turns are filed; a live-agent handoff enqueues the call with the agent's parameters")
    func handoff() async throws {
        try await FlexBot.with(files: Self.flows, voice: true) { bot in
            let connected = try await Self.callComesIn(bot)
            let fixture = try TwilioFixtures.text("twiml-connect-virtualagent.xml").trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(connected.body == fixture.replacingOccurrences(
                of: "<Response>", with: "<Response>" + VoiceChannelTests.say("Connecting you to our assistant.")), "\(connected.body)")

            let status = try await bot.replay(try TwilioFixtures.request("virtualagent-status-callback-intent.http"))
            #expect(status.status == 204)
            try await bot.settle()
            let ledger = try await bot.ledger(Self.thread)
            let turn = try #require(ledger.last { $0.type == VoiceElements.Event.virtualAgentTurn }, "\(ledger.map(\.type))")
            #expect(turn.data["intent"] == .string("order.status") && turn.data["resolved_input"] == .string("where is my order"))
            #expect(turn.data["reply_text"] == .string("Sure, what's your order number?"))

            let handoff = try await bot.replay(try TwilioFixtures.request("virtualagent-action-live-agent-handoff.http"))
            let enqueue = try #require(try TwiMLReader.read(handoff.body).children.last, "\(handoff.body)")
            #expect(enqueue.name == "Enqueue", "\(handoff.body)")
            let json = try #require(enqueue.children.first?.text)
            guard case .map(let attributes) = try TemplateValue(jsonText: json) else {
                Issue.record("the task is not a JSON object: \(json)")
                return
            }
            #expect(attributes["order_number"] == .string("1234") && attributes["handoffReason"] == .string("billing dispute"))
            #expect(attributes["parley_thread_id"] == .string(Self.thread))
            // The agent's summary has what the virtual agent heard.
            let summary = if case .string(let text)? = attributes["conversationSummary"] { text } else { "" }
            #expect(summary.contains("Reason: billing dispute") && summary.contains("> where is my order"), "\(summary)")
            #expect(try await bot.engine.thread(Self.thread)?.mode == "agent")
        }
    }

    /// The event each recorded voice webhook files, and its `status` for a session's end.
    static let fixtureEvents: [String: (type: String, status: String?)] = [
        "voice-incoming-call.http": (VoiceElements.Event.callStart, nil),
        "voice-gather-speech.http": (EventTypes.say, nil),
        "virtualagent-status-callback-intent.http": (VoiceElements.Event.virtualAgentTurn, nil),
        "virtualagent-action-completed.http": (VoiceElements.Event.virtualAgentEnded, "completed"),
        "virtualagent-action-live-agent-handoff.http": (VoiceElements.Event.virtualAgentEnded, "live-agent-handoff"),
        "virtualagent-action-paused.http": (VoiceElements.Event.virtualAgentEnded, "paused"),
        "virtualagent-action-failed.http": (VoiceElements.Event.virtualAgentEnded, "failed"),
    ]

    @Test("every recorded voice and virtual agent webhook is taken with its signature and files its event; altered, it is refused (403) and files nothing")
    func everyFixture() async throws {
        let names = try FixtureFiles.twilioRequestNames().filter { $0.hasPrefix("voice-") || $0.hasPrefix("virtualagent-") }
        #expect(Set(names) == Set(Self.fixtureEvents.keys), "a voice fixture without an expectation here")
        for name in names {
            try await FlexBot.with(files: Self.flows, voice: true) { bot in
                if name != "voice-incoming-call.http" { _ = try await Self.callComesIn(bot) }
                let before = try await bot.ledger(Self.thread).count
                let recorded = try TwilioFixtures.request(name)
                let altered = try await bot.replay(recorded, body: recorded.body + "&Tampered=1")
                #expect(altered.status == 403, "\(name)")
                #expect(try await bot.ledger(Self.thread).count == before, "\(name)")
                let taken = try await bot.replay(recorded)
                #expect((200..<300).contains(taken.status), "\(name): \(taken.status) \(taken.body)")
                try await bot.settle()
                let expected = try #require(Self.fixtureEvents[name])
                let filed = try await bot.ledger(Self.thread).dropFirst(before).first { $0.type == expected.type }
                #expect(filed != nil, "\(name)")
                if let status = expected.status { #expect(filed?.data["status"] == .string(status), "\(name)") }
            }
        }
    }

    @Test("a failed session (32601) resumes the flow with its error code and error")
    func failed() async throws {
        try await FlexBot.with(files: Self.flows, voice: true) { bot in
            _ = try await Self.callComesIn(bot)
            let reply = try await bot.replay(try TwilioFixtures.request("virtualagent-action-failed.http"))
            #expect(reply.body.contains("The assistant is done failed 32601."), "\(reply.body)")
            // Twilio retries a delivery it got no answer to: the same TwiML, nothing run again.
            #expect(try await bot.replay(try TwilioFixtures.request("virtualagent-action-failed.http")).body == reply.body)
            let ended = try #require(try await bot.ledger(Self.thread).last { $0.type == VoiceElements.Event.virtualAgentEnded })
            #expect(ended.data["error"] == .string("Virtual Agent: Provider Error: INVALID_ARGUMENT: unknown config property welcomeIntnt"))
        }
    }

    @Test("a caller who hangs up on the virtual agent ends its session: the step's flow.result.status is hangup, then the call's hangup is filed")
    func hangupDuringSession() async throws {
        try await FlexBot.with(files: Self.flows, voice: true) { bot in
            _ = try await Self.callComesIn(bot)
            let ended = VoiceChannelTests.callForm(VoiceChannelTests.fixtureCall, [("CallStatus", "completed")])
            #expect(try await bot.deliver(ended, path: "/twilio/voice/status").status == 204)
            try await bot.settle()
            let ledger = try await bot.ledger(Self.thread)
            #expect(ledger.flatMap(\.plainLines).contains("bot: The assistant is done hangup None."), "\(ledger.flatMap(\.plainLines))")
            let types = ledger.map(\.type).filter { [VoiceElements.Event.virtualAgentEnded, VoiceElements.Event.hangup].contains($0) }
            #expect(types == [VoiceElements.Event.virtualAgentEnded, VoiceElements.Event.hangup])
            #expect(try await bot.engine.thread(Self.thread)?.waiting == nil)
        }
    }

    @Test("a paused session is resumed within 30 minutes with resumeEndUserId and resumeEventName; after 30 minutes the step fails and says why")
    func pauseAndResume() async throws {
        for (minutes, resumes) in [(29.0, true), (31.0, false)] {
            let now = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
            try await FlexBot.with(files: Self.flows, voice: true, clock: { now.withLock { $0 } }) { bot in
                _ = try await Self.callComesIn(bot)
                let paused = try await bot.replay(try TwilioFixtures.request("virtualagent-action-paused.http"))
                #expect(paused.body.contains("Say continue when you are ready."), "\(paused.body)")
                now.withLock { $0 += minutes * 60 }
                let reply = try await bot.deliver(VoiceChannelTests.callForm(VoiceChannelTests.fixtureCall, [("SpeechResult", "Continue.")]),
                                                  path: "/twilio/voice/gather")
                if resumes {
                    let agent = try #require(try TwiMLReader.read(reply.body).children.last?.children.first, "\(reply.body)")
                    let config = agent.children.filter { $0.name == "Config" }.map { [$0.attributes["name"] ?? "", $0.attributes["value"] ?? ""] }
                    #expect(config == [
                        ["resumeEndUserId", "projects/acme-bot/locations/us-central1/conversations/3f1c0b8e-61d4-4c0e-9d0a-2b7e5a1d9c42/participants/QZ8kS0pH4bE2mN6tV1xW7a"],
                        ["resumeEventName", "identity_verified"],
                    ], "\(reply.body)")
                } else {
                    #expect(reply.body.contains("Back from the assistant, failed. the session was paused 31 minutes ago; "
                                                + "Twilio keeps a paused session for 30 minutes"), "\(reply.body)")
                }
            }
        }
    }
}
