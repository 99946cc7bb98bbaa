import Foundation
import TwilioWire

extension TwilioEmulator {
    /// Everything the emulator is told at start: where it listens, the credentials clients must
    /// present, the SIDs of the one Flex setup it simulates, its agents and where its webhooks go.
    ///
    /// It exists so tests, `botcli flex emulator` and `botcli simulate --flex` can start an
    /// emulator that matches an app's vault without any REST configuration calls. The defaults
    /// are fixed (the SIDs of the shared Twilio fixtures), so a vault can name them once:
    ///
    /// | Setting | Default |
    /// |---|---|
    /// | host, port | `127.0.0.1`, `5055` (`0` picks a free port) |
    /// | `accountSid` / `authToken` | `AC57fd0608be32bc7b399f485192bb8be8` / `5ca1ab1e0ddba11d0e5c0ffee0ba5eba` |
    /// | `apiKeySid` / `apiKeySecret` | `SK6f50b86861d05ab297273b0877e171a1` / `c2ae55efe91b1fc0b0aa7bcce95cc4d3` |
    /// | `flexFlowSid` | `FO37c42c8ba36d0b96bd670468b7ad0531` |
    /// | `chatServiceSid` | `ISfeefe7297470ecb2343d2c48c3076989` |
    /// | `workspaceSid` (“Flex Task Assignment”) | `WS92b03edeb0f9b34002ac3a5c09570018` |
    /// | `workflowSid` (“Assign to Anyone”) | `WWd35e5f285f2a106c6cb6c342105aa47a` |
    /// | `taskQueueSid` (“Support”) | `WQeb6d9cc69b589981f0fe0345556f2b81` |
    /// | task channel `chat` | `TC6a46c8fe1d58c3bbad15063c4ba9ba8e` |
    /// | task channel `voice` | `TC1e2a7d0c5b9f4e3a8d6c2b1f0e9d8c7a` |
    /// | worker `alice_40example_2Ecom` | `WK05b08526268a53ca2df0a76e9a119a9f` |
    /// | `messagingServiceSid` | `MG6401a060d14731a37f94e329d20d41ad` |
    ///
    /// These are development values: never reuse them for a real Twilio account.
    public struct Configuration: Sendable {
        public var host: String = "127.0.0.1"
        /// The TCP port; 0 picks a free one (see `TwilioEmulator.port`).
        public var port: Int = 5055
        public var accountSid: String = Defaults.accountSid
        public var authToken: String = Defaults.authToken
        public var apiKeySid: String = Defaults.apiKeySid
        public var apiKeySecret: String = Defaults.apiKeySecret
        public var flexFlowSid: String = Defaults.flexFlowSid
        public var chatServiceSid: String = Defaults.chatServiceSid
        public var workspaceSid: String = Defaults.workspaceSid
        public var workflowSid: String = Defaults.workflowSid
        public var taskQueueSid: String = Defaults.taskQueueSid
        public var taskChannelSid: String = Defaults.taskChannelSid
        /// The Messaging Service of the conversations an Address Configuration makes.
        public var messagingServiceSid: String = Defaults.messagingServiceSid
        /// `channel_type` written into the attributes of the channels the Flex Flow creates
        /// (and `channelType` of their tasks): `web`, `sms`, `custom`, …
        public var channelType: String = "web"
        /// The agents. Each new task is offered to the one with the fewest open tasks.
        public var workers: [Worker] = [.alice]
        /// The Chat service's `PostWebhookUrl` at start (REST `POST /v2/Services/{IS}` changes it).
        public var chatWebhookURL: String?
        /// The Chat service's `WebhookFilters` at start; empty means every event.
        public var chatWebhookFilters: [String] = []
        /// The workspace's `EventCallbackUrl` at start (REST `POST /v1/Workspaces/{WS}` changes it).
        public var taskRouterCallbackURL: String?
        /// The workspace's `EventsFilter` at start; empty means every event.
        public var taskRouterEventsFilter: [String] = []
        /// Address Configurations at start, as `POST /v1/Configuration/Addresses` makes them:
        /// a customer's message to one of these numbers makes a conversation that calls its URL.
        public var addresses: [Address] = []
        /// The Conversations service's pre-event webhook at start (filter `onMessageAdd`): asked
        /// before an agent's message is added (REST `…/Configuration/Webhooks` changes it).
        public var conversationsPreWebhookURL: String?
        /// Phone numbers callers can call at start, as `POST …/IncomingPhoneNumbers.json` makes them.
        public var voiceNumbers: [VoiceNumber] = []
        /// The Dialogflow CX agents `<Connect><VirtualAgent connectorName>` reaches, by connector name.
        public var virtualAgents: [VirtualAgentScript] = []
        /// The `voice` task channel (the tasks `<Enqueue>` makes).
        public var voiceTaskChannelSid: String = Defaults.voiceTaskChannelSid
        /// How failed webhook deliveries are retried.
        public var retry: RetryPolicy = RetryPolicy()

        public init() {}

        /// The default configuration with `port` (0: any free port), e.g. for tests.
        public init(port: Int) {
            self.port = port
        }
    }

    /// A number routed into Conversations (an Address Configuration with auto-creation by webhook).
    public struct Address: Sendable, Equatable {
        /// `sms` or `whatsapp`.
        public var type: String
        /// `+15555550199`; a WhatsApp address gets its `whatsapp:` prefix.
        public var address: String
        /// Where the conversations it makes send their events.
        public var webhookURL: String
        public var filters: [String]

        public init(type: String, address: String, webhookURL: String,
                    filters: [String] = ["onMessageAdded", "onConversationStateUpdated", "onDeliveryUpdated"]) {
            self.type = type
            self.address = type == "whatsapp" && !address.hasPrefix("whatsapp:") ? "whatsapp:" + address : address
            self.webhookURL = webhookURL
            self.filters = filters
        }
    }

    /// A phone number of the account (an Incoming Phone Number): a call to it asks `voiceURL`
    /// what to do, and its end is posted to `statusCallbackURL`.
    public struct VoiceNumber: Sendable, Equatable {
        /// `+15555550100`.
        public var number: String
        /// "A call comes in": the bot's incoming-call webhook.
        public var voiceURL: String
        /// `POST` (the default) or `GET`.
        public var voiceMethod: String
        /// "Call status changes": where the call's end is posted.
        public var statusCallbackURL: String?

        public init(number: String, voiceURL: String, voiceMethod: String = "POST", statusCallbackURL: String? = nil) {
            self.number = number
            self.voiceURL = voiceURL
            self.voiceMethod = voiceMethod
            self.statusCallbackURL = statusCallbackURL
        }
    }

    /// The fixed default SIDs and credentials (see `Configuration`).
    public enum Defaults {
        public static let accountSid = "AC57fd0608be32bc7b399f485192bb8be8"
        public static let authToken = "5ca1ab1e0ddba11d0e5c0ffee0ba5eba"
        public static let apiKeySid = "SK6f50b86861d05ab297273b0877e171a1"
        public static let apiKeySecret = "c2ae55efe91b1fc0b0aa7bcce95cc4d3"
        public static let flexFlowSid = "FO37c42c8ba36d0b96bd670468b7ad0531"
        public static let chatServiceSid = "ISfeefe7297470ecb2343d2c48c3076989"
        public static let workspaceSid = "WS92b03edeb0f9b34002ac3a5c09570018"
        public static let workflowSid = "WWd35e5f285f2a106c6cb6c342105aa47a"
        public static let taskQueueSid = "WQeb6d9cc69b589981f0fe0345556f2b81"
        public static let taskChannelSid = "TC6a46c8fe1d58c3bbad15063c4ba9ba8e"
        public static let voiceTaskChannelSid = "TC1e2a7d0c5b9f4e3a8d6c2b1f0e9d8c7a"
        public static let messagingServiceSid = "MG6401a060d14731a37f94e329d20d41ad"
        public static let operatingUnitSid = "OUcf1fe7b3cf9c8d28691495a48799c2ae"
        public static let availableActivitySid = "WA8d7cac465dc9438d664defa5089cc6d0"
        public static let workspaceName = "Flex Task Assignment"
        public static let workflowName = "Assign to Anyone"
        public static let taskQueueName = "Support"
        public static let taskQueueTargetExpression = "routing.skills HAS 'support'"
    }

    /// One agent (a TaskRouter worker and a Chat identity).
    ///
    /// It exists so the emulator's agents can be named and described the way Flex describes
    /// them to the bot in `reservation.*` events (`WorkerName`, `WorkerAttributes`).
    public struct Worker: Sendable, Equatable {
        public var sid: String
        /// The worker's friendly name, which Flex also uses as its chat identity
        /// (`alice_40example_2Ecom`).
        public var name: String
        /// `WorkerAttributes`: a JSON object as text.
        public var attributes: String

        public init(sid: String, name: String, attributes: String) {
            self.sid = sid
            self.name = name
            self.attributes = attributes
        }

        /// A worker for an e-mail address, named as Flex names SSO users (every character but
        /// letters and digits as `_XX`: `bob@example.com` → `bob_40example_2Ecom`), with the
        /// attributes Flex gives agents.
        public init(email: String, fullName: String) {
            let name = Self.identity(forEmail: email)
            self.sid = TwilioSID.derived("WK", from: "flex-emulator:worker:\(name)")
            self.name = name
            self.attributes = EmulatorJSON.object([
                .init("full_name", .string(fullName)), .init("contact_uri", .string("client:\(email)")),
                .init("email", .string(email)), .init("roles", ["agent"]),
            ]).text
        }

        /// The default agent, Alice Example (`alice_40example_2Ecom`).
        public static let alice = Worker(
            sid: "WK05b08526268a53ca2df0a76e9a119a9f", name: "alice_40example_2Ecom",
            attributes: #"{"full_name":"Alice Example","contact_uri":"client:alice@example.com","email":"alice@example.com","roles":["agent"]}"#)

        /// Flex's identity encoding of an e-mail address.
        public static func identity(forEmail email: String) -> String {
            var text = ""
            for byte in email.utf8 {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    text.unicodeScalars.append(Unicode.Scalar(byte))
                default:
                    let hex = String(byte, radix: 16, uppercase: true)
                    text += "_" + (hex.count == 1 ? "0" + hex : hex)
                }
            }
            return text
        }

        /// `full_name` from the attributes, else the name.
        public var displayName: String {
            (try? EmulatorJSON(parsing: attributes))?["full_name"]?.stringValue ?? name
        }
    }

    /// How webhook deliveries are retried after a connection error, a timeout, 429 or a 5xx:
    /// up to `maxAttempts` attempts in all, waiting `initialDelay` before the first retry and
    /// twice as long before each next one. Every attempt of a delivery carries the same
    /// `I-Twilio-Idempotency-Token`.
    public struct RetryPolicy: Sendable, Equatable {
        public var maxAttempts: Int
        public var initialDelay: Duration
        /// How long one attempt may take (Twilio waits 5 s for Chat, 15 s for TaskRouter).
        public var timeout: Duration

        public init(maxAttempts: Int = 4, initialDelay: Duration = .milliseconds(500), timeout: Duration = .seconds(15)) {
            self.maxAttempts = max(1, maxAttempts)
            self.initialDelay = initialDelay
            self.timeout = timeout
        }
    }
}
