#!/usr/bin/env python3
"""Generates Tests/Fixtures/twiml/cases.json: TwiML written by the official Twilio library.

Run it through `scripts/twiml-cases` (which provides a venv with twilio==9.13.0):

    scripts/twiml-cases            write Tests/Fixtures/twiml/cases.json
    scripts/twiml-cases --check    regenerate in memory; exit 1, listing the differences, if the
                                   committed file differs

Each case is a snippet of Python that builds `response` with twilio-python's own API
(`VoiceResponse().say(...)`, `.gather(...)`, `.enqueue(...).task(...)`,
`.connect(...).virtual_agent(...)` ...). For every case the file holds:

- "name": a stable identifier;
- "python": the snippet, exactly as it was run;
- "xml": what the library writes, `str(response)` (= `response.to_xml()`);
- "tree": the document as a generic element tree, {"name", "attributes", "text"?, "children"},
  read off the ElementTree element the library itself builds (`TwiML.xml()` in
  twilio/twiml/__init__.py), so attribute names are already camelCased, attributes are the
  library's strings (`str(value)`, booleans as "true"/"false"), and the text is the library's
  value (a dict `json.dumps`ed, a falsy value left out). Nothing in the tree is hand-written.

Python 3.11 standard library + twilio only; the output is deterministic.
"""
from __future__ import annotations

import argparse
import difflib
import json
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import twilio
from twilio.twiml import TwiML
from twilio.twiml.voice_response import Enqueue, VoiceResponse

TWILIO_VERSION = "9.13.0"
REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "Tests" / "Fixtures" / "twiml" / "cases.json"

BASE = "https://bot.example.com"
WORKFLOW = "WW0123456789abcdef0123456789abcdef"

# --------------------------------------------------------------------------------------------
# The cases: (name, Python snippet that builds `response`). Made-up data.
# --------------------------------------------------------------------------------------------

CASES: list[tuple[str, str]] = [
    # Response
    ("response-empty", """
        response = VoiceResponse()
    """),
    # Say
    ("say-plain", """
        response = VoiceResponse()
        response.say("Hello from Parley.")
    """),
    ("say-voice", """
        response = VoiceResponse()
        response.say("Hi", voice="Polly.Joanna")
    """),
    ("say-voice-language-loop", """
        response = VoiceResponse()
        response.say("Bonjour", voice="Polly.Celine", language="fr-FR", loop=2)
    """),
    ("say-loop-zero", """
        response = VoiceResponse()
        response.say("Forever", loop=0)
    """),
    ("say-empty-message", """
        response = VoiceResponse()
        response.say("")
    """),
    ("say-whitespace-message", """
        response = VoiceResponse()
        response.say(" ")
    """),
    ("say-escaping-text", """
        response = VoiceResponse()
        response.say("Tom & Jerry <b>\\"quoted\\"</b> 'single' > end ]]> &amp;")
    """),
    ("say-newline-tab-text", """
        response = VoiceResponse()
        response.say("line one\\nline two\\tafter a tab\\n")
    """),
    ("say-leading-trailing-spaces", """
        response = VoiceResponse()
        response.say("  padded  ")
    """),
    ("say-non-ascii", """
        response = VoiceResponse()
        response.say("Café, naïve, Zoë, 日本語, Привет, 5€ 😀🚚")
    """),
    ("say-combining-accent", """
        response = VoiceResponse()
        response.say("Cafe\\u0301 (decomposed) vs Caf\\u00e9")
    """),
    ("say-attribute-escaping", """
        response = VoiceResponse()
        response.say("x", voice="a&b<c>\\"d'e\\nf\\tg\\rh")
    """),
    ("say-attribute-non-ascii", """
        response = VoiceResponse()
        response.say("Grüße", voice="Polly.Vicki", language="de-DE")
    """),
    # Play
    ("play-url", """
        response = VoiceResponse()
        response.play("https://cdn.example.com/hold.mp3")
    """),
    ("play-url-query", """
        response = VoiceResponse()
        response.play("https://cdn.example.com/tone.wav?a=1&b=2", loop=3)
    """),
    ("play-digits", """
        response = VoiceResponse()
        response.play(digits="wwww3")
    """),
    ("play-loop-digits", """
        response = VoiceResponse()
        response.play(loop=1, digits="1234#")
    """),
    # Pause
    ("pause-bare", """
        response = VoiceResponse()
        response.pause()
    """),
    ("pause-length", """
        response = VoiceResponse()
        response.pause(length=3)
    """),
    # Hangup
    ("hangup", """
        response = VoiceResponse()
        response.hangup()
    """),
    # Redirect
    ("redirect-url", """
        response = VoiceResponse()
        response.redirect(f"{BASE}/twilio/voice/incoming")
    """),
    ("redirect-method", """
        response = VoiceResponse()
        response.redirect(f"{BASE}/twilio/voice/incoming", method="POST")
    """),
    ("redirect-query", """
        response = VoiceResponse()
        response.redirect(f"{BASE}/twilio/voice/next?step=2&retry=true", method="GET")
    """),
    # Gather
    ("gather-bare", """
        response = VoiceResponse()
        response.gather()
    """),
    ("gather-speech", """
        response = VoiceResponse()
        gather = response.gather(action=f"{BASE}/twilio/voice/gather", action_on_empty_result=True,
                                 input="speech", language="en-US", method="POST", speech_timeout="auto")
        gather.say("Hi, this is the Acme assistant. How can I help?")
        response.redirect(f"{BASE}/twilio/voice/incoming", method="POST")
    """),
    ("gather-every-attribute", """
        response = VoiceResponse()
        response.gather(input="dtmf speech", action=f"{BASE}/twilio/voice/gather", method="POST", timeout=5,
                        speech_timeout="auto", language="en-GB", hints="billing, refund, agent",
                        speech_model="phone_call", enhanced=True, profanity_filter=False,
                        action_on_empty_result=True, partial_result_callback=f"{BASE}/twilio/voice/partial",
                        finish_on_key="#", num_digits=4, barge_in=False)
    """),
    ("gather-booleans-false", """
        response = VoiceResponse()
        response.gather(input="speech", enhanced=False, profanity_filter=False, action_on_empty_result=False,
                        barge_in=False)
    """),
    ("gather-booleans-true", """
        response = VoiceResponse()
        response.gather(input="speech", enhanced=True, profanity_filter=True, action_on_empty_result=True,
                        barge_in=True)
    """),
    ("gather-numbers", """
        response = VoiceResponse()
        response.gather(input="dtmf", timeout=0, num_digits=1, speech_timeout=3)
    """),
    ("gather-dtmf", """
        response = VoiceResponse()
        gather = response.gather(input="dtmf", num_digits=1, finish_on_key="", action="/menu", method="GET")
        gather.say("Press 1 for sales, 2 for support.")
    """),
    ("gather-hints-escaping", """
        response = VoiceResponse()
        response.gather(input="speech", hints="AT&T, \\"Acme\\" <Pro>, O'Brien")
    """),
    ("gather-partial-results", """
        response = VoiceResponse()
        response.gather(input="speech", partial_result_callback=f"{BASE}/twilio/voice/partial?call=1&x=2",
                        speech_model="experimental_conversations", language="es-MX")
    """),
    ("gather-say-pause", """
        response = VoiceResponse()
        gather = response.gather(input="speech", action="/gather")
        gather.say("Please tell me", voice="Polly.Joanna")
        gather.pause(length=1)
        gather.say("how I can help.")
    """),
    ("gather-play-say-pause", """
        response = VoiceResponse()
        with response.gather(input="dtmf speech", barge_in=True) as gather:
            gather.play("https://cdn.example.com/chime.mp3", loop=1)
            gather.say("Après le bip & <ton>", language="fr-FR")
            gather.pause()
    """),
    # Enqueue and Task
    ("enqueue-task-flex", """
        response = VoiceResponse()
        enqueue = Enqueue(None, workflow_sid="WWxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")
        enqueue.task(json.dumps({"type": "inbound", "name": "+15551234567", "from": "+15551234567",
                                 "summary": "Customer wants \\"refund\\" & <help>", "parleyConversationId": "abc"}),
                     priority=5, timeout=200)
        response.append(enqueue)
    """),
    ("enqueue-task-dict", """
        response = VoiceResponse()
        response.enqueue(workflow_sid="WW1").task({"name": "Zoë", "q": 'a"b'}, priority=1)
    """),
    ("enqueue-task-raw-string", """
        response = VoiceResponse()
        response.enqueue(workflow_sid=WORKFLOW).task('{"name":"Zoë & co"}')
    """),
    ("enqueue-task-json-escapes", """
        response = VoiceResponse()
        response.enqueue(workflow_sid=WORKFLOW).task(json.dumps(
            {"transcript": "line 1\\nline 2\\t</Task>", "quote": "say \\"hi\\"", "emoji": "😀", "n": 3,
             "ok": True, "none": None}, ensure_ascii=False))
    """),
    ("enqueue-every-attribute", """
        response = VoiceResponse()
        response.enqueue("support", action=f"{BASE}/twilio/voice/enqueue-done", method="POST",
                         wait_url=f"{BASE}/twilio/voice/hold-music", workflow_sid=WORKFLOW)
    """),
    ("enqueue-name-only", """
        response = VoiceResponse()
        response.enqueue("support")
    """),
    ("enqueue-task-priority-timeout", """
        response = VoiceResponse()
        enqueue = response.enqueue(workflow_sid=WORKFLOW, wait_url="/hold?music=jazz&volume=low", method="GET")
        enqueue.task(json.dumps({"channel": "voice", "priority": "high"}, sort_keys=True), priority=10, timeout=3600)
    """),
    ("say-then-enqueue", """
        response = VoiceResponse()
        response.say("Connecting you to an agent.", voice="Polly.Joanna")
        response.enqueue(workflow_sid=WORKFLOW, action=f"{BASE}/twilio/voice/enqueue-done").task(
            json.dumps({"type": "inbound", "parleyConversationId": "c-42"}), priority=5)
    """),
    # Connect and VirtualAgent
    ("connect-bare", """
        response = VoiceResponse()
        response.connect()
    """),
    ("connect-action", """
        response = VoiceResponse()
        response.connect(action=f"{BASE}/twilio/voice/virtual-agent/action")
    """),
    ("connect-virtualagent", """
        response = VoiceResponse()
        connect = response.connect(action=f"{BASE}/twilio/voice/virtual-agent/action", method="POST")
        agent = connect.virtual_agent(connector_name="acme-dialogflow-cx",
                                      status_callback=f"{BASE}/twilio/voice/virtual-agent/status",
                                      status_callback_method="POST")
        agent.parameter(name="customer_name", value="Ada Lovelace")
        agent.parameter(name="bot_session_id", value="sess-0001")
        agent.config(name="language", value="en-us")
        agent.config(name="welcomeIntent", value="greeting_event")
    """),
    ("connect-virtualagent-minimal", """
        response = VoiceResponse()
        response.connect().virtual_agent(connector_name="acme-dialogflow-cx")
    """),
    ("connect-virtualagent-every-attribute", """
        response = VoiceResponse()
        response.connect(action="/va/action", method="GET").virtual_agent(
            connector_name="acme-dialogflow-cx", language="fr-CA", sentiment_analysis=True,
            status_callback="/va/status?x=1&y=2", status_callback_method="GET")
    """),
    ("connect-virtualagent-sentiment-false", """
        response = VoiceResponse()
        response.connect().virtual_agent(connector_name="cx", sentiment_analysis=False)
    """),
    ("connect-virtualagent-resume", """
        response = VoiceResponse()
        connect = response.connect(action=f"{BASE}/twilio/voice/virtual-agent/action")
        agent = connect.virtual_agent(connector_name="acme-dialogflow-cx",
                                      status_callback=f"{BASE}/twilio/voice/virtual-agent/status")
        agent.config(name="resumeEndUserId",
                     value="projects/acme-bot/locations/us-central1/conversations/c-1/participants/p-1")
        agent.config(name="resumeEventName", value="identity_verified")
    """),
    ("connect-virtualagent-interleaved", """
        response = VoiceResponse()
        agent = response.connect().virtual_agent(connector_name="cx")
        agent.config(name="voiceName", value="en-US-Neural2-F")
        agent.parameter(name="a", value="1")
        agent.config(name="sentimentAnalysis", value="true")
        agent.parameter(name="b", value="2")
    """),
    ("connect-virtualagent-parameter-escaping", """
        response = VoiceResponse()
        agent = response.connect().virtual_agent(connector_name="cx")
        agent.parameter(name="note", value="Tom & Jerry <3 \\"quotes\\" 'single'\\nnew line\\ttab")
        agent.parameter(name="name", value="Zoë 😀")
    """),
    # Several verbs
    ("multiple-children-order", """
        response = VoiceResponse()
        response.say("one")
        response.play("https://cdn.example.com/two.mp3")
        response.pause(length=2)
        response.gather(input="speech", action="/four").say("four")
        response.redirect("/five")
        response.hangup()
    """),
    ("say-pause-say-hangup", """
        response = VoiceResponse()
        response.say("Thanks for calling.", voice="Polly.Joanna", language="en-US")
        response.pause(length=1)
        response.say("Goodbye!")
        response.hangup()
    """),
    ("gather-then-redirect-fallback", """
        response = VoiceResponse()
        gather = response.gather(input="speech", action="/twilio/voice/gather", method="POST", timeout=3,
                                 speech_timeout="auto", language="en-US", enhanced=True, speech_model="phone_call")
        gather.say("What can I do for you?", voice="Polly.Joanna")
        response.say("Sorry, I did not hear anything.")
        response.redirect("/twilio/voice/incoming", method="POST")
    """),
]


# --------------------------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------------------------

def run_case(code: str) -> VoiceResponse:
    namespace = {"VoiceResponse": VoiceResponse, "Enqueue": Enqueue, "json": json, "BASE": BASE, "WORKFLOW": WORKFLOW}
    exec(code, namespace)
    return namespace["response"]


def tree(twiml: TwiML, element: ET.Element) -> dict:
    """The element tree the library builds (`twiml.xml()`), checked against the TwiML object."""
    if element.tail:
        raise ValueError(f"<{element.tag}>: text after an element (mixed content) is not part of the cases")
    if twiml.name != element.tag:
        raise ValueError(f"<{element.tag}> comes from a TwiML object named {twiml.name}")
    verbs = [verb for verb in twiml.verbs if isinstance(verb, TwiML)]
    if len(verbs) != len(twiml.verbs):
        raise ValueError(f"<{element.tag}>: a bare string among the children is not part of the cases")
    children = list(element)
    if len(children) != len(verbs):
        raise ValueError(f"<{element.tag}>: {len(verbs)} verbs but {len(children)} elements")
    node = {"name": element.tag, "attributes": dict(element.attrib)}
    if element.text:
        node["text"] = element.text
    node["children"] = [tree(verb, child) for verb, child in zip(verbs, children)]
    return node


def generate() -> bytes:
    if twilio.__version__ != TWILIO_VERSION:
        raise SystemExit(f"twiml-cases: needs twilio=={TWILIO_VERSION}, found {twilio.__version__}")
    cases = []
    names = set()
    for name, snippet in CASES:
        if name in names:
            raise SystemExit(f"twiml-cases: duplicate case name {name}")
        names.add(name)
        code = textwrap.dedent(snippet).strip("\n") + "\n"
        response = run_case(code)
        xml = str(response)
        cases.append({"name": name, "python": code, "tree": tree(response, response.xml()), "xml": xml})
    document = {
        "generator": "scripts/twiml-cases (scripts/twiml_cases.py)",
        "library": f"twilio=={TWILIO_VERSION}, twilio/twiml/voice_response.py VoiceResponse.to_xml()",
        "cases": cases,
    }
    return (json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def check(fresh: bytes, path: Path) -> int:
    if not path.exists():
        print(f"twiml-cases --check: {path} is missing. Run scripts/twiml-cases to make it.", file=sys.stderr)
        return 1
    committed = path.read_bytes()
    if committed == fresh:
        print(f"twiml-cases --check: {path} matches ({len(CASES)} cases)")
        return 0
    print(f"twiml-cases --check: {path} does not match what scripts/twiml-cases makes "
          f"({len(committed)} bytes committed, {len(fresh)} generated):", file=sys.stderr)
    diff = list(difflib.unified_diff(committed.decode("utf-8", "replace").splitlines(),
                                     fresh.decode("utf-8", "replace").splitlines(),
                                     "committed", "generated", lineterm="", n=1))
    if not diff:
        diff = ["(only line endings or the final newline differ)"]
    for line in diff[:60]:
        print("  " + line[:200], file=sys.stderr)
    if len(diff) > 60:
        print(f"  ... {len(diff) - 60} more diff lines", file=sys.stderr)
    print("Run scripts/twiml-cases to regenerate.", file=sys.stderr)
    return 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="regenerate in memory and fail, listing the differences, if the committed file differs")
    parser.add_argument("--out", type=Path, default=OUT, help=f"the file (default: {OUT.relative_to(REPO)})")
    args = parser.parse_args()
    fresh = generate()
    if args.check:
        return check(fresh, args.out)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if not args.out.exists() or args.out.read_bytes() != fresh:
        args.out.write_bytes(fresh)
    print(f"twiml-cases: wrote {len(CASES)} cases to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
