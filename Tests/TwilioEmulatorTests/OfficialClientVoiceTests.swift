import Foundation
import Testing
import TwilioEmulator
import TwilioWire

/// The emulator's calls checked with Twilio's own Python library: `twilio.rest.Client` manages
/// the account's Incoming Phone Numbers and parses every answer; the TwiML its `VoiceResponse`
/// writes is what the emulator plays; its RequestValidator accepts every voice webhook sent.
@Suite("Emulator's calls against twilio-python 9.13.0", .enabled(if: PythonTwilio.python3Available, "python3 is not installed"))
struct OfficialClientVoiceTests {
    static let script = #"""
import json, sys
from twilio.rest import Client
from twilio.base.exceptions import TwilioRestException
from twilio.twiml.voice_response import VoiceResponse, Gather, Enqueue, Connect

base, account, token, voice_url, status_url, workflow = sys.argv[1:]
client = Client(account, token)
client.api.base_url = base
out = {}
n = client.incoming_phone_numbers.create(phone_number="+15555550100", voice_url=voice_url, status_callback=status_url)
out["number"] = {"sid": n.sid, "phone_number": n.phone_number, "voice_url": n.voice_url, "voice_method": n.voice_method,
                 "status_callback": n.status_callback, "date_created": n.date_created.isoformat(), "voice": n.capabilities["voice"]}
out["listed"] = [x.sid for x in client.incoming_phone_numbers.list(phone_number="+15555550100")]
out["get"] = client.incoming_phone_numbers(n.sid).update(voice_method="GET").voice_method
out["post"] = client.incoming_phone_numbers(n.sid).update(voice_method="POST").voice_method
try:
    client.incoming_phone_numbers.create(phone_number="+15555550100", voice_url=voice_url)
    out["duplicate"] = None
except TwilioRestException as e:
    out["duplicate"] = {"status": e.status, "code": e.code}

r = VoiceResponse()
r.say("Hi.")
g = Gather(input="speech dtmf", action="/twilio/voice/next", hints="Hardware, Software", action_on_empty_result=True)
g.say("What can I help you with?")
r.append(g)
out["gather"] = str(r)
r = VoiceResponse()
e = Enqueue(None, workflow_sid=workflow)
e.task(json.dumps({"issue": "billing", "name": "Ana - billing"}), priority=5)
r.append(e)
out["enqueue"] = str(r)
print(json.dumps(out))
"""#

    static let validate = #"""
import json, sys
from twilio.request_validator import RequestValidator
token = sys.argv[1]
print(json.dumps([RequestValidator(token).validate(r["url"], r["params"], r["signature"]) for r in json.load(sys.stdin)]))
"""#

    @Test("twilio.rest.Client makes, lists, updates the number; the emulator plays the <Gather> and <Enqueue> VoiceResponse writes; RequestValidator accepts every voice webhook")
    func numbersAndTwiML() async throws {
        try await EmulatorHarness.with { harness in
            let c = harness.configuration, receiver = harness.receiver
            let output = try EmulatorJSON(parsing: try await PythonTwilio.run(Self.script, arguments: [
                harness.emulator.baseURL, c.accountSid, c.authToken, receiver.voiceURL("incoming"), receiver.voiceURL("status"), c.workflowSid,
            ]))
            let number = try #require(output["number"])
            #expect(TwilioSID.isValid(number["sid"]?.stringValue ?? "", prefix: "PN"))
            #expect(number["phone_number"] == "+15555550100" && number["voice_url"]?.stringValue == receiver.voiceURL("incoming"))
            #expect(number["voice_method"] == "POST" && number["voice"] == true)
            #expect(number["date_created"]?.stringValue?.hasSuffix("+00:00") == true, "an RFC 2822 date twilio-python reads")
            #expect(output["listed"] == .array([number["sid"] ?? .null]) && output["get"] == "GET" && output["post"] == "POST")
            #expect(output["duplicate"] == ["status": 400, "code": 21422])

            await receiver.answer("incoming", with: try #require(output["gather"]?.stringValue))
            await receiver.answer("next", with: try #require(output["enqueue"]?.stringValue))
            let call = try await harness.agent.call(from: "+15558675310", to: "+15555550100")
            #expect(call.state == "listening" && call.hints == "Hardware, Software" && call.lines.map(\.text) == ["Hi.", "What can I help you with?"])
            let queued = try await harness.agent.speak("Billing.", on: call.sid)
            #expect(queued.state == "queued")
            let task = try await harness.agent.task(try #require(queued.taskSid))
            #expect(task.friendlyName == "Ana - billing" && task.attributes["issue"] == "billing")
            let rest = try await harness.rest("GET", "/v1/Workspaces/\(c.workspaceSid)/Tasks/\(task.sid)").json
            #expect(rest["priority"] == 5 && rest["task_channel_unique_name"] == "voice")
            try await harness.agent.hangUp(call.sid)
            _ = try await harness.agent.waitForDeliveries { $0.eventType == "call.completed" }

            let voice = await receiver.received.filter { $0.path.hasPrefix("/twilio/voice/") }
            #expect(voice.map(\.path) == ["/twilio/voice/incoming", "/twilio/voice/next", "/twilio/voice/status"])
            let requests = EmulatorJSON.array(voice.map { request in
                .object([.init("url", .string(request.url)), .init("signature", .string(request.header("X-Twilio-Signature") ?? "")),
                         .init("params", .object(request.form.fields.map { .init($0.name, .string($0.value)) }))])
            })
            let valid = try EmulatorJSON(parsing: try await PythonTwilio.run(Self.validate, arguments: [c.authToken], input: requests.text))
            #expect(valid == [true, true, true])
        }
    }
}
