import Foundation
import Testing
import TwilioEmulator
import TwilioWire

/// The emulator's Conversations and Interactions products checked with Twilio's own Python
/// library: `twilio.rest.Client` makes the Flex Conversations handoff the integration makes
/// (conversation, participant, scoped webhook, messages, interaction, closing) and parses
/// every answer; its RequestValidator accepts every conversation webhook the emulator sends.
@Suite("Flex emulator's Conversations and Interactions against twilio-python 9.13.0",
       .enabled(if: PythonTwilio.python3Available, "python3 is not installed"))
struct OfficialClientConversationsTests {
    static let restScript = #"""
import json, sys
from twilio.rest import Client
from twilio.base.exceptions import TwilioRestException

base, account, token, workspace, workflow, webhook_url = sys.argv[1:]
client = Client(account, token)
for domain in (client.conversations, client.flex_api, client.taskrouter):
    domain.base_url = base
out = {}
conversations = client.conversations.v1.conversations
conv = conversations.create(friendly_name="Ada - order 1234", unique_name="py-conv",
                            attributes=json.dumps({"parley_thread_id": "ada"}))
out["conversation"] = {"sid": conv.sid, "state": conv.state, "unique_name": conv.unique_name, "attributes": conv.attributes,
                       "chat_service_sid": conv.chat_service_sid, "date_created": conv.date_created.isoformat(),
                       "links": sorted(conv.links.keys())}
out["by_unique_name"] = conversations("py-conv").fetch().sid
def error(call):
    try:
        call()
        return None
    except TwilioRestException as e:
        return {"status": e.status, "code": e.code}
out["same_unique_name"] = error(lambda: conversations.create(unique_name="py-conv"))

p = conversations(conv.sid).participants.create(identity="ada", attributes=json.dumps({"friendlyName": "Ada"}))
out["participant"] = {"sid": p.sid, "identity": p.identity, "conversation_sid": p.conversation_sid}
out["same_participant"] = error(lambda: conversations(conv.sid).participants.create(identity="ada"))

w = conversations(conv.sid).webhooks.create(target="webhook", configuration_url=webhook_url, configuration_method="POST",
                                            configuration_filters=["onMessageAdded", "onConversationStateUpdated"])
out["webhook"] = {"sid": w.sid, "target": w.target, "configuration": w.configuration}
out["webhooks"] = [x.sid for x in conversations(conv.sid).webhooks.list()]

m = conversations(conv.sid).messages.create(author="bot", body="Summary: Ada's order 1234 is late.",
                                            attributes=json.dumps({"parley_opening": 0}))
conversations(conv.sid).messages.create(author="ada", body="Where is my order?")
out["message"] = {"sid": m.sid, "index": m.index, "author": m.author, "body": m.body, "attributes": m.attributes,
                  "participant_sid": m.participant_sid, "date_created": m.date_created.isoformat()}
out["messages"] = [[x.author, x.body, x.participant_sid == p.sid] for x in conversations(conv.sid).messages.list()]

i = client.flex_api.v1.interaction.create(
    channel={"type": "web", "initiated_by": "customer", "properties": {"media_channel_sid": conv.sid}},
    routing={"properties": {"workspace_sid": workspace, "workflow_sid": workflow, "task_channel_unique_name": "chat",
                            "attributes": {"customerName": "Ada", "conversationSummary": "Ada's order 1234 is late.",
                                           "parley_thread_id": "ada"}}})
props = i.routing["properties"]
out["interaction"] = {"sid": i.sid, "channel": i.channel, "task_sid": props["sid"],
                      "attributes": json.loads(props["attributes"]), "url": i.url}
out["interaction_fetched"] = client.flex_api.v1.interaction(i.sid).fetch().sid
task = client.taskrouter.v1.workspaces(workspace).tasks(props["sid"]).fetch()
out["task"] = {"assignment_status": task.assignment_status, "attributes": json.loads(task.attributes)}
out["bad_routing"] = error(lambda: client.flex_api.v1.interaction.create(
    channel={"type": "web", "initiated_by": "customer", "properties": {"media_channel_sid": conv.sid}},
    routing={"properties": {"workspace_sid": "WS" + "0" * 32, "workflow_sid": workflow}}))

ic = client.flex_api.v1.interaction(i.sid).channels(i.channel["sid"]).update(status="closed")
out["closed_channel"] = {"sid": ic.sid, "status": ic.status, "interaction_sid": ic.interaction_sid, "type": ic.type}
out["task_after_close"] = client.taskrouter.v1.workspaces(workspace).tasks(props["sid"]).fetch().assignment_status
out["state_after_close"] = conversations(conv.sid).fetch().state
conversations(conv.sid).webhooks(w.sid).delete()
out["webhooks_after_delete"] = [x.sid for x in conversations(conv.sid).webhooks.list()]
out["missing"] = error(lambda: conversations("CH" + "0" * 32).fetch())
print(json.dumps(out))
"""#

    /// Flex UI's "End chat" as techmatters' flex-plugins make it: the agent's interaction
    /// participant is closed.
    static let endChatScript = #"""
import json, sys
from twilio.rest import Client
base, account, token, interaction, channel = sys.argv[1:]
client = Client(account, token)
client.flex_api.base_url = base
participants = client.flex_api.v1.interaction(interaction).channels(channel).participants
listed = participants.list()
agent = next(p for p in listed if p.type == "agent")
closed = participants(agent.sid).update(status="closed")
print(json.dumps({"types": [p.type for p in listed], "closed": closed.sid, "routing": agent.routing_properties}))
"""#

    @Test("twilio.rest.Client makes the Flex Conversations handoff against the emulator and parses every answer")
    func restClient() async throws {
        try await EmulatorHarness.with { harness in
            let c = harness.configuration
            let output = try await PythonTwilio.run(Self.restScript, arguments: [
                harness.emulator.baseURL, c.accountSid, c.authToken, c.workspaceSid, c.workflowSid, harness.receiver.chatURL,
            ])
            let result = try EmulatorJSON(parsing: output)
            let conversation = try #require(result["conversation"])
            let sid = try #require(conversation["sid"]?.stringValue)
            #expect(TwilioSID.isValid(sid, prefix: "CH"))
            #expect(conversation["state"] == "active")
            #expect(conversation["unique_name"] == "py-conv")
            #expect(conversation["attributes"] == #"{"parley_thread_id": "ada"}"#)
            #expect(conversation["chat_service_sid"]?.stringValue == c.chatServiceSid)
            #expect(conversation["date_created"]?.stringValue?.hasSuffix("+00:00") == true)
            #expect(conversation["links"] == ["messages", "participants", "webhooks"])
            #expect(result["by_unique_name"]?.stringValue == sid)
            #expect(result["same_unique_name"] == ["status": 409, "code": 50353])

            let participant = try #require(result["participant"])
            #expect(TwilioSID.isValid(participant["sid"]?.stringValue ?? "", prefix: "MB"))
            #expect(participant["identity"] == "ada")
            #expect(result["same_participant"] == ["status": 409, "code": 50433])

            let webhook = try #require(result["webhook"])
            #expect(TwilioSID.isValid(webhook["sid"]?.stringValue ?? "", prefix: "WH"))
            #expect(webhook["target"] == "webhook")
            #expect(webhook["configuration"]?["url"]?.stringValue == harness.receiver.chatURL)
            #expect(webhook["configuration"]?["filters"] == ["onMessageAdded", "onConversationStateUpdated"])
            #expect(result["webhooks"] == .array([webhook["sid"] ?? .null]))

            let message = try #require(result["message"])
            #expect(message["index"] == 0)
            #expect(message["author"] == "bot")
            #expect(message["participant_sid"] == .null)
            #expect(message["attributes"] == #"{"parley_opening": 0}"#)
            #expect(result["messages"] == [["bot", "Summary: Ada's order 1234 is late.", false], ["ada", "Where is my order?", true]])

            let interaction = try #require(result["interaction"])
            #expect(TwilioSID.isValid(interaction["sid"]?.stringValue ?? "", prefix: "KD"))
            #expect(interaction["channel"]?["type"] == "web")
            let channelSid = try #require(interaction["channel"]?["sid"]?.stringValue)
            #expect(TwilioSID.isValid(channelSid, prefix: "UO"))
            let taskSid = try #require(interaction["task_sid"]?.stringValue)
            #expect(TwilioSID.isValid(taskSid, prefix: "WT"))
            let attributes = try #require(interaction["attributes"])
            // What Flex adds, then what the caller passed.
            #expect(attributes["conversationSid"]?.stringValue == sid)
            #expect(attributes["channelType"] == "web")
            #expect(attributes["customerAddress"] == "ada")
            #expect(attributes["flexInteractionSid"] == interaction["sid"])
            #expect(attributes["flexInteractionChannelSid"]?.stringValue == channelSid)
            #expect(attributes["conversations"]?["media"] == [["type": "ChatTranscript", "sid": .string(sid)]])
            #expect(attributes["customerName"] == "Ada")
            #expect(attributes["conversationSummary"] == "Ada's order 1234 is late.")
            #expect(result["interaction_fetched"] == interaction["sid"])
            #expect(result["task"]?["assignment_status"] == "reserved")
            #expect(result["task"]?["attributes"] == attributes)
            #expect(result["bad_routing"]?["status"] == 400)

            #expect(result["closed_channel"] == ["sid": .string(channelSid), "status": "closed", "interaction_sid": interaction["sid"] ?? .null,
                                                 "type": "web"])
            #expect(result["task_after_close"] == "canceled", "a task no agent had is canceled when its channel closes")
            #expect(result["state_after_close"] == "closed")
            #expect(result["webhooks_after_delete"] == [])
            #expect(result["missing"] == ["status": 404, "code": 20404])
        }
    }

    @Test("RequestValidator accepts every conversation webhook the emulator sends; each names its WebhookSid; End chat as Flex UI makes it")
    func signaturesValidate() async throws {
        try await EmulatorHarness.with(configure: { $0.chatWebhookURL = nil; $0.taskRouterCallbackURL = nil }) { harness in
            let c = harness.configuration
            let conversation = try await harness.rest("POST", "/v1/Conversations", form: ["FriendlyName": "Ada"]).json
            let sid = try #require(conversation["sid"]?.stringValue)
            #expect(try await harness.rest("POST", "/v1/Conversations/\(sid)/Participants", form: ["Identity": "ada"]).status == 201)
            var webhookForm: TwilioForm = ["Target": "webhook", "Configuration.Url": harness.receiver.chatURL, "Configuration.Method": "POST"]
            webhookForm.append("Configuration.Filters", "onMessageAdded")
            webhookForm.append("Configuration.Filters", "onConversationStateUpdated")
            let webhook = try await harness.rest("POST", "/v1/Conversations/\(sid)/Webhooks", form: webhookForm).json
            // The bot's own REST message fires nothing; one sent with the header does.
            #expect(try await harness.rest("POST", "/v1/Conversations/\(sid)/Messages", form: ["Author": "bot", "Body": "quiet"]).status == 201)
            #expect(try await harness.rest("POST", "/v1/Conversations/\(sid)/Messages", form: ["Author": "ada", "Body": "echoed ✓"],
                                           headers: ["X-Twilio-Webhook-Enabled": "true"]).status == 201)
            let routing = #"{"properties":{"workspace_sid":"\#(c.workspaceSid)","workflow_sid":"\#(c.workflowSid)","task_channel_unique_name":"chat"}}"#
            let interaction = try await harness.rest("POST", "/v1/Interactions", form: [
                "Channel": #"{"type":"web","initiated_by":"customer","properties":{"media_channel_sid":"\#(sid)"}}"#, "Routing": routing,
            ]).json
            let taskSid = try #require(interaction["routing"]?["properties"]?["sid"]?.stringValue)
            try await harness.agent.accept(taskSid)
            try await harness.agent.say("Hi Ada — ça va? 😀 1+1=2 & more", channel: sid)
            let ended = try EmulatorJSON(parsing: try await PythonTwilio.run(Self.endChatScript, arguments: [
                harness.emulator.baseURL, c.accountSid, c.authToken, interaction["sid"]?.stringValue ?? "",
                interaction["channel"]?["sid"]?.stringValue ?? "",
            ]))
            #expect(ended["types"] == ["customer", "agent"])
            #expect(ended["routing"]?["task_sid"]?.stringValue == taskSid)
            #expect(try await harness.agent.task(taskSid).status == "wrapping", "the agent's leaving wraps the task up")
            try await harness.agent.complete(taskSid)
            // TaskRouter's events are skipped here (no callback URL): the conversation's are the subject.
            let deliveries = try await harness.settledDeliveries(atLeast: 10).filter { $0.target == .conversations }
            #expect(deliveries.map(\.eventType) == ["onMessageAdded", "onMessageAdded", "onConversationStateUpdated"])
            #expect(deliveries.allSatisfy { $0[field: "WebhookSid"] == webhook["sid"]?.stringValue })
            #expect(deliveries[1][field: "Source"] == "SDK" && deliveries[1][field: "Author"] == c.workers.first?.name)
            #expect(deliveries[2][field: "StateTo"] == "closed")
            let received = await harness.receiver.received
            #expect(received.count == 3)
            try await OfficialClientTests.expectValidSignatures(received)
        }
    }

    /// What a Flex admin does to route a number into Conversations: Address Configurations for
    /// SMS and WhatsApp, the service's pre-event webhook.
    static let addressScript = #"""
import json, sys
from twilio.rest import Client
from twilio.base.exceptions import TwilioRestException
base, account, token, service, url = sys.argv[1:]
client = Client(account, token)
client.conversations.base_url = base
addresses = client.conversations.v1.address_configurations
out = {}
sms = addresses.create(type="sms", address="+15550001234", friendly_name="Support line", auto_creation_enabled=True,
                       auto_creation_type="webhook", auto_creation_webhook_url=url, auto_creation_webhook_method="POST",
                       auto_creation_webhook_filters=["onMessageAdded", "onConversationStateUpdated", "onDeliveryUpdated"])
wa = addresses.create(type="whatsapp", address="whatsapp:+15550001234", auto_creation_enabled=True,
                      auto_creation_type="webhook", auto_creation_webhook_url=url, auto_creation_webhook_filters=["onMessageAdded"])
out["sms"] = {"sid": sms.sid, "type": sms.type, "address": sms.address, "friendly_name": sms.friendly_name,
              "auto_creation": sms.auto_creation, "date_created": sms.date_created.isoformat(), "url": sms.url}
out["listed"] = [a.address for a in addresses.list()]
out["whatsapp_only"] = [a.address for a in addresses.list(type="whatsapp")]
out["fetched"] = addresses(wa.sid).fetch().type
try:
    addresses.create(type="sms", address="+15550001234")
except TwilioRestException as e:
    out["again"] = {"status": e.status, "code": e.code}
hooks = client.conversations.v1.services(service).configuration.webhooks().update(
    pre_webhook_url=url, filters=["onMessageAdd"], method="POST")
out["service_webhooks"] = {"pre": hooks.pre_webhook_url, "filters": hooks.filters, "method": hooks.method}
out["service_webhooks_fetched"] = client.conversations.v1.services(service).configuration.webhooks().fetch().pre_webhook_url
addresses(wa.sid).delete()
out["after_delete"] = [a.address for a in addresses.list()]
print(json.dumps(out))
"""#

    @Test("twilio.rest.Client configures SMS and WhatsApp addresses and the service's pre-event webhook; an SMS then reaches the bot")
    func addressConfigurations() async throws {
        try await EmulatorHarness.with { harness in
            let c = harness.configuration
            let url = harness.receiver.chatURL
            let result = try EmulatorJSON(parsing: try await PythonTwilio.run(Self.addressScript, arguments: [
                harness.emulator.baseURL, c.accountSid, c.authToken, c.chatServiceSid, url,
            ]))
            let sms = try #require(result["sms"])
            #expect(TwilioSID.isValid(sms["sid"]?.stringValue ?? "", prefix: "IG"))
            #expect(sms["type"] == "sms" && sms["address"] == "+15550001234" && sms["friendly_name"] == "Support line")
            #expect(sms["auto_creation"] == ["enabled": true, "type": "webhook", "conversation_service_sid": .string(c.chatServiceSid),
                                             "webhook_url": .string(url), "webhook_method": "POST",
                                             "webhook_filters": ["onMessageAdded", "onConversationStateUpdated", "onDeliveryUpdated"]])
            #expect(sms["date_created"]?.stringValue?.hasSuffix("+00:00") == true)
            #expect(result["listed"] == ["+15550001234", "whatsapp:+15550001234"])
            #expect(result["whatsapp_only"] == ["whatsapp:+15550001234"] && result["fetched"] == "whatsapp")
            #expect(result["again"] == ["status": 409, "code": 50353])
            #expect(result["service_webhooks"] == ["pre": .string(url), "filters": ["onMessageAdd"], "method": "POST"])
            #expect(result["service_webhooks_fetched"]?.stringValue == url)
            #expect(result["after_delete"] == ["+15550001234"])

            let message = try await harness.agent.text("Hi", from: "+15558675310", to: "+15550001234")
            let delivered = try await harness.agent.waitForDeliveries { $0.eventType == "onMessageAdded" }
            #expect(delivered.first?[field: "ConversationSid"] == message.conversationSid)
        }
    }
}

