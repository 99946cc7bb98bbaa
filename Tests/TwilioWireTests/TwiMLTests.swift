import Foundation
import SharedTestFixtures
import Testing
import TwilioWire

/// TwiML written and read byte for byte as twilio-python 9.13.0 writes it, checked against the
/// cases `scripts/twiml-cases` makes with the library (`Tests/Fixtures/twiml/cases.json`).
@Suite("TwiML")
struct TwiMLTests {
    // MARK: - The library's cases

    @Test("every case's tree writes exactly the library's XML")
    func writerMatchesLibrary() throws {
        let cases = try TwiMLCases.all()
        #expect(cases.count >= 40)
        for item in cases {
            let written = item.tree.element.xml()
            #expect(written.utf8.elementsEqual(item.xml.utf8), "\(item.name)\n  wrote \(written)\n  want  \(item.xml)")
        }
    }

    @Test("reading every case's XML gives back its tree, and writing that gives the same bytes")
    func readerRoundTrips() throws {
        for item in try TwiMLCases.all() {
            let read = try TwiMLReader.read(item.xml)
            #expect(read == item.tree.element, "\(item.name)")
            #expect(identical(read, item.tree.element), "\(item.name): not the same Unicode scalars")
            #expect(read.xml().utf8.elementsEqual(item.xml.utf8), "\(item.name)\n  wrote \(read.xml())\n  want  \(item.xml)")
            #expect(try TwiMLReader.read(Array(item.xml.utf8)) == read, "\(item.name) as bytes")
        }
    }

    @Test("the TwiML fixtures of scripts/twilio-fixtures read and write back to the same bytes")
    func twilioFixturesRoundTrip() throws {
        for name in ["twiml-connect-virtualagent.xml", "twiml-connect-virtualagent-resume.xml", "twiml-gather-speech.xml"] {
            let data = try FixtureFiles.data("\(FixtureFiles.twilioFixtures)/\(name)")
            #expect(try TwiMLReader.read(data).xml().utf8.elementsEqual(data), "\(name)")
        }
    }

    // MARK: - Typed builders, each against the case the library wrote for the same document

    @Test("Response and Say")
    func say() throws {
        try expect(.response(), writes: "response-empty")
        try expect(.response([.say("Hi", voice: "Polly.Joanna")]), writes: "say-voice")
        try expect(.response([.say("Bonjour", voice: "Polly.Celine", language: "fr-FR", loop: 2)]), writes: "say-voice-language-loop")
        try expect(.response([.say("Forever", loop: 0)]), writes: "say-loop-zero")
        try expect(.response([.say("")]), writes: "say-empty-message")
    }

    @Test("Say escaping: text escapes & < >, attributes also \" tab newline carriage return")
    func sayEscaping() throws {
        try expect(.response([.say(#"Tom & Jerry <b>"quoted"</b> 'single' > end ]]> &amp;"#)]), writes: "say-escaping-text")
        try expect(.response([.say("x", voice: "a&b<c>\"d'e\nf\tg\rh")]), writes: "say-attribute-escaping")
        try expect(.response([.say("line one\nline two\tafter a tab\n")]), writes: "say-newline-tab-text")
        try expect(.response([.say("Café, naïve, Zoë, 日本語, Привет, 5€ 😀🚚")]), writes: "say-non-ascii")
        try expect(.response([.say("Cafe\u{301} (decomposed) vs Caf\u{e9}")]), writes: "say-combining-accent")
    }

    @Test("Play: URL as text, loop and digits")
    func play() throws {
        try expect(.response([.play("https://cdn.example.com/tone.wav?a=1&b=2", loop: 3)]), writes: "play-url-query")
        try expect(.response([.play(loop: 1, digits: "1234#")]), writes: "play-loop-digits")
        try expect(.response([.play(digits: "wwww3")]), writes: "play-digits")
    }

    @Test("Pause and Hangup")
    func pauseAndHangup() throws {
        try expect(.response([.pause()]), writes: "pause-bare")
        try expect(.response([.pause(length: 3)]), writes: "pause-length")
        try expect(.response([.hangup()]), writes: "hangup")
    }

    @Test("Redirect: URL as text, method")
    func redirect() throws {
        try expect(.response([.redirect("https://bot.example.com/twilio/voice/incoming")]), writes: "redirect-url")
        try expect(.response([.redirect("https://bot.example.com/twilio/voice/next?step=2&retry=true", method: "GET")]),
                   writes: "redirect-query")
    }

    @Test("Gather with every attribute, booleans and numbers")
    func gatherAttributes() throws {
        try expect(.response([.gather(
            input: "dtmf speech", action: "https://bot.example.com/twilio/voice/gather", method: "POST", timeout: 5,
            speechTimeout: "auto", language: "en-GB", hints: "billing, refund, agent", speechModel: "phone_call",
            enhanced: true, profanityFilter: false, actionOnEmptyResult: true,
            partialResultCallback: "https://bot.example.com/twilio/voice/partial", finishOnKey: "#", numDigits: 4, bargeIn: false)]),
            writes: "gather-every-attribute")
        try expect(.response([.gather(input: "speech", enhanced: false, profanityFilter: false, actionOnEmptyResult: false,
                                      bargeIn: false)]), writes: "gather-booleans-false")
        try expect(.response([.gather(input: "dtmf", timeout: 0, speechTimeout: "3", numDigits: 1)]), writes: "gather-numbers")
        try expect(.response([.gather(input: "speech", hints: #"AT&T, "Acme" <Pro>, O'Brien"#)]), writes: "gather-hints-escaping")
    }

    @Test("Gather with nested Say, Play and Pause, in order")
    func gatherChildren() throws {
        try expect(.response([.gather(input: "speech", action: "/gather", children: [
            .say("Please tell me", voice: "Polly.Joanna"), .pause(length: 1), .say("how I can help."),
        ])]), writes: "gather-say-pause")
        try expect(.response([.gather(input: "dtmf speech", bargeIn: true, children: [
            .play("https://cdn.example.com/chime.mp3", loop: 1), .say("Après le bip & <ton>", language: "fr-FR"), .pause(),
        ])]), writes: "gather-play-say-pause")
        try expect(.response([.gather(input: "dtmf", action: "/menu", method: "GET", finishOnKey: "", numDigits: 1, children: [
            .say("Press 1 for sales, 2 for support."),
        ])]), writes: "gather-dtmf")
        try expect(.response([
            .gather(input: "speech", action: "https://bot.example.com/twilio/voice/gather", method: "POST", speechTimeout: "auto",
                    language: "en-US", actionOnEmptyResult: true, children: [.say("Hi, this is the Acme assistant. How can I help?")]),
            .redirect("https://bot.example.com/twilio/voice/incoming", method: "POST"),
        ]), writes: "gather-speech")
    }

    @Test("Enqueue with a Task whose text is JSON (flex-conversations.md Q6)")
    func enqueueTask() throws {
        let json = #"{"type": "inbound", "name": "+15551234567", "from": "+15551234567", "summary": "Customer wants \"refund\" & <help>", "parleyConversationId": "abc"}"#
        try expect(.response([.enqueue(workflowSid: "WWxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", task: .task(json, priority: 5, timeout: 200))]),
                   writes: "enqueue-task-flex")
        try expect(.response([.enqueue(workflowSid: "WW1", task: .task(#"{"name": "Zo\u00eb", "q": "a\"b"}"#, priority: 1))]),
                   writes: "enqueue-task-dict")
        try expect(.response([.enqueue(workflowSid: "WW0123456789abcdef0123456789abcdef", task: .task(#"{"name":"Zoë & co"}"#))]),
                   writes: "enqueue-task-raw-string")
    }

    @Test("Enqueue attributes and queue name")
    func enqueueAttributes() throws {
        try expect(.response([.enqueue("support", workflowSid: "WW0123456789abcdef0123456789abcdef",
                                       action: "https://bot.example.com/twilio/voice/enqueue-done", method: "POST",
                                       waitUrl: "https://bot.example.com/twilio/voice/hold-music")]),
                   writes: "enqueue-every-attribute")
        try expect(.response([.enqueue("support")]), writes: "enqueue-name-only")
    }

    @Test("Connect and VirtualAgent with Parameter and Config children")
    func connectVirtualAgent() throws {
        try expect(.response([.connect(action: "https://bot.example.com/twilio/voice/virtual-agent/action", method: "POST", children: [
            .virtualAgent(connectorName: "acme-dialogflow-cx", statusCallback: "https://bot.example.com/twilio/voice/virtual-agent/status",
                          statusCallbackMethod: "POST", children: [
                              .parameter(name: "customer_name", value: "Ada Lovelace"), .parameter(name: "bot_session_id", value: "sess-0001"),
                              .config(name: "language", value: "en-us"), .config(name: "welcomeIntent", value: "greeting_event"),
                          ]),
        ])]), writes: "connect-virtualagent")
        try expect(.response([.connect(action: "/va/action", method: "GET", children: [
            .virtualAgent(connectorName: "acme-dialogflow-cx", language: "fr-CA", sentimentAnalysis: true,
                          statusCallback: "/va/status?x=1&y=2", statusCallbackMethod: "GET"),
        ])]), writes: "connect-virtualagent-every-attribute")
        try expect(.response([.connect()]), writes: "connect-bare")
    }

    @Test("VirtualAgent parameters: escaping and child order")
    func virtualAgentParameters() throws {
        try expect(.response([.connect(children: [.virtualAgent(connectorName: "cx", children: [
            .parameter(name: "note", value: "Tom & Jerry <3 \"quotes\" 'single'\nnew line\ttab"), .parameter(name: "name", value: "Zoë 😀"),
        ])])]), writes: "connect-virtualagent-parameter-escaping")
        try expect(.response([.connect(children: [.virtualAgent(connectorName: "cx", children: [
            .config(name: "voiceName", value: "en-US-Neural2-F"), .parameter(name: "a", value: "1"),
            .config(name: "sentimentAnalysis", value: "true"), .parameter(name: "b", value: "2"),
        ])])]), writes: "connect-virtualagent-interleaved")
    }

    @Test("several verbs keep their order")
    func severalVerbs() throws {
        try expect(TwiML.response([
            .say("one"), .play("https://cdn.example.com/two.mp3"), .pause(length: 2),
            .gather(input: "speech", action: "/four", children: [.say("four")]), .redirect("/five"), .hangup(),
        ]), writes: "multiple-children-order")
        try expect(TwiML.response([
            .say("Connecting you to an agent.", voice: "Polly.Joanna"),
            .enqueue(workflowSid: "WW0123456789abcdef0123456789abcdef", action: "https://bot.example.com/twilio/voice/enqueue-done",
                     task: .task(#"{"type": "inbound", "parleyConversationId": "c-42"}"#, priority: 5)),
        ]), writes: "say-then-enqueue")
    }

    // MARK: - Reading

    @Test("malformed input: a typed error naming line and column", arguments: [
        "<Response><Say>Hi</Response>",  // a closing tag that does not match
        "<Response>\n<Say>Hi",  // an unclosed tag at the end
        "<Response/>junk",  // text after the root
        "junk<Response/>",  // text before the root
        "\u{1}\u{2} not XML at all",  // garbage
        "<Response><Say voice=x>Hi</Say></Response>",  // an unquoted attribute
        "<Response><Say>a</Say>b</Response>",  // mixed content, which TwiMLElement cannot hold
    ])
    func malformed(_ input: String) throws {
        let error = try #require(readError(input), "\(input.debugDescription) was read")
        let line = try #require(error.line, "\(error)")
        let column = try #require(error.column, "\(error)")
        #expect(line >= 1 && column >= 1)
        #expect(error.description.contains("line \(line), column \(column)"), "\(error)")
        #expect(!error.message.isEmpty)
    }

    @Test("an empty document has no root element")
    func empty() {
        #expect(readError("")?.message.contains("no root element") == true)
    }

    @Test("the line and column point at the problem")
    func errorPosition() throws {
        let error = try #require(readError("<Response>\n  <Say>Hi</Sya>\n</Response>"))
        #expect(error.line == 2)
        #expect(error.description.contains("closing tag"), "\(error)")
    }

    @Test("indentation between elements is layout, not text; CDATA is text; comments are skipped")
    func layout() throws {
        let read = try TwiMLReader.read("""
            <?xml version="1.0" encoding="UTF-8"?>
            <Response>
              <!-- greeting -->
              <Say voice="Polly.Joanna"><![CDATA[Hi & <bye>]]></Say>
              <Hangup/>
            </Response>

            """)
        #expect(read == .response([.say("Hi & <bye>", voice: "Polly.Joanna"), .hangup()]))
    }

    // MARK: - The generator

    @Test("the committed cases are what scripts/twiml-cases makes with Twilio's library, byte for byte")
    func casesAreGenerated() async throws {
        guard try await ProjectScripts.python() != nil else { return }
        // Exits 1 (and `script` throws, with the differences) when the file differs.
        await #expect(throws: Never.self) { try await ProjectScripts.script("twiml-cases", ["--check"]) }
    }

    // MARK: - Helpers

    /// Expects `element` to write exactly the XML of the named case.
    private func expect(_ element: TwiMLElement, writes caseName: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let item = try #require(try TwiMLCases.all().first(where: { $0.name == caseName }), "no case \(caseName)",
                                sourceLocation: sourceLocation)
        let written = element.xml()
        #expect(written.utf8.elementsEqual(item.xml.utf8), "\(caseName)\n  wrote \(written)\n  want  \(item.xml)",
                sourceLocation: sourceLocation)
    }

    private func readError(_ xml: String) -> TwiMLReadError? {
        do {
            _ = try TwiMLReader.read(xml)
            return nil
        } catch {
            return error
        }
    }

    /// Equal scalar by scalar (`String`'s `==` takes canonically equivalent strings as equal).
    private func identical(_ a: TwiMLElement, _ b: TwiMLElement) -> Bool {
        func scalars(_ attributes: [String: String]) -> [[UInt8]] {
            attributes.map { Array($0.key.utf8) + [0] + Array($0.value.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
        }
        return Array(a.name.utf8) == Array(b.name.utf8) && a.text.map { Array($0.utf8) } == b.text.map { Array($0.utf8) }
            && scalars(a.attributes) == scalars(b.attributes) && a.children.count == b.children.count
            && zip(a.children, b.children).allSatisfy { identical($0, $1) }
    }
}

/// `Tests/Fixtures/twiml/cases.json` (made by `scripts/twiml-cases`).
enum TwiMLCases {
    struct File: Decodable {
        var cases: [Case]
    }

    struct Case: Decodable {
        var name: String
        var python: String
        var tree: Node
        var xml: String
    }

    /// A generic element as the file holds it: `{"name", "attributes", "text"?, "children"}`.
    struct Node: Decodable {
        var name: String
        var attributes: [String: String]
        var text: String?
        var children: [Node]

        var element: TwiMLElement {
            TwiMLElement(name, attributes: attributes, text: text, children: children.map(\.element))
        }
    }

    static func all() throws -> [Case] {
        try JSONDecoder().decode(File.self, from: FixtureFiles.twimlCasesData()).cases
    }
}
