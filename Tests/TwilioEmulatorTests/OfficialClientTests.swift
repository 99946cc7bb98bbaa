import Foundation
import Testing
import TwilioEmulator
import TwilioWire

/// The emulator checked with Twilio's own Python library (issue item 9): its REST client
/// parses every answer, and its RequestValidator accepts every webhook signature.
@Suite("Flex emulator against twilio-python 9.13.0", .enabled(if: PythonTwilio.python3Available, "python3 is not installed"))
struct OfficialClientTests {
    static let restScript = #"""
import json, sys
from twilio.rest import Client
from twilio.base.exceptions import TwilioRestException

base, account, token, key_sid, key_secret, flow, service, workspace, chat_url, tr_url = sys.argv[1:]

def client_for(username, password, account_sid=None):
    client = Client(username, password, account_sid)
    # Every Twilio domain the integration uses, pointed at the emulator.
    for domain in (client.flex_api, client.chat, client.taskrouter):
        domain.base_url = base
    return client

client = client_for(account, token)
out = {}
ch = client.flex_api.v1.channel.create(
    flex_flow_sid=flow, identity="py-user", chat_user_friendly_name="Py User",
    chat_friendly_name="Py chat", chat_unique_name="py-chat",
    pre_engagement_data=json.dumps({"question": "hi"}),
    task_attributes=json.dumps({"from_python": True}), long_lived=False)
out["channel"] = {"sid": ch.sid, "task_sid": ch.task_sid, "user_sid": ch.user_sid, "account_sid": ch.account_sid,
                  "flex_flow_sid": ch.flex_flow_sid, "url": ch.url, "date_created": ch.date_created.isoformat()}
out["fetched_sid"] = client.flex_api.v1.channel(ch.sid).fetch().sid
out["listed"] = [c.sid for c in client.flex_api.v1.channel.list()]

messages = client.chat.v2.services(service).channels(ch.sid).messages
m = messages.create(from_="bot", body="Connecting you with a human agent now.",
                    attributes=json.dumps({"bot": True}), x_twilio_webhook_enabled="false")
out["message"] = {"sid": m.sid, "index": m.index, "from": m._from, "body": m.body, "attributes": m.attributes,
                  "channel_sid": m.channel_sid, "type": m.type, "date_created": m.date_created.isoformat()}
out["message_bodies"] = [x.body for x in messages.list()]
chat_channel = client.chat.v2.services(service).channels(ch.sid).update(attributes=json.dumps({"status": "ACTIVE", "py": 1}))
out["chat_channel_attributes"] = chat_channel.attributes

svc = client.chat.v2.services(service).update(post_webhook_url=chat_url, webhook_filters=["onMessageSent", "onChannelUpdated"])
out["service"] = {"post_webhook_url": svc.post_webhook_url, "webhook_filters": svc.webhook_filters}
ws = client.taskrouter.v1.workspaces(workspace).update(event_callback_url=tr_url, events_filter="task.canceled")
out["workspace"] = {"event_callback_url": ws.event_callback_url, "events_filter": ws.events_filter, "friendly_name": ws.friendly_name}

task = client.taskrouter.v1.workspaces(workspace).tasks(ch.task_sid).fetch()
out["task"] = {"sid": task.sid, "assignment_status": task.assignment_status, "attributes": json.loads(task.attributes),
               "age": task.age, "priority": task.priority, "date_created": task.date_created.isoformat()}
canceled = client.taskrouter.v1.workspaces(workspace).tasks(ch.task_sid).update(assignment_status="canceled", reason="py cancel")
out["canceled"] = {"assignment_status": canceled.assignment_status, "reason": canceled.reason}

try:
    client.flex_api.v1.channel("CH" + "0" * 32).fetch()
    out["not_found"] = None
except TwilioRestException as e:
    out["not_found"] = {"status": e.status, "code": e.code, "msg": e.msg}
try:
    client_for(account, "wrong-token").flex_api.v1.channel(ch.sid).fetch()
    out["unauthorized"] = None
except TwilioRestException as e:
    out["unauthorized"] = {"status": e.status, "code": e.code}
try:
    client.flex_api.v1.channel.create(flex_flow_sid=flow, identity="x", chat_user_friendly_name="X", chat_friendly_name="")
    out["missing"] = None
except TwilioRestException as e:
    out["missing"] = {"status": e.status, "code": e.code, "msg": e.msg}

out["api_key_listed"] = [c.sid for c in client_for(key_sid, key_secret, account).flex_api.v1.channel.list()]
out["deleted"] = client.flex_api.v1.channel(ch.sid).delete()
out["after_delete"] = [c.sid for c in client.flex_api.v1.channel.list()]
print(json.dumps(out))
"""#

    static let validatorScript = #"""
import json, sys
from twilio.request_validator import RequestValidator
data = json.load(sys.stdin)
good = RequestValidator(data["token"])
bad = RequestValidator("not-the-token")
print(json.dumps([{"valid": good.validate(w["url"], dict(w["params"]), w["signature"]),
                   "with_wrong_token": bad.validate(w["url"], dict(w["params"]), w["signature"])}
                  for w in data["webhooks"]]))
"""#

    @Test("twilio.rest.Client pointed at the emulator: create, fetch, list, message, update, cancel, delete, errors")
    func restClient() async throws {
        try await EmulatorHarness.with(configure: { $0.chatWebhookURL = nil; $0.taskRouterCallbackURL = nil }) { harness in
            let c = harness.configuration
            let output = try await PythonTwilio.run(Self.restScript, arguments: [
                harness.emulator.baseURL, c.accountSid, c.authToken, c.apiKeySid, c.apiKeySecret, c.flexFlowSid, c.chatServiceSid,
                c.workspaceSid, harness.receiver.chatURL, harness.receiver.taskRouterURL,
            ])
            let result = try EmulatorJSON(parsing: output)
            let channel = try #require(result["channel"])
            let sid = try #require(channel["sid"]?.stringValue), taskSid = try #require(channel["task_sid"]?.stringValue)
            #expect(TwilioSID.isValid(sid, prefix: "CH"))
            #expect(TwilioSID.isValid(taskSid, prefix: "WT"))
            #expect(TwilioSID.isValid(channel["user_sid"]?.stringValue ?? "", prefix: "US"))
            #expect(channel["account_sid"]?.stringValue == c.accountSid)
            #expect(channel["flex_flow_sid"]?.stringValue == c.flexFlowSid)
            #expect(channel["date_created"]?.stringValue?.hasSuffix("+00:00") == true, "parsed as a UTC datetime")
            #expect(result["fetched_sid"]?.stringValue == sid)
            #expect(result["listed"] == .array([.string(sid)]))

            let message = try #require(result["message"])
            #expect(message["index"] == 0)
            #expect(message["from"] == "bot")
            #expect(message["channel_sid"]?.stringValue == sid)
            #expect(message["type"] == "text")
            #expect(message["attributes"] == #"{"bot": true}"#)
            #expect(message["date_created"]?.stringValue?.hasSuffix("+00:00") == true)
            #expect(result["message_bodies"] == ["Connecting you with a human agent now."])
            #expect(result["chat_channel_attributes"] == #"{"status": "ACTIVE", "py": 1}"#)

            #expect(result["service"]?["post_webhook_url"]?.stringValue == harness.receiver.chatURL)
            #expect(result["service"]?["webhook_filters"] == ["onMessageSent", "onChannelUpdated"])
            #expect(result["workspace"]?["event_callback_url"]?.stringValue == harness.receiver.taskRouterURL)
            #expect(result["workspace"]?["events_filter"] == "task.canceled")
            #expect(result["workspace"]?["friendly_name"] == "Flex Task Assignment")

            let task = try #require(result["task"])
            #expect(task["sid"]?.stringValue == taskSid)
            #expect(task["assignment_status"] == "reserved")
            #expect(task["attributes"]?["from_python"] == true)
            #expect(task["attributes"]?["channelSid"]?.stringValue == sid)
            #expect(task["priority"] == 0)
            #expect(result["canceled"]?["assignment_status"] == "canceled")
            #expect(result["canceled"]?["reason"] == "py cancel")

            #expect(result["not_found"]?["status"] == 404)
            #expect(result["not_found"]?["code"] == 20404)
            #expect(result["unauthorized"]?["status"] == 401)
            #expect(result["unauthorized"]?["code"] == 20003)
            #expect(result["missing"]?["status"] == 400)
            #expect(result["missing"]?["msg"]?.stringValue?.contains("ChatFriendlyName") == true)
            #expect(result["api_key_listed"] == .array([.string(sid)]))
            #expect(result["deleted"] == true)
            #expect(result["after_delete"] == [])

            // The settings made through the library took effect: the cancel reached the receiver.
            // (Events before the library set the URLs were skipped: no URL yet.)
            let deliveries = try await harness.settledDeliveries(atLeast: 3).filter { $0.status != .skipped }
            #expect(deliveries.map(\.eventType) == ["task.canceled"])
            #expect(deliveries.first?.status == .delivered)
            #expect(deliveries.first?[field: "TaskCanceledReason"] == "py cancel")
        }
    }

    @Test("twilio.request_validator.RequestValidator accepts every webhook the emulator sends")
    func signaturesValidate() async throws {
        try await EmulatorHarness.with(receiverStatuses: [503]) { harness in
            let channel = try await harness.createChannel()
            let channelSid = try #require(channel["sid"]?.stringValue), taskSid = try #require(channel["task_sid"]?.stringValue)
            try await harness.agent.accept(taskSid)
            try await harness.agent.say("Hi Ada — ça va? 😀 1+1=2 & more", channel: channelSid)
            try await harness.agent.say("/bot", channel: channelSid)
            _ = try await harness.botMessage("echoed", channel: channelSid, webhookEnabled: "true")
            try await harness.agent.complete(taskSid)
            _ = try await harness.settledDeliveries(atLeast: 9)
            let received = await harness.receiver.received
            #expect(received.count == 10, "nine deliveries, the first one retried once")
            try await Self.expectValidSignatures(received)
        }
    }

    /// RequestValidator accepts each received webhook's signature with the emulator's token,
    /// and refuses it with another.
    static func expectValidSignatures(_ received: [WebhookReceiver.Received]) async throws {
        var webhooks: [EmulatorJSON] = []
        for webhook in received {
            webhooks.append(["url": .string(webhook.url), "signature": .string(webhook.header("X-Twilio-Signature") ?? ""),
                             "params": .array(webhook.form.fields.map { [.string($0.name), .string($0.value)] })])
        }
        let input: EmulatorJSON = ["token": .string(TwilioEmulator.Defaults.authToken), "webhooks": .array(webhooks)]
        let output = try await PythonTwilio.run(validatorScript, input: input.text)
        guard case .array(let results) = try EmulatorJSON(parsing: output) else { Issue.record("unexpected output \(output)"); return }
        #expect(results.count == received.count)
        for (webhook, result) in zip(received, results) {
            #expect(result["valid"] == true, "\(webhook.eventType) rejected by RequestValidator")
            #expect(result["with_wrong_token"] == false, "\(webhook.eventType)")
        }
    }
}
