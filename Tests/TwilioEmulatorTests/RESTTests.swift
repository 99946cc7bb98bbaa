import Foundation
import Testing
import TwilioEmulator
import TwilioWire

@Suite("Flex emulator REST")
struct RESTTests {
    @Test("POST /v1/Channels with the fixture body answers 201 in the fixture's shape and creates the task")
    func createChannel() async throws {
        try await EmulatorHarness.with { harness in
            let fixtureBody = try Fixtures.body("flex-channels-create.request.http")
            let reply = try await harness.rest("POST", "/v1/Channels", form: try TwilioForm(encoded: fixtureBody))
            #expect(reply.status == 201, "\(reply.body)")
            #expect(reply.headers["content-type"]?.hasPrefix("application/json") == true)
            let channel = try reply.json
            #expect(sameShape(channel, try Fixtures.json("twilio/flex-channels-create.response.json")), "\(channel)")
            let sid = try #require(channel["sid"]?.stringValue), taskSid = try #require(channel["task_sid"]?.stringValue)
            #expect(TwilioSID.isValid(sid, prefix: "CH"))
            #expect(TwilioSID.isValid(taskSid, prefix: "WT"))
            #expect(TwilioSID.isValid(channel["user_sid"]?.stringValue ?? "", prefix: "US"))
            #expect(channel["flex_flow_sid"]?.stringValue == TwilioEmulator.Defaults.flexFlowSid)
            #expect(channel["account_sid"]?.stringValue == TwilioEmulator.Defaults.accountSid)
            #expect(channel["url"]?.stringValue == "\(harness.emulator.baseURL)/v1/Channels/\(sid)")
            #expect(channel["date_created"]?.stringValue?.hasSuffix("Z") == true)

            // The chat channel carries Flex's attributes; the task merges the caller's.
            let chat = try await harness.rest("GET", "/v2/Services/\(TwilioEmulator.Defaults.chatServiceSid)/Channels/\(sid)")
            #expect(chat.status == 200)
            let attributes = try EmulatorJSON(parsing: try #require(try chat.json["attributes"]?.stringValue))
            #expect(attributes.text == #"{"task_sid":"\#(taskSid)","from":"Ada Lovelace","channel_type":"web","status":"ACTIVE","long_lived":false,"pre_engagement_data":{"friendlyName":"Ada Lovelace","question":"Where is my order?"}}"#)
            #expect(try chat.json["unique_name"]?.stringValue == "bot-user-7f3a-1741946398")
            let task = try await harness.rest("GET", "/v1/Workspaces/\(TwilioEmulator.Defaults.workspaceSid)/Tasks/\(taskSid)")
            #expect(task.status == 200)
            #expect(try task.json["assignment_status"]?.stringValue == "reserved")
            #expect(try task.json["attributes"]?.stringValue == #"{"channelSid":"\#(sid)","channelType":"web","name":"Ada Lovelace","from":"Ada Lovelace","bot_session_id":"sess-0001","handoff_reason":"customer asked for a human","conversations":{"conversation_id":"\#(taskSid)"}}"#)
            #expect(try task.json["task_queue_friendly_name"]?.stringValue == "Support")
        }
    }

    @Test("GET one and the list of channels, DELETE answers 204, then 404 with Twilio's error body")
    func readAndDelete() async throws {
        try await EmulatorHarness.with { harness in
            let sid = try #require(try await harness.createChannel()["sid"]?.stringValue)
            let one = try await harness.rest("GET", "/v1/Channels/\(sid)")
            #expect(one.status == 200)
            #expect(try one.json["sid"]?.stringValue == sid)
            let list = try await harness.rest("GET", "/v1/Channels")
            #expect(list.status == 200)
            let json = try list.json
            #expect(json["flex_chat_channels"].flatMap { if case .array(let items) = $0 { items.count } else { nil } } == 1)
            #expect(json["meta"]?["key"]?.stringValue == "flex_chat_channels")
            #expect(json["meta"]?["next_page_url"] == .null)

            let deleted = try await harness.rest("DELETE", "/v1/Channels/\(sid)")
            #expect(deleted.status == 204)
            #expect(deleted.body.isEmpty)
            let gone = try await harness.rest("GET", "/v1/Channels/\(sid)")
            #expect(gone.status == 404)
            let fixture = try Fixtures.json("twilio/error-20404.response.json")
            let error = try gone.json
            #expect(sameShape(error, fixture))
            #expect(error["code"] == 20404)
            #expect(error["status"] == 404)
            #expect(error["message"]?.stringValue == "The requested resource /v1/Channels/\(sid) was not found")
            #expect(error["more_info"] == fixture["more_info"])
        }
    }

    @Test("unknown resources and paths answer 404 code 20404 naming the path")
    func unknownResources() async throws {
        try await EmulatorHarness.with { harness in
            let missingTask = "WT" + String(repeating: "0", count: 32)
            for path in ["/v1/Nothing/Here", "/v1/Workspaces/\(TwilioEmulator.Defaults.workspaceSid)/Tasks/\(missingTask)",
                         "/v1/Workspaces/WS\(String(repeating: "1", count: 32))",
                         "/v2/Services/IS\(String(repeating: "2", count: 32))/Channels/CHx/Messages"] {
                let reply = try await harness.rest("GET", path)
                #expect(reply.status == 404, "\(path)")
                #expect(try reply.json["code"] == 20404, "\(path)")
                #expect(try reply.json["message"]?.stringValue == "The requested resource \(path) was not found", "\(path)")
            }
        }
    }

    @Test("missing or invalid parameters answer 400 naming the parameter")
    func missingParameters() async throws {
        try await EmulatorHarness.with { harness in
            for name in ["FlexFlowSid", "Identity", "ChatUserFriendlyName", "ChatFriendlyName"] {
                var form = EmulatorHarness.channelForm()
                form.fields.removeAll { $0.name == name }
                let reply = try await harness.rest("POST", "/v1/Channels", form: form)
                #expect(reply.status == 400, "\(name)")
                #expect(try reply.json["code"] == 20001)
                #expect(try reply.json["message"]?.stringValue == "Missing required parameter \(name) in the post body")
            }
            var form = EmulatorHarness.channelForm()
            form.fields.removeAll { $0.name == "TaskAttributes" }
            form.append("TaskAttributes", "[1, 2]")
            let invalid = try await harness.rest("POST", "/v1/Channels", form: form)
            #expect(invalid.status == 400)
            #expect(try invalid.json["message"]?.stringValue?.contains("TaskAttributes") == true)
            // A Flex Flow the emulator does not have.
            var otherFlow = EmulatorHarness.channelForm()
            otherFlow.fields[0].value = "FO" + String(repeating: "9", count: 32)
            let unknownFlow = try await harness.rest("POST", "/v1/Channels", form: otherFlow)
            #expect(unknownFlow.status == 400)
            #expect(try unknownFlow.json["message"]?.stringValue?.contains(TwilioEmulator.Defaults.flexFlowSid) == true)
            // Completing needs a Reason; a pending task cannot complete.
            let channel = try await harness.createChannel()
            let task = "/v1/Workspaces/\(TwilioEmulator.Defaults.workspaceSid)/Tasks/\(channel["task_sid"]?.stringValue ?? "")"
            let noReason = try await harness.rest("POST", task, form: ["AssignmentStatus": "canceled"])
            #expect(noReason.status == 400)
            #expect(try noReason.json["message"]?.stringValue == "Missing required parameter Reason in the post body")
            let early = try await harness.rest("POST", task, form: ["AssignmentStatus": "completed", "Reason": "done"])
            #expect(early.status == 400)
            #expect(try early.json["message"]?.stringValue?.contains("cannot move from reserved to completed") == true)
            let badStatus = try await harness.rest("POST", task, form: ["AssignmentStatus": "finished"])
            #expect(badStatus.status == 400)
            #expect(try badStatus.json["message"]?.stringValue?.contains("AssignmentStatus") == true)
            // A unique name is unique.
            let duplicate = try await harness.rest("POST", "/v1/Channels", form: EmulatorHarness.channelForm(uniqueName: "one"))
            #expect(duplicate.status == 201)
            let again = try await harness.rest("POST", "/v1/Channels", form: EmulatorHarness.channelForm(uniqueName: "one"))
            #expect(again.status == 409)
            #expect(try again.json["code"] == 50307)
        }
    }

    @Test("Chat messages: the fixture request answers 201 in the fixture's shape; the list has key messages")
    func chatMessages() async throws {
        try await EmulatorHarness.with { harness in
            let created = try await harness.createChannel(EmulatorHarness.channelForm(uniqueName: "bot-user-7f3a-1741946398"))
            let sid = try #require(created["sid"]?.stringValue)
            let service = TwilioEmulator.Defaults.chatServiceSid
            let form = try TwilioForm(encoded: try Fixtures.body("chat-messages-create.request.http"))
            let reply = try await harness.rest("POST", "/v2/Services/\(service)/Channels/\(sid)/Messages", form: form,
                                               headers: ["X-Twilio-Webhook-Enabled": "false"])
            #expect(reply.status == 201, "\(reply.body)")
            let message = try reply.json
            #expect(sameShape(message, try Fixtures.json("twilio/chat-messages-create.response.json")), "\(message)")
            #expect(message["attributes"]?.stringValue == #"{"bot":true,"kind":"handoff_notice"}"#)
            #expect(message["from"]?.stringValue == "bot")
            #expect(message["to"]?.stringValue == sid)
            #expect(message["index"] == 0)
            #expect(message["type"]?.stringValue == "text")
            #expect(TwilioSID.isValid(message["sid"]?.stringValue ?? "", prefix: "IM"))
            let second = try await harness.botMessage("second", channel: sid)
            #expect(try second.json["index"] == 1)
            // The unique name works as the channel's key too.
            let byName = try await harness.botMessage("by name", channel: "bot-user-7f3a-1741946398")
            #expect(byName.status == 201)
            let list = try await harness.rest("GET", "/v2/Services/\(service)/Channels/\(sid)/Messages")
            #expect(list.status == 200)
            let listed = try list.json
            #expect(listed["meta"]?["key"]?.stringValue == "messages")
            guard case .array(let items)? = listed["messages"] else { Issue.record("no messages array"); return }
            #expect(items.map { $0["body"]?.stringValue ?? "" } == ["Connecting you with a human agent now. Please hold on.", "second", "by name"])
            let one = try await harness.rest("GET", "/v2/Services/\(service)/Channels/\(sid)/Messages/\(message["sid"]?.stringValue ?? "")")
            #expect(try one.json["body"] == message["body"])
            // Attributes must be a JSON object.
            let bad = try await harness.rest("POST", "/v2/Services/\(service)/Channels/\(sid)/Messages", form: ["Body": "x", "Attributes": "nope"])
            #expect(bad.status == 400)
        }
    }

    @Test("service and workspace settings: webhook URLs and filters are set and read back")
    func settings() async throws {
        try await EmulatorHarness.with(configure: { $0.chatWebhookURL = nil; $0.taskRouterCallbackURL = nil }) { harness in
            let service = "/v2/Services/\(TwilioEmulator.Defaults.chatServiceSid)"
            let before = try await harness.rest("GET", service)
            #expect(try before.json["post_webhook_url"] == .null)
            var form: TwilioForm = ["PostWebhookUrl": "http://127.0.0.1:9/chat", "WebhookMethod": "POST"]
            form.append("WebhookFilters", "onMessageSent")
            form.append("WebhookFilters", "onChannelUpdated")
            let updated = try await harness.rest("POST", service, form: form)
            #expect(updated.status == 200)
            #expect(try updated.json["post_webhook_url"]?.stringValue == "http://127.0.0.1:9/chat")
            #expect(try updated.json["webhook_filters"] == ["onMessageSent", "onChannelUpdated"])
            #expect(try await harness.rest("POST", service, form: ["PostWebhookUrl": "ftp://x"]).status == 400)

            let workspace = "/v1/Workspaces/\(TwilioEmulator.Defaults.workspaceSid)"
            let changed = try await harness.rest("POST", workspace, form: ["EventCallbackUrl": "http://127.0.0.1:9/tr",
                                                                           "EventsFilter": "task.canceled, reservation.accepted"])
            #expect(changed.status == 200)
            #expect(try changed.json["event_callback_url"]?.stringValue == "http://127.0.0.1:9/tr")
            #expect(try changed.json["events_filter"]?.stringValue == "task.canceled,reservation.accepted")
            #expect(try changed.json["friendly_name"]?.stringValue == "Flex Task Assignment")
            let info = try await harness.agent.tasks()
            #expect(info.value.isEmpty)
            let workers = try await harness.rest("GET", "\(workspace)/Workers")
            guard case .array(let items)? = try workers.json["workers"] else { Issue.record("no workers array"); return }
            #expect(items.first?["friendly_name"] == "alice_40example_2Ecom")
        }
    }

    @Test("Basic auth: the account token or the API key secret pass; anything else is 401 code 20003")
    func authentication() async throws {
        try await EmulatorHarness.with { harness in
            let configuration = harness.configuration
            let good = [TwilioBasicAuth(username: configuration.accountSid, password: configuration.authToken),
                        TwilioBasicAuth(username: configuration.apiKeySid, password: configuration.apiKeySecret)]
            for credentials in good {
                #expect(try await harness.rest("GET", "/v1/Channels", auth: .basic(credentials)).status == 200)
            }
            let bad: [EmulatorHarness.Auth] = [
                .none,
                .basic(TwilioBasicAuth(username: configuration.accountSid, password: "wrong")),
                .basic(TwilioBasicAuth(username: configuration.accountSid, password: configuration.apiKeySecret)),
                .basic(TwilioBasicAuth(username: configuration.apiKeySid, password: configuration.authToken)),
                .basic(TwilioBasicAuth(username: "", password: "")),
            ]
            for auth in bad {
                let reply = try await harness.rest("POST", "/v1/Channels", form: EmulatorHarness.channelForm(), auth: auth)
                #expect(reply.status == 401)
                #expect(try reply.json["code"] == 20003)
                #expect(try reply.json["status"] == 401)
                #expect(try reply.json["more_info"]?.stringValue == "https://www.twilio.com/docs/errors/20003")
            }
            // Nothing was created by the refused calls; the agent API needs no credentials.
            #expect(try await harness.agent.tasks().value.isEmpty)
            let console = try await harness.rest("GET", "/", auth: .none)
            #expect(console.status == 200)
            #expect(console.headers["content-type"]?.hasPrefix("text/html") == true)
            #expect(console.body.contains("Development emulator"))
        }
    }
}
