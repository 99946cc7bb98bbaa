#!/usr/bin/env python3
"""Generates the Twilio test fixtures in Tests/Fixtures/ with the official Twilio library.

Run it through `scripts/twilio-fixtures` (which provides a venv with twilio==9.13.0):

    scripts/twilio-fixtures            write Tests/Fixtures/twilio/* and Tests/Fixtures/twilio-signature-vectors.json
    scripts/twilio-fixtures --check    regenerate into a temporary folder; exit 1 if the committed files differ

Everything here is made-up data. What this script holds as data: the webhook inputs (URLs,
ordered form parameters, headers, content types), the auth token, the REST calls and the
responses. What twilio-python computes: every signature (RequestValidator.compute_signature),
every string to sign (the exact message RequestValidator hands to HMAC), every validate()
result and bodySHA256 hash of the vectors, the TwiML (VoiceResponse), and the headers and form
fields of the `.request.http` files (twilio.rest.Client run against a recording HTTP client).

Python 3.11 standard library + twilio only. The output is deterministic (no clock, no
randomness; the User-Agent platform is pinned, see RECORDED_PLATFORM).
"""
from __future__ import annotations

import argparse
import base64
import difflib
import hashlib
import hmac
import json
import sys
import tempfile
import types
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import twilio
import twilio.base.client_base as twilio_client_base
import twilio.request_validator as twilio_request_validator
from twilio.base.exceptions import TwilioRestException
from twilio.http import HttpClient
from twilio.http.response import Response
from twilio.request_validator import RequestValidator, get_signature_algorithm
from twilio.rest import Client
from twilio.twiml.voice_response import VoiceResponse

TWILIO_VERSION = "9.13.0"
REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "Tests" / "Fixtures"
FIXTURE_DIR = "twilio"  # under the output folder
VECTORS_FILE = "twilio-signature-vectors.json"  # beside FIXTURE_DIR
HAND_WRITTEN = {"README.md"}  # files in FIXTURE_DIR that this script does not make

# --------------------------------------------------------------------------------------------
# Signing parameters and SIDs (all made up)
# --------------------------------------------------------------------------------------------

AUTH_TOKEN = "5ca1ab1e0ddba11d0e5c0ffee0ba5eba"
HOST = "bot.example.com"
BASE_URL = f"https://{HOST}"  # the public URL Twilio signs (no port)


def sid(prefix: str, label: str) -> str:
    """A well-formed fake SID: prefix + the first 32 hex digits of sha256("twilio-fixture:<label>")."""
    return prefix + hashlib.sha256(f"twilio-fixture:{label}".encode()).hexdigest()[:32]


ACCOUNT = sid("AC", "account")
# Flex chat handoff (Programmable Chat + TaskRouter), 2025-03-14
FLEX_FLOW = sid("FO", "flexflow")
CHAT_SERVICE = sid("IS", "chat-service")
CHAT_CHANNEL = sid("CH", "chat-channel")
CHAT_USER = sid("US", "chat-user")
MISSING_CHANNEL = sid("CH", "missing")
WORKSPACE = sid("WS", "workspace")
WORKFLOW = sid("WW", "workflow")
OPERATING_UNIT = sid("OU", "operating-unit")
TASK_CHANNEL = sid("TC", "taskchannel-chat")
QUEUE = sid("WQ", "queue")
TASK = sid("WT", "task")
RESERVATION = sid("WR", "reservation")
WORKER = sid("WK", "worker-alice")
ACTIVITY_AVAILABLE = sid("WA", "activity-available")
# Conversations (older single example)
CONVERSATION = sid("CH", "conversation")
CONVERSATION_PARTICIPANT = sid("MB", "conversation-participant")
# Flex Conversations + SMS / WhatsApp, 2026-11-30
FLEX_CHAT_SERVICE = sid("IS", "flex-chat-service")
MESSAGING_SERVICE = sid("MG", "messaging-service")
CONV_SMS = sid("CH", "conv-sms")
CONV_WHATSAPP = sid("CH", "conv-whatsapp")
CUSTOMER_SMS = sid("MB", "customer-sms")
CUSTOMER_WA = sid("MB", "customer-wa")
AGENT_PARTICIPANT = sid("MB", "agent-alice")
WEBHOOK_BOT = sid("WH", "scoped-webhook-bot")
WEBHOOK_BOT_WA = sid("WH", "scoped-webhook-bot-wa")
INTERACTION = sid("KD", "interaction-sms")
INTERACTION_CHANNEL = sid("UO", "interaction-channel-sms")
QUEUE_SUPPORT = sid("WQ", "queue-support")
TASK_CONV = sid("WT", "task-conv-sms")
RESERVATION_CONV = sid("WR", "reservation-conv-sms")
# Voice
CALL = sid("CA", "call")

# The labels of the TaskRouter event SIDs are not known, so these stay literal.
EVENT_SIDS = {
    "taskrouter-task-queue-entered": "EV50bbde437ca69ec416321b2db2a4799a",
    "taskrouter-reservation-created": "EV02b35a1b3f1d2378227295da219ffd8c",
    "taskrouter-reservation-accepted": "EV29c2f20b92704435d95528aeb662e332",
    "taskrouter-reservation-completed": "EVc230f1a2e1983a59b14fea908e19f4a9",
    "taskrouter-task-completed": "EV0120ebda01af0c4d63f003680e27bbb2",
    "taskrouter-task-canceled": "EV823aebf60212280e89e3a69974d36c84",
    "conversations-taskrouter-task-queue-entered": "EV1247cf9531eef536c6d4d3c87aff5cb0",
    "conversations-taskrouter-reservation-accepted": "EVab94ec80c1a690f49decb8ac08b33144",
    "conversations-taskrouter-task-wrapup": "EVc17c77d913c4dc4101e7b37eaaadd5b4",
    "conversations-taskrouter-task-completed": "EVdf010e2eabbce4daa10ecf25a434e45f",
}

AGENT_IDENTITY = "alice_40example_2Ecom"
CUSTOMER_PHONE = "+15558675310"
CX_CONVERSATION = "projects/acme-bot/locations/us-central1/conversations/3f1c0b8e-61d4-4c0e-9d0a-2b7e5a1d9c42"
CX_END_USER = f"{CX_CONVERSATION}/participants/QZ8kS0pH4bE2mN6tV1xW7a"
CX_AGENT = "projects/acme-bot/locations/us-central1/agents/0b4e1c7a-1f2d-4e55-8a4c-6d2f1e9b3a70"


def compact_json(value) -> str:
    """JSON as Twilio sends it inside form fields: no spaces, keys in the order given."""
    return json.dumps(value, separators=(",", ":"))


# --------------------------------------------------------------------------------------------
# Signed webhooks (Twilio -> bot): inputs
# --------------------------------------------------------------------------------------------

CT_CHAT = "application/x-www-form-urlencoded; charset=utf-8"  # Chat and Conversations
CT_PLAIN = "application/x-www-form-urlencoded"  # TaskRouter and Voice

FLEX_CHAT_TASK_ATTRIBUTES = compact_json({
    "channelSid": CHAT_CHANNEL, "channelType": "custom", "name": "Ada Lovelace", "from": "Ada Lovelace",
    "bot_session_id": "sess-0001", "handoff_reason": "customer asked for a human",
    "conversations": {"conversation_id": TASK},
})
ALICE_ATTRIBUTES = compact_json({
    "contact_uri": f"client:{AGENT_IDENTITY}", "full_name": "Alice Agent", "email": "alice@example.com",
    "image_url": "", "roles": ["agent"], "routing": {"skills": ["support"], "levels": {"support": 1}},
})
CONV_TASK_ATTRIBUTES = compact_json({
    "from": CUSTOMER_PHONE, "customerName": "Ana", "customerAddress": CUSTOMER_PHONE, "channelType": "sms",
    "conversationSid": CONV_SMS, "direction": "inbound", "initiatedBy": "customer",
    "flexInteractionSid": INTERACTION, "flexInteractionChannelSid": INTERACTION_CHANNEL,
    "conversations": {"initiated_by": "customer", "conversation_id": INTERACTION,
                      "media": [{"type": "ChatTranscript", "sid": CONV_SMS}]},
    "language": "en", "issue": "software", "conversationSummary": "Ana reports a software issue.",
    "handoffReason": "asked for an agent",
})
ALICE_CONV_ATTRIBUTES = compact_json({
    "full_name": "Alice Example", "contact_uri": f"client:{AGENT_IDENTITY}",
    "routing": {"skills": ["en"], "levels": {}},
})


def flex_chat_task_event(name, event_type, description, timestamp, age, status, version,
                         reason=None, worker_version=None):
    """A TaskRouter event for the Flex chat task (field order of the 2025 fixtures)."""
    reservation = worker_version is not None
    params = [
        ("EventType", event_type), ("Sid", EVENT_SIDS[name]), ("EventDescription", description),
        ("ResourceType", "reservation" if reservation else "task"),
        ("ResourceSid", RESERVATION if reservation else TASK),
        ("Timestamp", str(timestamp)), ("TimestampMs", f"{timestamp}123"),
        ("AccountSid", ACCOUNT), ("WorkspaceSid", WORKSPACE), ("WorkspaceName", "Flex Task Assignment"),
        ("OperatingUnitSid", OPERATING_UNIT), ("TaskSid", TASK), ("TaskAttributes", FLEX_CHAT_TASK_ATTRIBUTES),
        ("TaskAge", str(age)), ("TaskPriority", "0"), ("TaskAssignmentStatus", status),
        ("TaskVersion", str(version)), ("TaskChannelSid", TASK_CHANNEL), ("TaskChannelUniqueName", "chat"),
        ("TaskDateCreated", "1741946400"),
        *([reason] if reason else []),
        ("TaskQueueSid", QUEUE), ("TaskQueueName", "Support"),
        ("TaskQueueTargetExpression", "routing.skills HAS 'support'"), ("TaskQueueEnteredDate", "1741946401"),
        ("WorkflowSid", WORKFLOW), ("WorkflowName", "Assign to Anyone"),
    ]
    if reservation:
        params += [
            ("ReservationSid", RESERVATION), ("WorkerSid", WORKER), ("WorkerName", AGENT_IDENTITY),
            ("WorkerAttributes", ALICE_ATTRIBUTES), ("WorkerActivitySid", ACTIVITY_AVAILABLE),
            ("WorkerActivityName", "Available"), ("WorkerVersion", str(worker_version)),
        ]
    return params


def conversations_task_event(name, event_type, description, timestamp, age, status,
                             reason=None, reservation=False):
    """A TaskRouter event for the Flex Conversations (SMS) task (field order of the 2026 fixtures)."""
    params = [
        ("EventType", event_type), ("Sid", EVENT_SIDS[name]), ("EventDescription", description),
        ("ResourceType", "reservation" if reservation else "task"),
        ("ResourceSid", RESERVATION_CONV if reservation else TASK_CONV),
        ("AccountSid", ACCOUNT), ("WorkspaceSid", WORKSPACE), ("WorkspaceName", "Flex Task Assignment"),
        ("Timestamp", str(timestamp)), ("TimestampMs", f"{timestamp}417"),
        ("TaskSid", TASK_CONV), ("TaskAttributes", CONV_TASK_ATTRIBUTES), ("TaskAssignmentStatus", status),
        ("TaskAge", str(age)), ("TaskPriority", "0"), ("TaskQueueSid", QUEUE_SUPPORT), ("TaskQueueName", "Support"),
        ("WorkflowSid", WORKFLOW), ("WorkflowName", "Assign to Anyone"),
        ("TaskChannelSid", TASK_CHANNEL), ("TaskChannelUniqueName", "chat"),
        *([reason] if reason else []),
    ]
    if reservation:
        params += [
            ("ReservationSid", RESERVATION_CONV), ("WorkerSid", WORKER), ("WorkerName", "alice@example.com"),
            ("WorkerAttributes", ALICE_CONV_ATTRIBUTES),
        ]
    return params


def call_params(status):
    """The standard Voice request parameters of the call from +15555550123 to +15555550100."""
    sf = [("City", "SAN FRANCISCO"), ("Country", "US"), ("State", "CA"), ("Zip", "94105")]
    oak = [("City", "OAKLAND"), ("Country", "US"), ("State", "CA"), ("Zip", "")]
    return [
        ("AccountSid", ACCOUNT), ("ApiVersion", "2010-04-01"), ("CallSid", CALL), ("CallStatus", status),
        ("Called", "+15555550100"), *[("Called" + k, v) for k, v in sf],
        ("Caller", "+15555550123"), *[("Caller" + k, v) for k, v in oak],
        ("Direction", "inbound"),
        ("From", "+15555550123"), *[("From" + k, v) for k, v in oak],
        ("To", "+15555550100"), *[("To" + k, v) for k, v in sf],
    ]


def virtual_agent_action(status, provider_data, *extra):
    return [*call_params("in-progress"), ("VirtualAgentProvider", "DialogflowCX"),
            ("VirtualAgentStatus", status), ("VirtualAgentProviderData", compact_json(provider_data)), *extra]


CX_IDS = {"ConversationId": CX_CONVERSATION, "EndUserId": CX_END_USER}


def webhook(name, path, content_type, idempotency_token, description, params):
    return {"name": name, "path": path, "content_type": content_type, "token": idempotency_token,
            "description": description, "params": params}


TASKROUTER = "/twilio/taskrouter/events"
CHAT = "/twilio/chat/events"
CONVERSATIONS = "/twilio/conversations/events"
VA_ACTION = "/twilio/voice/virtual-agent/action"

# The Flex chat handoff and Voice set. These are also listed in the vectors file's
# fixture_signatures.
FLEX_CHAT_AND_VOICE_WEBHOOKS = [
    webhook("taskrouter-task-queue-entered", TASKROUTER, CT_PLAIN, "b26e8caf-37fc-482f-aae1-b8bb1edfa3ae",
            "TaskRouter task-queue.entered: the handed-off chat task entered the Support queue",
            flex_chat_task_event("taskrouter-task-queue-entered", "task-queue.entered",
                                 f"Task {TASK} entered TaskQueue {QUEUE}", 1741946401, 1, "pending", 1)),
    webhook("taskrouter-reservation-created", TASKROUTER, CT_PLAIN, "72f591f8-8243-4158-89c6-8716ee899219",
            "TaskRouter reservation.created: the task was offered to agent alice",
            flex_chat_task_event("taskrouter-reservation-created", "reservation.created",
                                 f"Reservation {RESERVATION} created for Worker {WORKER}", 1741946402, 2,
                                 "reserved", 2, worker_version=7)),
    webhook("taskrouter-reservation-accepted", TASKROUTER, CT_PLAIN, "bea8f6e2-6d8b-4417-ba6a-5545778126ea",
            "TaskRouter reservation.accepted: agent alice accepted the chat; bot must stop answering",
            flex_chat_task_event("taskrouter-reservation-accepted", "reservation.accepted",
                                 f"Reservation {RESERVATION} accepted by Worker {WORKER}", 1741946409, 9,
                                 "assigned", 3, worker_version=8)),
    webhook("taskrouter-reservation-completed", TASKROUTER, CT_PLAIN, "b825aabb-b999-404c-ba8b-e7e66dccf50a",
            "TaskRouter reservation.completed: agent finished the task; bot may resume the conversation",
            flex_chat_task_event("taskrouter-reservation-completed", "reservation.completed",
                                 f"Reservation {RESERVATION} completed", 1741947000, 600, "completed", 6,
                                 reason=("TaskCompletedReason", "Chat completed by agent"), worker_version=9)),
    webhook("taskrouter-task-completed", TASKROUTER, CT_PLAIN, "6e49c702-532e-4abd-8863-4c744b38a4b9",
            "TaskRouter task.completed",
            flex_chat_task_event("taskrouter-task-completed", "task.completed", f"Task {TASK} completed",
                                 1741947000, 600, "completed", 6,
                                 reason=("TaskCompletedReason", "Chat completed by agent"))),
    webhook("taskrouter-task-canceled", TASKROUTER, CT_PLAIN, "a8133a52-11a6-4924-890f-19ca58c58b90",
            "TaskRouter task.canceled: task canceled before an agent accepted (e.g. customer left)",
            flex_chat_task_event("taskrouter-task-canceled", "task.canceled", f"Task {TASK} canceled",
                                 1741946445, 45, "canceled", 2,
                                 reason=("TaskCanceledReason", "Customer left the chat"))),
    webhook("chat-onMessageSent", CHAT, CT_CHAT, "98f9b77f-ee73-4840-9eaa-e9985523bdf8",
            "Chat post-event onMessageSent: the Flex agent typed a message in the customer's chat channel", [
                ("EventType", "onMessageSent"), ("InstanceSid", CHAT_SERVICE), ("Attributes", "{}"),
                ("DateCreated", "2025-03-14T10:00:12.345Z"), ("Index", "3"), ("From", AGENT_IDENTITY),
                ("MessageSid", sid("IM", "agent-msg-1")), ("AccountSid", ACCOUNT), ("Source", "SDK"),
                ("ChannelSid", CHAT_CHANNEL), ("ClientIdentity", AGENT_IDENTITY), ("RetryCount", "0"),
                ("Body", "Hi Ada, I'm Alice. I'll take it from here \u2014 what's the order number?"),
            ]),
    webhook("chat-onMediaMessageSent", CHAT, CT_CHAT, "59a7a47c-f53a-4292-bac3-fc28bbd67841",
            "Chat post-event onMediaMessageSent: the Flex agent sent an image", [
                ("EventType", "onMediaMessageSent"), ("InstanceSid", CHAT_SERVICE), ("Attributes", "{}"),
                ("DateCreated", "2025-03-14T10:01:02.000Z"), ("Index", "4"), ("From", AGENT_IDENTITY),
                ("MessageSid", sid("IM", "agent-media-1")), ("AccountSid", ACCOUNT), ("Source", "SDK"),
                ("ChannelSid", CHAT_CHANNEL), ("ClientIdentity", AGENT_IDENTITY), ("RetryCount", "0"),
                ("MediaSid", sid("ME", "media-1")), ("MediaContentType", "image/png"),
                ("MediaFilename", "return-label.png"), ("MediaSize", "48213"),
            ]),
    webhook("chat-onChannelUpdated", CHAT, CT_CHAT, "70cf92bd-716f-4ac9-91c9-38dbf3dcc14c",
            "Chat post-event onChannelUpdated: Flex marked the channel INACTIVE when the agent ended the chat", [
                ("EventType", "onChannelUpdated"), ("InstanceSid", CHAT_SERVICE),
                ("Attributes", compact_json({"task_sid": TASK, "from": "Ada Lovelace", "channel_type": "custom",
                                             "status": "INACTIVE", "long_lived": False})),
                ("DateCreated", "2025-03-14T09:59:58.000Z"), ("DateUpdated", "2025-03-14T10:10:00.500Z"),
                ("AccountSid", ACCOUNT), ("Source", "SDK"), ("ChannelSid", CHAT_CHANNEL),
                ("ClientIdentity", AGENT_IDENTITY), ("RetryCount", "0"), ("ChannelType", "private"),
                ("UniqueName", "bot-user-7f3a-1741946398"), ("FriendlyName", "Ada Lovelace - order 1234"),
                ("CreatedBy", "system"),
            ]),
    webhook("conversations-onMessageAdded", CONVERSATIONS, CT_CHAT, "0352ab2c-8b83-4585-9fe7-e51ef6f5985a",
            "Conversations post-action onMessageAdded (same field set as a recorded real request)", [
                ("EventType", "onMessageAdded"), ("Attributes", "{}"), ("DateCreated", "2025-03-14T11:00:05.120Z"),
                ("Index", "12"), ("MessageSid", sid("IM", "conv-msg-12")), ("AccountSid", ACCOUNT),
                ("Source", "SDK"), ("ClientIdentity", AGENT_IDENTITY), ("RetryCount", "0"),
                ("Author", AGENT_IDENTITY), ("ParticipantSid", CONVERSATION_PARTICIPANT),
                ("Body", "Thanks for waiting, checking now."), ("ConversationSid", CONVERSATION),
            ]),
    webhook("voice-incoming-call", "/twilio/voice/incoming", CT_PLAIN, "cc0f44d3-9ec3-47dc-8224-8c0e83aa3f51",
            "Voice incoming-call webhook (phone number Voice URL); respond with TwiML",
            call_params("ringing")),
    webhook("voice-gather-speech", "/twilio/voice/gather", CT_PLAIN, "afef3b2c-5ed2-4a64-803e-83123e31fc53",
            'Voice <Gather input="speech"> action request',
            [*call_params("in-progress"), ("SpeechResult", "I want to talk to a human about my order."),
             ("Confidence", "0.9235")]),
    webhook("virtualagent-action-live-agent-handoff", VA_ACTION, CT_PLAIN, "8b5e99bb-d896-4c93-935e-963f246810ae",
            "<Connect action> request after the virtual agent asked for a live agent",
            virtual_agent_action("live-agent-handoff", {
                **CX_IDS, "AgentHandoffParameters": {"reason": "billing dispute", "order_number": "1234"}})),
    webhook("virtualagent-action-paused", VA_ACTION, CT_PLAIN, "1dc71357-f19d-47c0-a1e8-37c8609fafa8",
            "<Connect action> request after the virtual agent paused the session (resume later with resumeEndUserId)",
            virtual_agent_action("paused", {**CX_IDS, "PauseParameters": {"resume_after": "identity_check"}})),
    webhook("virtualagent-action-completed", VA_ACTION, CT_PLAIN, "fbee360d-9710-48a0-aaaf-2ebae03380cb",
            "<Connect action> request after the virtual agent ended the conversation normally",
            virtual_agent_action("completed", CX_IDS)),
    webhook("virtualagent-action-failed", VA_ACTION, CT_PLAIN, "35fee0da-c566-4297-a836-9a0cb2fddc9f",
            "<Connect action> request after a provider error (32601)",
            virtual_agent_action("failed", {}, ("VirtualAgentErrorCode", "32601"),
                                 ("VirtualAgentError", "Virtual Agent: Provider Error"),
                                 ("VirtualAgentProviderError",
                                  "INVALID_ARGUMENT: unknown config property welcomeIntnt"))),
    webhook("virtualagent-status-callback-intent", "/twilio/voice/virtual-agent/status", CT_PLAIN,
            "dc30ba6f-a5b6-458d-b737-6c0e4065cd48",
            "<VirtualAgent statusCallback> per-turn intent event (StatusCallbackEvent value and Timestamp format "
            "UNCONFIRMED)", [
                ("AccountSid", ACCOUNT), ("CallSid", CALL), ("StatusCallbackEvent", "intent"),
                ("Timestamp", "Fri, 14 Mar 2025 10:00:07 +0000"), ("VirtualAgentProvider", "DialogflowCX"),
                ("VirtualAgentProviderData", compact_json({
                    **CX_IDS, "LanguageCode": "en",
                    "IntentId": f"{CX_AGENT}/intents/6a3d7e21-9c55-4b8e-a1f0-2c4d8e7b9f13",
                    "IntentDisplayName": "order.status", "Confidence": 0.87, "ResolvedInput": "where is my order",
                    "ReplyText": "Sure, what's your order number?", "SentimentAnalysisScore": 0.1,
                    "Parameters": {"order_number": None}})),
            ]),
]

# Flex Conversations handoff and the SMS / WhatsApp channel.
CONVERSATIONS_WEBHOOKS = [
    webhook("conversations-onMessageAdded-sms", CONVERSATIONS, CT_CHAT, "74017e97-e2c9-4be2-8f03-425b78f68359",
            "Conversations onMessageAdded (scoped webhook): an SMS customer writes to the bot's number", [
                ("MessagingServiceSid", MESSAGING_SERVICE), ("EventType", "onMessageAdded"), ("Attributes", "{}"),
                ("DateCreated", "2026-11-30T09:15:02.118Z"), ("Index", "0"), ("ChatServiceSid", FLEX_CHAT_SERVICE),
                ("MessageSid", sid("IM", "sms-1")), ("AccountSid", ACCOUNT), ("Source", "SMS"), ("RetryCount", "0"),
                ("WebhookSid", WEBHOOK_BOT), ("Author", CUSTOMER_PHONE), ("ParticipantSid", CUSTOMER_SMS),
                ("Body", "Hi, my laptop won't start"), ("ConversationSid", CONV_SMS), ("WebhookType", "webhook"),
            ]),
    webhook("conversations-onMessageAdded-whatsapp", CONVERSATIONS, CT_CHAT, "a70887bd-1c1c-4fb7-86d7-2c333bb8482c",
            "Conversations onMessageAdded: a WhatsApp customer writes (Source WHATSAPP is unconfirmed; accept any)", [
                ("MessagingServiceSid", MESSAGING_SERVICE), ("EventType", "onMessageAdded"), ("Attributes", "{}"),
                ("DateCreated", "2026-11-30T09:20:40.002Z"), ("Index", "3"), ("ChatServiceSid", FLEX_CHAT_SERVICE),
                ("MessageSid", sid("IM", "wa-1")), ("AccountSid", ACCOUNT), ("Source", "WHATSAPP"),
                ("RetryCount", "0"), ("WebhookSid", WEBHOOK_BOT_WA), ("Author", "whatsapp:+447700900123"),
                ("ParticipantSid", CUSTOMER_WA), ("Body", "2"), ("ConversationSid", CONV_WHATSAPP),
                ("WebhookType", "webhook"),
                ("Media", compact_json([{"Sid": sid("ME", "wa-photo"), "Filename": "screen.jpg",
                                         "ContentType": "image/jpeg", "Size": 48211}])),
            ]),
    webhook("conversations-onMessageAdd-pre-agent-command", CONVERSATIONS, CT_CHAT,
            "8410b897-40b8-4fd9-86a3-827986a98a7f",
            "Conversations pre-event onMessageAdd: the agent types an agent command (a non-2xx answer blocks it)", [
                ("EventType", "onMessageAdd"), ("Attributes", "{}"), ("ChatServiceSid", FLEX_CHAT_SERVICE),
                ("AccountSid", ACCOUNT), ("Source", "SDK"), ("ClientIdentity", AGENT_IDENTITY), ("RetryCount", "0"),
                ("Author", AGENT_IDENTITY), ("ParticipantSid", AGENT_PARTICIPANT), ("Body", "/ask_issue_frequency"),
                ("ConversationSid", CONV_SMS),
            ]),
    webhook("conversations-onMessageAdded-agent", CONVERSATIONS, CT_CHAT, "ff9e936d-6637-4d03-8f75-a85ba2ac9b08",
            "Conversations onMessageAdded: the Flex agent's message in the customer's conversation", [
                ("MessagingServiceSid", MESSAGING_SERVICE), ("EventType", "onMessageAdded"), ("Attributes", "{}"),
                ("DateCreated", "2026-11-30T09:18:11.540Z"), ("Index", "9"), ("ChatServiceSid", FLEX_CHAT_SERVICE),
                ("MessageSid", sid("IM", "agent-1")), ("AccountSid", ACCOUNT), ("Source", "SDK"),
                ("ClientIdentity", AGENT_IDENTITY), ("RetryCount", "0"), ("WebhookSid", WEBHOOK_BOT),
                ("Author", AGENT_IDENTITY), ("ParticipantSid", AGENT_PARTICIPANT),
                ("Body", "Hi Ana, I'm Alice. Let's fix this."), ("ConversationSid", CONV_SMS),
                ("WebhookType", "webhook"),
            ]),
    webhook("conversations-onConversationStateUpdated", CONVERSATIONS, CT_CHAT,
            "d6b025bd-1fdf-460d-89a6-11864b64b091",
            "Conversations onConversationStateUpdated: the conversation was closed by its timer", [
                ("MessagingServiceSid", MESSAGING_SERVICE), ("EventType", "onConversationStateUpdated"),
                ("ChatServiceSid", FLEX_CHAT_SERVICE), ("StateUpdated", "2026-12-01T09:15:02.000Z"),
                ("StateFrom", "active"), ("StateTo", "closed"), ("Reason", "TIMER"), ("AccountSid", ACCOUNT),
                ("Source", "API"), ("RetryCount", "0"), ("WebhookSid", WEBHOOK_BOT), ("ConversationSid", CONV_SMS),
                ("WebhookType", "webhook"),
            ]),
    webhook("conversations-onDeliveryUpdated-63016", CONVERSATIONS, CT_CHAT, "26d45057-83cc-4019-82ba-ee1bcd475001",
            "Conversations onDeliveryUpdated: a WhatsApp reply outside the 24-hour window failed (63016)", [
                ("EventType", "onDeliveryUpdated"), ("AccountSid", ACCOUNT), ("ChatServiceSid", FLEX_CHAT_SERVICE),
                ("ConversationSid", CONV_WHATSAPP), ("MessageSid", sid("IM", "wa-bot-late")),
                ("DeliveryReceiptSid", sid("DY", "wa-bot-late")), ("ChannelMessageSid", sid("SM", "wa-bot-late")),
                ("ParticipantSid", CUSTOMER_WA), ("Status", "undelivered"), ("ErrorCode", "63016"),
                ("DateCreated", "2026-12-02T10:00:00.000Z"), ("DateUpdated", "2026-12-02T10:00:01.250Z"),
                ("Source", "API"), ("RetryCount", "0"),
            ]),
    webhook("conversations-taskrouter-task-queue-entered", TASKROUTER, CT_PLAIN,
            "51742946-7c49-4858-8b7d-cc27918f2544",
            "TaskRouter task-queue.entered for a Flex Conversations (SMS) task made by the Interactions API",
            conversations_task_event("conversations-taskrouter-task-queue-entered", "task-queue.entered",
                                     f"Task {TASK_CONV} entered TaskQueue {QUEUE_SUPPORT}", 1764494105, 35,
                                     "pending")),
    webhook("conversations-taskrouter-reservation-accepted", TASKROUTER, CT_PLAIN,
            "df46411b-3976-4fc6-8d33-cd8ba0a8e8a0",
            "TaskRouter reservation.accepted for the Conversations task: Alice accepted",
            conversations_task_event("conversations-taskrouter-reservation-accepted", "reservation.accepted",
                                     f"Reservation {RESERVATION_CONV} accepted by {WORKER}", 1764494117, 47,
                                     "assigned", reservation=True)),
    webhook("conversations-taskrouter-task-wrapup", TASKROUTER, CT_PLAIN, "dcd08858-acdd-4695-87ac-45e94b16b858",
            "TaskRouter task.wrapup for the Conversations task: the agent ended the chat",
            conversations_task_event("conversations-taskrouter-task-wrapup", "task.wrapup",
                                     f"Task {TASK_CONV} wrapping up", 1764494405, 335, "wrapping")),
    webhook("conversations-taskrouter-task-completed", TASKROUTER, CT_PLAIN, "59ccdd75-0567-46e5-824e-6cb81e7bf27f",
            "TaskRouter task.completed for the Conversations task: wrap-up done",
            conversations_task_event("conversations-taskrouter-task-completed", "task.completed",
                                     f"Task {TASK_CONV} completed", 1764494435, 365, "completed",
                                     reason=("TaskCompletedReason", "Task completed"))),
]

WEBHOOKS = FLEX_CHAT_AND_VOICE_WEBHOOKS + CONVERSATIONS_WEBHOOKS

# --------------------------------------------------------------------------------------------
# Signature vectors: inputs (the outputs are computed by twilio-python)
# --------------------------------------------------------------------------------------------

UPSTREAM_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
UPSTREAM_PARAMS = [("CallSid", "CA1234567890ABCDE"), ("Digits", "1234"), ("From", "+14158675309"),
                   ("To", "+18005551212"), ("Caller", "+14158675309")]
SIGNED = None  # in a validate check: send the vector's own expected_signature

VECTORS = [
    dict(name="upstream-basic", auth_token="12345", url=UPSTREAM_URL, params=UPSTREAM_PARAMS,
         note="Same inputs as twilio-python tests/unit/test_request_validator.py; library output matches the "
              "value asserted there.",
         checks=[(UPSTREAM_URL, SIGNED), ("https://mycompany.com:1234/myapp.php?foo=1&bar=2", SIGNED),
                 ("https://mycompany.com:443/myapp.php?foo=1&bar=2", SIGNED)]),
    dict(name="upstream-duplicate-values", auth_token="12345", url=UPSTREAM_URL,
         params=[("Sid", "CA123"), ("SidAccount", "AC123"), ("Digits", "5678"), ("Digits", "1234")],
         note="Repeated parameter: values of one name are de-duplicated and sorted, then each appended as "
              "name+value. 'Sid' sorts before 'SidAccount'."),
    dict(name="upstream-port-443-signed", auth_token="12345", url="https://mycompany.com:443/myapp.php?foo=1&bar=2",
         params=UPSTREAM_PARAMS,
         note="Signature as computed over the URL WITH explicit :443. Validators that try both with/without port "
              "accept it for the port-less URL.",
         checks=[(UPSTREAM_URL, SIGNED)]),
    dict(name="upstream-port-80-signed", auth_token="12345", url="http://mycompany.com:80/myapp.php?foo=1&bar=2",
         params=UPSTREAM_PARAMS, note="http variant with explicit :80.",
         checks=[("http://mycompany.com/myapp.php?foo=1&bar=2", SIGNED)]),
    dict(name="upstream-http-no-port", auth_token="12345", url="http://mycompany.com/myapp.php?foo=1&bar=2",
         params=UPSTREAM_PARAMS,
         note="http URL without port; a request seen at :1234 still validates because the validator also tries "
              "the URL with the port removed.",
         checks=[("http://mycompany.com:1234/myapp.php?foo=1&bar=2", SIGNED)]),
    dict(name="upstream-bodySHA256-json", auth_token="12345", url=UPSTREAM_URL, params=[],
         raw_body='{"property": "value", "boolean": true}',
         note="JSON-body webhooks: Twilio adds bodySHA256=<lowercase hex SHA-256 of the raw body> to the URL query; "
              "the signature covers only the full URL (no params). Validate both the signature and the body hash.",
         body_checks=['{"property": "value", "boolean": true}', '{"property": "value", "boolean": true} ']),
    dict(name="project-get-query-only", auth_token=AUTH_TOKEN, method="GET",
         url=f"{BASE_URL}/twilio/voice/incoming?CallSid={CALL}&From=%2B15555550123", params=[],
         note="GET callback: parameters travel in the query string, which is part of the URL exactly as sent "
              "(still percent-encoded); nothing is appended."),
    dict(name="project-empty-value", auth_token=AUTH_TOKEN, url=f"{BASE_URL}/twilio/voice/incoming",
         params=[("CallSid", CALL), ("CallerZip", ""), ("From", "+15555550123")],
         note="A parameter with an empty value still contributes its name (CallerZip + '')."),
    dict(name="project-case-sensitive-sort", auth_token=AUTH_TOKEN, url=f"{BASE_URL}{CHAT}",
         params=[("body", "x"), ("Body", "y"), ("B", "z"), ("a", "w")],
         note="Names sort by code point (case-sensitive): 'B' < 'Body' < 'a' < 'body'. Swift: compare "
              "Array(name.unicodeScalars) / utf8 bytes, not localized compare."),
    dict(name="project-unicode-and-reserved-chars", auth_token=AUTH_TOKEN, url=f"{BASE_URL}{CHAT}",
         params=[("Body", "\u0410\u043b\u043b\u043e! 1+1=2 & caf\u00e9 \u2014 \U0001f600"),
                 ("EventType", "onMessageSent")],
         note="Values are the DECODED form values (not the percent-encoded body); the string to sign is UTF-8 "
              "encoded before HMAC."),
    dict(name="project-local-emulator-port", auth_token=AUTH_TOKEN, url=f"http://127.0.0.1:8080{TASKROUTER}",
         params=[("EventType", "task.created"), ("TaskSid", TASK)],
         note="Non-default port is part of the signed URL when Twilio (or the emulator) posts to it.",
         checks=[(f"http://127.0.0.1:8080{TASKROUTER}", SIGNED), (f"http://127.0.0.1{TASKROUTER}", SIGNED)]),
    dict(name="project-tampered-param", auth_token=AUTH_TOKEN, url=f"{BASE_URL}{TASKROUTER}",
         params=[("EventType", "reservation.accepted"), ("TaskSid", TASK)],
         note="Negative check: changing any value invalidates the signature.",
         checks=[(f"{BASE_URL}{TASKROUTER}", "AAAAAAAAAAAAAAAAAAAAAAAAAAA=")]),
    dict(name="project-sharedkey-hmac-sha256", auth_token="example-shared-key-secret", url=f"{BASE_URL}{CHAT}",
         params=[("EventType", "onMessageSent"), ("Body", "hi")],
         note="Newer optional scheme seen only in twilio 9.13.0 code: when the request carries "
              "X-Twilio-Webhooks-Signature-Settings: key=<id>,algorithm=HMAC_SHA256 the same string is signed with "
              "HMAC-SHA256 using the SharedKey secret. Not confirmed in Twilio docs here.",
         settings_header="key=webhooks_sharedkey_example,algorithm=HMAC_SHA256"),
]

# --------------------------------------------------------------------------------------------
# REST calls (bot -> Twilio): inputs and the responses the stub returns
# --------------------------------------------------------------------------------------------

# The platform part of twilio-python's User-Agent, pinned so that the output does not depend on
# the machine that runs this script (the files were first captured on Linux x86_64, Python 3.11.7).
RECORDED_PLATFORM = types.SimpleNamespace(system=lambda: "Linux", machine=lambda: "x86_64",
                                          python_version=lambda: "3.11.7")

FLEX_CHANNEL_RESPONSE = {
    "flex_flow_sid": FLEX_FLOW, "account_sid": ACCOUNT, "sid": CHAT_CHANNEL, "task_sid": TASK,
    "user_sid": CHAT_USER, "date_created": "2025-03-14T09:59:58Z", "date_updated": "2025-03-14T09:59:58Z",
    "url": f"https://flex-api.twilio.com/v1/Channels/{CHAT_CHANNEL}",
}
BOT_MESSAGE = sid("IM", "bot-msg-2")
BOT_MESSAGE_ATTRIBUTES = compact_json({"bot": True, "kind": "handoff_notice"})
CHAT_MESSAGE_RESPONSE = {
    "sid": BOT_MESSAGE, "account_sid": ACCOUNT, "service_sid": CHAT_SERVICE, "to": CHAT_CHANNEL,
    "channel_sid": CHAT_CHANNEL, "attributes": BOT_MESSAGE_ATTRIBUTES, "date_created": "2025-03-14T09:59:59Z",
    "date_updated": "2025-03-14T09:59:59Z", "last_updated_by": None, "was_edited": False, "from": "bot",
    "body": "Connecting you with a human agent now. Please hold on.", "index": 2, "type": "text", "media": None,
    "url": f"https://chat.twilio.com/v2/Services/{CHAT_SERVICE}/Channels/{CHAT_CHANNEL}/Messages/{BOT_MESSAGE}",
}
INTERACTION_RESPONSE = {
    "sid": INTERACTION,
    "channel": {"type": "sms", "sid": INTERACTION_CHANNEL},
    "routing": {
        "reservation": None,
        "properties": {
            "date_updated": 1764494105, "task_queue_entered_date": 1764494105, "workflow_name": "Assign to Anyone",
            "age_in_queue": 0, "task_channel_unique_name": "chat", "assignment_status": "pending",
            "queue_name": "Support", "assignmentCounter": 0, "priority": 0, "sid": TASK_CONV,
            "workflow_sid": WORKFLOW, "routing_target": None, "reason": "", "attributes": CONV_TASK_ATTRIBUTES,
            "task_channel_sid": TASK_CHANNEL, "age": 0, "workspace_sid": WORKSPACE, "account_sid": ACCOUNT,
            "timeout": 86400, "date_created": 1764494105, "addons": "{}", "queue_sid": QUEUE_SUPPORT,
        },
    },
    "interaction_context_sid": None,
    "webhook_ttid": f"flex_interactionwebhook_{INTERACTION[2:28]}",
    "url": f"https://flex-api.twilio.com/v1/Interactions/{INTERACTION}",
    "links": {"channels": f"https://flex-api.twilio.com/v1/Interactions/{INTERACTION}/Channels"},
}
ERROR_20404_RESPONSE = {
    "code": 20404, "message": f"The requested resource /v1/Channels/{MISSING_CHANNEL} was not found",
    "more_info": "https://www.twilio.com/docs/errors/20404", "status": 404,
}

# Header order of the two 2025 files: Authorization first, then a fixed order (not the order of
# twilio-python's header dict). header_order None = the library's own dict order, Authorization last.
FIXED_HEADER_ORDER = ["Authorization", "Content-Type", "Accept", "Accept-Charset", "User-Agent",
                      "X-Twilio-Client", "X-Twilio-Webhook-Enabled"]

REST_CALLS = [
    dict(name="flex-channels-create", status=201, response=FLEX_CHANNEL_RESPONSE, header_order=FIXED_HEADER_ORDER,
         call=lambda client: client.flex_api.v1.channel.create(
             flex_flow_sid=FLEX_FLOW, identity="bot-user-7f3a", chat_user_friendly_name="Ada Lovelace",
             chat_friendly_name="Ada Lovelace - order 1234", chat_unique_name="bot-user-7f3a-1741946398",
             pre_engagement_data=compact_json({"friendlyName": "Ada Lovelace", "question": "Where is my order?"}),
             task_attributes=compact_json({"bot_session_id": "sess-0001",
                                           "handoff_reason": "customer asked for a human"}),
             long_lived=False),
         expect=lambda result: result.sid == CHAT_CHANNEL and result.task_sid == TASK),
    dict(name="chat-messages-create", status=201, response=CHAT_MESSAGE_RESPONSE, header_order=FIXED_HEADER_ORDER,
         # The recorded body lists Body before Attributes; the library's data dict has Attributes first.
         body_order=["From", "Body", "Attributes"],
         call=lambda client: client.chat.v2.services(CHAT_SERVICE).channels(CHAT_CHANNEL).messages.create(
             from_="bot", body="Connecting you with a human agent now. Please hold on.",
             attributes=BOT_MESSAGE_ATTRIBUTES, x_twilio_webhook_enabled="false"),
         expect=lambda result: result.sid == BOT_MESSAGE),
    dict(name="flex-interactions-create", status=201, response=INTERACTION_RESPONSE, header_order=None,
         trailing_newline=True,  # this response file (only) was first published with a final newline
         call=lambda client: client.flex_api.v1.interaction.create(
             channel={"type": "sms", "initiated_by": "customer", "properties": {"media_channel_sid": CONV_SMS}},
             routing={"properties": {
                 "workspace_sid": WORKSPACE, "workflow_sid": WORKFLOW, "task_channel_unique_name": "chat",
                 "attributes": {"from": CUSTOMER_PHONE, "customerName": "Ana", "customerAddress": CUSTOMER_PHONE,
                                "language": "en", "issue": "software",
                                "conversationSummary": "Ana reports a software issue.",
                                "handoffReason": "asked for an agent"}}}),
         expect=lambda result: result.sid == INTERACTION),
]


# --------------------------------------------------------------------------------------------
# TwiML (bot -> Twilio), made by twilio.twiml.voice_response.VoiceResponse
# --------------------------------------------------------------------------------------------

def twiml_connect_virtual_agent() -> str:
    response = VoiceResponse()
    connect = response.connect(action=f"{BASE_URL}{VA_ACTION}", method="POST")
    agent = connect.virtual_agent(connector_name="acme-dialogflow-cx",
                                  status_callback=f"{BASE_URL}/twilio/voice/virtual-agent/status",
                                  status_callback_method="POST")
    agent.parameter(name="customer_name", value="Ada Lovelace")
    agent.parameter(name="bot_session_id", value="sess-0001")
    agent.config(name="language", value="en-us")
    agent.config(name="welcomeIntent", value="greeting_event")
    return str(response)


def twiml_connect_virtual_agent_resume() -> str:
    response = VoiceResponse()
    connect = response.connect(action=f"{BASE_URL}{VA_ACTION}")
    agent = connect.virtual_agent(connector_name="acme-dialogflow-cx",
                                  status_callback=f"{BASE_URL}/twilio/voice/virtual-agent/status")
    agent.config(name="resumeEndUserId", value=CX_END_USER)
    agent.config(name="resumeEventName", value="identity_verified")
    return str(response)


def twiml_gather_speech() -> str:
    response = VoiceResponse()
    gather = response.gather(action=f"{BASE_URL}/twilio/voice/gather", action_on_empty_result=True,
                             input="speech", language="en-US", method="POST", speech_timeout="auto")
    gather.say("Hi, this is the Acme assistant. How can I help?")
    response.redirect(f"{BASE_URL}/twilio/voice/incoming", method="POST")
    return str(response)


TWIML = {
    "twiml-connect-virtualagent.xml": twiml_connect_virtual_agent,
    "twiml-connect-virtualagent-resume.xml": twiml_connect_virtual_agent_resume,
    "twiml-gather-speech.xml": twiml_gather_speech,
}


# --------------------------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------------------------

class FormParams:
    """Ordered (name, value) pairs, with the getall() lookup RequestValidator uses for repeated names."""

    def __init__(self, pairs):
        self.pairs = list(pairs)

    def __len__(self):
        return len(self.pairs)

    def __iter__(self):
        return iter(dict.fromkeys(name for name, _ in self.pairs))

    def getall(self, name):
        return [value for n, value in self.pairs if n == name]


class _RecordingHmac:
    """Stands in for the hmac module inside twilio.request_validator to record the signed string."""

    def __init__(self):
        self.messages = []

    def new(self, key, msg, digestmod):
        self.messages.append(msg)
        return hmac.new(key, msg, digestmod)


def sign(token, url, params, algorithm=None):
    """(string_to_sign, signature) as RequestValidator.compute_signature makes them."""
    recorder = _RecordingHmac()
    saved = twilio_request_validator.hmac
    twilio_request_validator.hmac = recorder
    try:
        signature = RequestValidator(token).compute_signature(url, params, algorithm)
    finally:
        twilio_request_validator.hmac = saved
    assert len(recorder.messages) == 1
    return recorder.messages[0].decode("utf-8"), signature


def dump_json(value, ensure_ascii, trailing_newline) -> bytes:
    text = json.dumps(value, indent=2, ensure_ascii=ensure_ascii)
    return (text + ("\n" if trailing_newline else "")).encode("utf-8")


def http_message(request_line, headers, body) -> bytes:
    """An HTTP/1.1 request as the fixtures store it: LF line ends, no newline after the body."""
    lines = [request_line, *(f"{name}: {value}" for name, value in headers), "", body]
    return "\n".join(lines).encode("utf-8")


def parse_http(data: bytes):
    head, body = data.decode("utf-8").split("\n\n", 1)
    request_line, *header_lines = head.split("\n")
    headers = dict(line.split(": ", 1) for line in header_lines)
    return request_line, headers, body


def make_webhooks(files):
    index = []
    for hook in WEBHOOKS:
        file = hook["name"] + ".http"
        url = BASE_URL + hook["path"]
        params = FormParams(hook["params"])
        _, signature = sign(AUTH_TOKEN, url, params)
        assert RequestValidator(AUTH_TOKEN).validate(url, params, signature), file
        body = urlencode(hook["params"])
        data = http_message(f"POST {hook['path']} HTTP/1.1", [
            ("Host", HOST), ("User-Agent", "TwilioProxy/1.1"), ("Accept", "*/*"),
            ("Content-Type", hook["content_type"]), ("I-Twilio-Idempotency-Token", hook["token"]),
            ("X-Twilio-Signature", signature), ("Content-Length", len(body.encode("utf-8"))),
        ], body)
        # Read the file back as a server would and validate it again.
        request_line, headers, sent_body = parse_http(data)
        sent_params = FormParams(parse_qsl(sent_body, keep_blank_values=True))
        sent_url = "https://" + headers["Host"] + request_line.split(" ")[1]
        assert sent_params.pairs == hook["params"], file
        assert RequestValidator(AUTH_TOKEN).validate(sent_url, sent_params, headers["X-Twilio-Signature"]), file
        files[f"{FIXTURE_DIR}/{file}"] = data
        entry = {
            "file": file, "description": hook["description"], "method": "POST", "url": url, "path": hook["path"],
            "content_type": hook["content_type"], "auth_token": AUTH_TOKEN,
            "params": [list(pair) for pair in hook["params"]], "x_twilio_signature": signature,
            "content_length": len(body.encode("utf-8")),
        }
        if hook in CONVERSATIONS_WEBHOOKS:  # the later set lists params after the signature
            entry["params"] = entry.pop("params")
        index.append(entry)
    files[f"{FIXTURE_DIR}/index.json"] = dump_json(index, ensure_ascii=True, trailing_newline=True)
    return index


def make_vectors(files, index):
    vectors = []
    for spec in VECTORS:
        token, url, params = spec["auth_token"], spec["url"], FormParams(spec["params"])
        algorithm = get_signature_algorithm(spec.get("settings_header"))
        validator = RequestValidator(token)
        vector = {"name": spec["name"], "algorithm": algorithm, "auth_token": token,
                  "method": spec.get("method", "POST")}
        if "raw_body" in spec:
            body_hash = validator.compute_hash(spec["raw_body"])
            url = f"{url}&bodySHA256={body_hash}"
            vector.update(url=url, params=[], raw_body=spec["raw_body"], body_sha256_hex=body_hash)
        else:
            vector.update(url=url, params=[list(pair) for pair in spec["params"]])
        string_to_sign, signature = sign(token, url, params, algorithm)
        vector.update(string_to_sign=string_to_sign, expected_signature=signature, note=spec["note"])
        if "checks" in spec:
            vector["validate_checks"] = [
                {"url_seen_by_validator": seen_url, "signature_header": header or signature,
                 "library_validate_result": validator.validate(seen_url, params, header or signature, algorithm)}
                for seen_url, header in spec["checks"]
            ]
        if "body_checks" in spec:
            vector["validate_checks"] = [
                {"raw_body_seen": body, "library_validate_result": validator.validate(url, body, signature)}
                for body in spec["body_checks"]
            ]
        if "settings_header" in spec:
            vector["header_x_twilio_webhooks_signature_settings"] = spec["settings_header"]
        vectors.append(vector)
    chat_and_voice = {hook["name"] + ".http" for hook in FLEX_CHAT_AND_VOICE_WEBHOOKS}
    document = {
        "generated_with": f"pip package twilio=={twilio.__version__}, "
                          "twilio.request_validator.RequestValidator (compute_signature / validate)",
        "string_to_sign_rule": "url + concat(for name in sorted(unique names): for value in sorted(unique values "
                               "of name): name + value)",
        "vectors": vectors,
        # Paths as first published (relative to the old shared folder); here the files are in twilio/.
        "fixture_signatures": [
            {"file": f"fixtures/twilio/{entry['file']}", "url": entry["url"], "auth_token": entry["auth_token"],
             "x_twilio_signature": entry["x_twilio_signature"]}
            for entry in index if entry["file"] in chat_and_voice
        ],
    }
    files[VECTORS_FILE] = dump_json(document, ensure_ascii=False, trailing_newline=False)


class RecordingHttpClient(HttpClient):
    """An HttpClient that records what twilio.rest.Client sends and answers with a canned response."""

    def __init__(self, status, body):
        super().__init__(logger=None, is_async=False)
        self.status, self.body, self.requests = status, body, []

    def request(self, method, uri, params=None, data=None, headers=None, auth=None, timeout=None,
                allow_redirects=False):
        self.requests.append(dict(method=method, url=uri, params=params, data=dict(data or {}),
                                  headers=dict(headers or {}), auth=auth))
        return Response(self.status, self.body)


def rest_client(http):
    # A non-empty environment so that TWILIO_EDGE / TWILIO_REGION of the caller's os.environ
    # (the library's fallback for an empty mapping) cannot change the hostnames.
    return Client(ACCOUNT, AUTH_TOKEN, http_client=http, environment={"TWILIO_FIXTURES": "1"})


def make_rest_examples(files):
    saved_platform = twilio_client_base.platform
    twilio_client_base.platform = RECORDED_PLATFORM
    try:
        for spec in REST_CALLS:
            response_text = json.dumps(spec["response"], indent=2)
            http = RecordingHttpClient(spec["status"], response_text)
            client = rest_client(http)
            result = spec["call"](client)
            assert spec["expect"](result), spec["name"]
            (sent,) = http.requests
            assert not sent["params"], spec["name"]
            split = urlsplit(sent["url"])
            user, password = sent["auth"]
            headers = dict(sent["headers"])
            headers["Authorization"] = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
            order = spec["header_order"]
            if order is None:
                order = list(headers)
            else:
                order = [name for name in order if name in headers]
                assert set(order) == set(headers), (spec["name"], sorted(headers))
            fields = spec.get("body_order") or list(sent["data"])
            assert set(fields) == set(sent["data"]), (spec["name"], sorted(sent["data"]))
            body = urlencode([(name, sent["data"][name]) for name in fields])
            files[f"{FIXTURE_DIR}/{spec['name']}.request.http"] = http_message(
                f"{sent['method']} {split.path} HTTP/1.1",
                [("Host", split.netloc), *((name, headers[name]) for name in order),
                 ("Content-Length", len(body.encode("utf-8")))],
                body)
            files[f"{FIXTURE_DIR}/{spec['name']}.response.json"] = dump_json(
                spec["response"], ensure_ascii=True, trailing_newline=spec.get("trailing_newline", False))

        # The standard error body; check that the library reads it as a 20404.
        http = RecordingHttpClient(404, json.dumps(ERROR_20404_RESPONSE, indent=2))
        client = rest_client(http)
        try:
            client.flex_api.v1.channel(MISSING_CHANNEL).fetch()
            raise AssertionError("error-20404: the library accepted a 404")
        except TwilioRestException as error:
            assert error.status == 404 and error.code == 20404, error
        files[f"{FIXTURE_DIR}/error-20404.response.json"] = dump_json(
            ERROR_20404_RESPONSE, ensure_ascii=True, trailing_newline=False)
    finally:
        twilio_client_base.platform = saved_platform


def generate() -> dict[str, bytes]:
    """Every generated file, keyed by its path relative to the output folder."""
    if twilio.__version__ != TWILIO_VERSION:
        sys.exit(f"twilio_fixtures: needs twilio=={TWILIO_VERSION}, found {twilio.__version__} "
                 "(run through scripts/twilio-fixtures)")
    files: dict[str, bytes] = {}
    index = make_webhooks(files)
    make_vectors(files, index)
    make_rest_examples(files)
    for name, build in TWIML.items():
        files[f"{FIXTURE_DIR}/{name}"] = build().encode("utf-8")
    return dict(sorted(files.items()))


def write(files: dict[str, bytes], out: Path) -> None:
    for relative, data in files.items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)


def extra_files(files: dict[str, bytes], out: Path) -> list[str]:
    folder = out / FIXTURE_DIR
    if not folder.is_dir():
        return []
    return sorted(f"{FIXTURE_DIR}/{p.name}" for p in folder.iterdir()
                  if p.name not in HAND_WRITTEN and f"{FIXTURE_DIR}/{p.name}" not in files)


def check(files: dict[str, bytes], out: Path) -> int:
    with tempfile.TemporaryDirectory(prefix="twilio-fixtures-") as temp:
        write(files, Path(temp))
        problems = []
        for relative, data in files.items():
            committed = out / relative
            fresh = (Path(temp) / relative).read_bytes()
            if not committed.exists():
                problems.append(f"missing:   {relative}")
                continue
            old = committed.read_bytes()
            if old == fresh:
                continue
            problems.append(f"differs:   {relative} ({len(old)} bytes committed, {len(fresh)} generated)")
            at = next((i for i, (a, b) in enumerate(zip(old, fresh)) if a != b), min(len(old), len(fresh)))
            problems.append(f"    first difference at byte {at}:")
            problems.append(f"      committed {old[max(0, at - 30):at + 30]!r}")
            problems.append(f"      generated {fresh[max(0, at - 30):at + 30]!r}")
            diff = list(difflib.unified_diff(
                old.decode("utf-8", "replace").splitlines(), fresh.decode("utf-8", "replace").splitlines(),
                f"committed/{relative}", f"generated/{relative}", lineterm="", n=1))
            if not diff:
                diff = ["    (only line endings or the final newline differ)"]
            problems += ["    " + line[:200] for line in diff[:20]]
            if len(diff) > 20:
                problems.append(f"    ... {len(diff) - 20} more diff lines")
        problems += [f"extra:     {relative} (not made by this script)" for relative in extra_files(files, out)]
    if problems:
        print(f"twilio-fixtures --check: {out} does not match what scripts/twilio-fixtures makes:", file=sys.stderr)
        for line in problems:
            print("  " + line, file=sys.stderr)
        print("Run scripts/twilio-fixtures to regenerate.", file=sys.stderr)
        return 1
    print(f"twilio-fixtures --check: {len(files)} files in {out} match")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="regenerate into a temporary folder and fail if the committed files differ")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="the fixtures folder (default: Tests/Fixtures); files go to OUT/twilio/ and "
                             "OUT/twilio-signature-vectors.json")
    args = parser.parse_args()
    files = generate()
    if args.check:
        return check(files, args.out)
    write(files, args.out)
    for relative in extra_files(files, args.out):
        print(f"twilio-fixtures: note: {args.out / relative} is not made by this script", file=sys.stderr)
    print(f"twilio-fixtures: wrote {len(files)} files under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
