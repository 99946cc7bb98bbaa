import Foundation
import Testing
import TwilioEmulator
import TwilioWire

/// The emulator's calls over real HTTP: a number made with the 2010 REST API, a caller who
/// calls it, and a bot stand-in (`WebhookReceiver`) answering scripted TwiML. What the
/// emulator sends is compared with the recorded voice webhooks (`voice-*`, `virtualagent-*`).
@Suite("Emulator: calls, TwiML and a scripted virtual agent")
struct VoiceEmulatorTests {
    static let number = "+15555550100"
    static let caller = "+15558675310"

    static let script = VirtualAgentScript(
        connectorName: "software-help", welcome: "Hi, I'm the software assistant.", resumed: "Welcome back.",
        turns: [
            .init(when: ["crash"], reply: "Which app crashes?", intent: "software.crash", confidence: 0.9, sentiment: -0.3),
            .init(when: ["person"], reply: "Let me find you a person.", intent: "handoff.agent", confidence: 0.95, end: .liveAgentHandoff,
                  parameters: ["reason": "editor crash", "product": "editor"]),
            .init(when: ["later"], reply: "I'll wait.", intent: "pause", end: .paused, parameters: ["resume_after": "identity_check"]),
        ])

    /// A harness whose account has `number`, calling the receiver's `incoming` (with `method`)
    /// and posting its end to `status`; made over REST as an account owner does.
    static func with(method: String = "POST", _ body: @Sendable @escaping (EmulatorHarness) async throws -> Void) async throws {
        try await EmulatorHarness.with(configure: { $0.virtualAgents = [Self.script] }) { harness in
            let path = "/2010-04-01/Accounts/\(harness.configuration.accountSid)/IncomingPhoneNumbers.json"
            let made = try await harness.rest("POST", path, form: [
                "PhoneNumber": number, "VoiceUrl": harness.receiver.voiceURL("incoming"), "VoiceMethod": method,
                "StatusCallback": harness.receiver.voiceURL("status"),
            ])
            #expect(made.status == 201, "\(made.body)")
            try await body(harness)
        }
    }

    /// What the bot stand-in received at the voice webhook `name`.
    static func received(_ harness: EmulatorHarness, _ name: String) async -> [WebhookReceiver.Received] {
        await harness.receiver.received.filter { $0.path == "/twilio/voice/\(name)" }
    }

    static func connect(_ agent: String = "software-help", config: String = #"<Config name="language" value="en-us" />"#) -> String {
        """
        <Response><Connect action="/twilio/voice/va-action"><VirtualAgent connectorName="\(agent)" statusCallback="va-status" \
        statusCallbackMethod="POST"><Parameter name="customer_name" value="Ana" />\(config)</VirtualAgent></Connect></Response>
        """
    }

    @Test("Incoming Phone Numbers in the 2010 API: created, listed by number, fetched; a second one for the same number is refused")
    func numbers() async throws {
        try await Self.with { harness in
            let path = "/2010-04-01/Accounts/\(harness.configuration.accountSid)/IncomingPhoneNumbers"
            let list = try await harness.rest("GET", path + ".json?PhoneNumber=%2B15555550100").json
            guard case .array(let numbers)? = list["incoming_phone_numbers"], numbers.count == 1, let number = numbers.first else {
                Issue.record("the list by number is not that one number: \(list.text)")
                return
            }
            #expect(number["voice_url"]?.stringValue == harness.receiver.voiceURL("incoming"))
            #expect(number["status_callback"]?.stringValue == harness.receiver.voiceURL("status"))
            let created = try #require(number["date_created"]?.stringValue)
            #expect(created.wholeMatch(of: /[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000/) != nil, "\(created)")
            let sid = try #require(number["sid"]?.stringValue)
            #expect(try await harness.rest("GET", path + "/\(sid).json").json["phone_number"]?.stringValue == Self.number)
            let again = try await harness.rest("POST", path + ".json", form: ["PhoneNumber": Self.number, "VoiceUrl": "http://127.0.0.1:1/x"])
            let refusal = try again.json
            #expect(again.status == 400 && refusal["code"] == .int(21422), "\(again.body)")
            #expect(try await harness.rest("GET", path + ".json", auth: .none).status == 401)
        }
    }

    @Test("a call asks the number's voice URL with Twilio's signed voice parameters; <Say> is heard, <Gather> gets the caller's speech and keys; the call's end is posted")
    func gather() async throws {
        try await Self.with { harness in
            await harness.receiver.answer("incoming", with: """
                <Response><Say>Hi.</Say><Gather action="gather" actionOnEmptyResult="true" hints="Hardware, Software" \
                input="speech dtmf"><Say>What can I help you with?</Say></Gather></Response>
                """)
            await harness.receiver.answer("gather", with: #"<Response><Say>Noted.</Say><Gather action="/twilio/voice/keys" input="dtmf" /></Response>"#)
            let call = try await harness.agent.call(from: Self.caller, to: Self.number)
            #expect(call.state == "listening" && call.hints == "Hardware, Software")
            #expect(call.lines.map(\.text) == ["Hi.", "What can I help you with?"])

            let incoming = try #require(await Self.received(harness, "incoming").first)
            #expect(incoming.signatureValid && incoming.header("User-Agent") == "TwilioProxy/1.1")
            #expect(incoming.header("I-Twilio-Idempotency-Token") != nil)
            #expect(incoming.form["CallSid"] == call.sid && incoming.form["CallStatus"] == "ringing" && incoming.form["From"] == Self.caller)
            // The recorded incoming call's fields, in its order, less the caller's geography the emulator does not know.
            let recorded = try TwilioForm(encoded: try Fixtures.body("voice-incoming-call.http")).fields.map(\.name)
            #expect(recorded.filter(Set(incoming.form.fields.map(\.name)).contains) == incoming.form.fields.map(\.name))

            let heard = try await harness.agent.speak("Software.", on: call.sid)
            let gather = try #require(await Self.received(harness, "gather").first)
            #expect(gather.form["SpeechResult"] == "Software." && gather.form["Confidence"] != nil && gather.form["CallStatus"] == "in-progress")
            #expect(heard.lines.suffix(2).map(\.text) == ["Software.", "Noted."] && heard.lines.suffix(2).map(\.speaker) == [.caller, .bot])
            do {
                try await harness.agent.speak("two", on: call.sid)
                Issue.record("a keys-only <Gather> took speech")
            } catch AgentClientError.refused(let status, _) {
                #expect(status == 409)
            }
            try await harness.agent.press("2", on: call.sid)
            #expect(await Self.received(harness, "keys").first?.form["Digits"] == "2")

            // The keys' answer was empty: the TwiML ran out and Twilio hung up.
            let ended = try await harness.agent.phoneCall(call.sid, wait: .zero).value
            #expect(ended.state == "ended" && ended.status == "completed")
            let status = try #require(try await harness.agent.waitForDeliveries { $0.eventType == "call.completed" }.first)
            #expect(status.status == .delivered && status[field: "CallStatus"] == "completed" && status[field: "CallDuration"] != nil)
            #expect(await Self.received(harness, "status").first?.signatureValid == true)
        }
    }

    @Test("a <Gather> that hears nothing, without actionOnEmptyResult, goes on to the next verb (relative URLs still against its document)")
    func silenceGoesOn() async throws {
        try await Self.with { harness in
            await harness.receiver.answer("incoming", with: """
                <Response><Gather action="/twilio/voice/never" input="speech"><Say>Anything?</Say></Gather>\
                <Say>No answer.</Say><Redirect>again</Redirect></Response>
                """)
            await harness.receiver.answer("again", with: "<Response><Say>Goodbye.</Say><Hangup /></Response>")
            let call = try await harness.agent.call(from: Self.caller, to: Self.number)
            let ended = try await harness.agent.staySilent(on: call.sid)
            #expect(ended.state == "ended" && ended.lines.filter { $0.speaker == .bot }.map(\.text) == ["Anything?", "No answer.", "Goodbye."],
                    "\(ended.lines)")
            let never = await Self.received(harness, "never"), again = await Self.received(harness, "again")
            #expect(never.isEmpty && again.count == 1)
        }
    }

    @Test("a voice URL fetched with GET gets the parameters in its query, signed over the whole URL")
    func getMethod() async throws {
        try await Self.with(method: "GET") { harness in
            let call = try await harness.agent.call(from: Self.caller, to: Self.number)
            let incoming = try #require(await Self.received(harness, "incoming").first)
            #expect(incoming.signatureValid && incoming.form["CallSid"] == call.sid && incoming.body.isEmpty)
        }
    }

    @Test("<Enqueue workflowSid><Task> puts the caller on hold in a voice task with the call's attributes; the agent answers and hangs up; a caller who hangs up while waiting cancels it")
    func enqueue() async throws {
        try await Self.with { harness in
            let workflow = harness.configuration.workflowSid
            await harness.receiver.answer("incoming", with: """
                <Response><Say>Connecting you.</Say><Enqueue workflowSid="\(workflow)"><Task priority="5">\
                {"issue": "billing", "to": "the bot's own"}</Task></Enqueue></Response>
                """)
            let call = try await harness.agent.call(from: Self.caller, to: Self.number, callerName: "ANA LOPEZ")
            #expect(call.state == "queued")
            let task = try await harness.agent.waitForTask { $0.status == "reserved" }
            #expect(task.taskChannel == "voice" && task.channelSid == call.sid && task.sid == call.taskSid)
            #expect(task.customer?.identity == Self.caller && task.friendlyName == "ANA LOPEZ")
            #expect(task.attributes["call_sid"]?.stringValue == call.sid && task.attributes["issue"]?.stringValue == "billing")
            #expect(task.attributes["to"]?.stringValue == "the bot's own", "the <Task>'s own keys win")
            let entered = try #require(try await harness.agent.waitForDeliveries { $0.eventType == "task-queue.entered" }.first)
            #expect(entered[field: "TaskChannelUniqueName"] == "voice" && entered[field: "TaskChannelSid"] == harness.configuration.voiceTaskChannelSid)

            try await harness.agent.accept(task.sid)
            #expect(try await harness.agent.phoneCall(call.sid, wait: .zero).value.state == "with_agent")
            let wrapping = try await harness.agent.endChat(task.sid)
            #expect(wrapping.status == "wrapping")
            #expect(try await harness.agent.phoneCall(call.sid, wait: .zero).value.lines.last?.text == "Alice Example hung up")
            _ = try await harness.agent.waitForDeliveries { $0.eventType == "call.completed" }
            #expect(try await harness.agent.complete(task.sid).status == "completed")

            let second = try await harness.agent.call(from: "+15558675311", to: Self.number)
            let waiting = try await harness.agent.waitForTask { $0.channelSid == second.sid && $0.status == "reserved" }
            try await harness.agent.hangUp(second.sid)
            let canceled = try await harness.agent.task(waiting.sid)
            #expect(canceled.status == "canceled" && canceled.reason == "The caller hung up")
        }
    }

    @Test("<Connect><VirtualAgent>: each turn of the scripted agent is posted to its statusCallback as recorded; the session's end is posted to the action after them, with the handoff parameters, and its TwiML plays")
    func virtualAgentHandoff() async throws {
        try await Self.with { harness in
            await harness.receiver.answer("incoming", with: Self.connect())
            await harness.receiver.answer("va-action", with: "<Response><Say>Back with the bot.</Say><Hangup /></Response>")
            let call = try await harness.agent.call(from: Self.caller, to: Self.number)
            #expect(call.state == "virtual_agent" && call.virtualAgent == "software-help")
            #expect(call.lines.last == PhoneCall.Line(speaker: .virtualAgent, text: "Hi, I'm the software assistant."))

            let answered = try await harness.agent.speak("my editor crashes", on: call.sid)
            #expect(answered.lines.suffix(2).map(\.text) == ["my editor crashes", "Which app crashes?"])
            let turn = try #require(try await harness.agent.waitForDeliveries { $0.eventType == "virtual-agent.intent" }.first)
            let recorded = try TwilioForm(encoded: try Fixtures.body("virtualagent-status-callback-intent.http"))
            #expect(turn.fields.map(\.name) == recorded.fields.map(\.name))
            let data = try EmulatorJSON(parsing: try #require(turn[field: "VirtualAgentProviderData"]))
            let recordedData = try EmulatorJSON(parsing: try #require(recorded["VirtualAgentProviderData"]))
            #expect(data.members?.map(\.key) == recordedData.members?.map(\.key), "\(data.text)")
            #expect(data["IntentDisplayName"]?.stringValue == "software.crash" && data["ResolvedInput"]?.stringValue == "my editor crashes")
            #expect(data["ReplyText"]?.stringValue == "Which app crashes?" && data["Confidence"] == .number("0.9"))
            #expect(data["Parameters"]?["customer_name"]?.stringValue == "Ana")

            let ended = try await harness.agent.speak("I want a person", on: call.sid)
            #expect(ended.state == "ended" && ended.lines.contains(PhoneCall.Line(speaker: .bot, text: "Back with the bot.")))
            let requests = await harness.receiver.received.map(\.path)
            let action = try #require(requests.firstIndex(of: "/twilio/voice/va-action"))
            #expect(requests.lastIndex(of: "/twilio/voice/va-status").map { $0 < action } == true, "the turns come before the session's end: \(requests)")
            let end = try #require(await Self.received(harness, "va-action").first)
            #expect(end.signatureValid && end.form["VirtualAgentStatus"] == "live-agent-handoff" && end.form["VirtualAgentProvider"] == "DialogflowCX")
            let provider = try EmulatorJSON(parsing: try #require(end.form["VirtualAgentProviderData"]))
            #expect(provider["AgentHandoffParameters"] == ["product": "editor", "reason": "editor crash"])
            #expect(provider["ConversationId"] == data["ConversationId"] && provider["EndUserId"] == data["EndUserId"])
        }
    }

    @Test("a paused session resumes on its call with resumeEndUserId within 30 minutes, and not after (the emulator's clock): 32606")
    func pauseAndResume() async throws {
        try await Self.with { harness in
            await harness.receiver.answer("incoming", with: Self.connect())
            await harness.receiver.answer("va-action", with: #"<Response><Gather action="/twilio/voice/resume" input="speech"><Say>Say continue.</Say></Gather></Response>"#)
            let call = try await harness.agent.call(from: Self.caller, to: Self.number)
            for (pass, late) in [(1, false), (2, true)] {
                try await harness.agent.speak("call me later", on: call.sid)
                let paused = try #require(await Self.received(harness, "va-action").last)
                #expect(paused.form["VirtualAgentStatus"] == "paused")
                let provider = try EmulatorJSON(parsing: try #require(paused.form["VirtualAgentProviderData"]))
                #expect(provider["PauseParameters"] == ["resume_after": "identity_check"])
                let endUser = try #require(provider["EndUserId"]?.stringValue)
                await harness.receiver.answer("resume", with: Self.connect(config: """
                    <Config name="resumeEndUserId" value="\(endUser)" /><Config name="resumeEventName" value="checked" />
                    """))
                if late { try await harness.agent.advanceClock(by: .seconds(31 * 60)) }
                let resumed = try await harness.agent.speak("continue", on: call.sid)
                if late {
                    let refused = try #require(await Self.received(harness, "va-action").last)
                    #expect(refused.form["VirtualAgentStatus"] == "failed" && refused.form["VirtualAgentErrorCode"] == "32606", "pass \(pass)")
                    #expect(resumed.errors.last?.contains("more than 30 minutes") == true, "\(resumed.errors)")
                } else {
                    #expect(resumed.state == "virtual_agent" && resumed.lines.last?.text == "Welcome back.", "\(resumed.lines)")
                }
            }
        }
    }

    @Test("a connector the provider refuses fails the session at once with 32601 and the provider's words, as recorded")
    func refusedConnector() async throws {
        try await Self.with { harness in
            for (incoming, provider) in [(Self.connect(config: #"<Config name="welcomeIntnt" value="hello" />"#),
                                          "INVALID_ARGUMENT: unknown config property welcomeIntnt"),
                                         (Self.connect("no-such-agent"), "NOT_FOUND: no connector named `no-such-agent`")] {
                await harness.receiver.answer("incoming", with: incoming)
                await harness.receiver.answer("va-action", with: "<Response><Say>Sorry.</Say></Response>")
                let call = try await harness.agent.call(from: Self.caller, to: Self.number)
                let failed = try #require(await Self.received(harness, "va-action").last)
                #expect(failed.form["CallSid"] == call.sid && failed.form["VirtualAgentStatus"] == "failed")
                #expect(failed.form["VirtualAgentErrorCode"] == "32601" && failed.form["VirtualAgentProviderData"] == "{}")
                #expect(failed.form["VirtualAgentProviderError"]?.hasPrefix(provider) == true, "\(failed.form["VirtualAgentProviderError"] ?? "")")
                #expect(call.lines.contains(PhoneCall.Line(speaker: .bot, text: "Sorry.")))
            }
        }
    }

    @Test("Twilio's application errors end the call: no answer is 11200, TwiML that does not read is 12100, a <Redirect> loop is cut; an unknown number is 404")
    func applicationErrors() async throws {
        try await Self.with { harness in
            for (status, twiml, error) in [(500, "<Response/>", "11200"), (200, "<Response><Say>unclosed", "12100"),
                                           (200, "<Response><Redirect>/twilio/voice/incoming</Redirect></Response>", "20 requests")] {
                await harness.receiver.answer("incoming", status: status, with: twiml)
                let call = try await harness.agent.call(from: Self.caller, to: Self.number)
                #expect(call.state == "ended" && call.errors.contains { $0.contains(error) }, "\(call.errors)")
            }
            do {
                try await harness.agent.call(from: Self.caller, to: "+15550000000")
                Issue.record("a call to a number the account does not have went through")
            } catch AgentClientError.refused(let status, let message) {
                #expect(status == 404 && message.contains("IncomingPhoneNumbers"), "\(message)")
            }
        }
    }

    @Test("a virtual agent script that cannot work is refused with where and why")
    func scriptErrors() throws {
        for (yaml, message) in [("language: en", "`connector_name` is missing"),
                                ("connector_name: a\nturns:\n  - when: [x]\n    end: over", "turns[0].end: not one of completed, live-agent-handoff"),
                                ("connector_name: a\nturns:\n  - reply: hello", "turns[0] has no `when` phrases")] {
            do {
                _ = try VirtualAgentScript(yaml: yaml, source: "agent.yaml")
                Issue.record("`\(yaml)` was taken")
            } catch {
                #expect(error.description.hasPrefix("virtual agent script agent.yaml: ") && error.description.contains(message), "\(error)")
            }
        }
        let script = try VirtualAgentScript(yaml: "connector_name: a\nturns:\n  - when: [crash]\n    reply: Which app?\n    end: live-agent-handoff\n"
                                            + "    parameters: {reason: crash}\n", source: "agent.yaml")
        #expect(script.turns.first?.end == .liveAgentHandoff && script.turns.first?.parameters == ["reason": "crash"])
    }
}
