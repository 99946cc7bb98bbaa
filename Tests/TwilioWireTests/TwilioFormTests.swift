import Foundation
import Testing
import TwilioWire

@Suite("Twilio forms")
struct TwilioFormTests {
    @Test("every .http fixture body decodes and encodes back byte for byte")
    func fixtureRoundTrips() throws {
        let files = try SharedFixtures.httpFiles()
        #expect(files.contains("flex-channels-create.request.http"))
        for file in files {
            let request = try SharedFixtures.request("twilio/\(file)")
            let form = try TwilioForm(encoded: request.body)
            #expect(!form.fields.isEmpty, "\(file)")
            #expect(form.encoded == request.body, "\(file)")
        }
    }

    @Test("the Flex channel request twilio-python sends is what encoding its parameters gives")
    func flexChannelsCreate() throws {
        let request = try SharedFixtures.request("twilio/flex-channels-create.request.http")
        let form: TwilioForm = [
            "FlexFlowSid": "FO37c42c8ba36d0b96bd670468b7ad0531",
            "Identity": "bot-user-7f3a",
            "ChatUserFriendlyName": "Ada Lovelace",
            "ChatFriendlyName": "Ada Lovelace - order 1234",
            "ChatUniqueName": "bot-user-7f3a-1741946398",
            "PreEngagementData": #"{"friendlyName":"Ada Lovelace","question":"Where is my order?"}"#,
            "TaskAttributes": #"{"bot_session_id":"sess-0001","handoff_reason":"customer asked for a human"}"#,
            "LongLived": "false",
        ]
        #expect(form.encoded == request.body)
        #expect(request.header("Content-Length") == String(request.body.utf8.count))
        let chat = try SharedFixtures.request("twilio/chat-messages-create.request.http")
        var message = TwilioForm()
        message.append("From", "bot")
        message.append("Body", "Connecting you with a human agent now. Please hold on.")
        message.append("Attributes", #"{"bot":true,"kind":"handoff_notice"}"#)
        #expect(message.encoded == chat.body)
        #expect(try TwilioForm(encoded: chat.body)["Attributes"] == #"{"bot":true,"kind":"handoff_notice"}"#)
    }

    @Test("encoding follows urlencode: unreserved kept, space as +, the rest %XX upper-case")
    func encoding() {
        let form = TwilioForm(["a b": "x+y=z&w", "k": "~._-AZaz09", "u": "café — 😀", "r": ":/?#[]@!$'()*,;", "e": ""])
        #expect(form.encoded == "a+b=x%2By%3Dz%26w&k=~._-AZaz09&u=caf%C3%A9+%E2%80%94+%F0%9F%98%80&r=%3A%2F%3F%23%5B%5D%40%21%24%27%28%29%2A%2C%3B&e=")
        #expect(TwilioForm().encoded == "")
    }

    @Test("decoding: + is a space, escapes in either case, duplicates and order kept, blank values kept")
    func decoding() throws {
        let form = try TwilioForm(encoded: "Filter=a&Body=hi+there%2c%E2%80%94&Filter=b&Empty=&Bare&&Last=%7b%7D")
        #expect(form.fields.map(\.name) == ["Filter", "Body", "Filter", "Empty", "Bare", "Last"])
        #expect(form["Body"] == "hi there,—")
        #expect(form["Filter"] == "a")
        #expect(form.values("Filter") == ["a", "b"])
        #expect(form["Empty"] == "")
        #expect(form["Bare"] == "")
        #expect(form["Last"] == "{}")
        #expect(form["Missing"] == nil)
        #expect(form.names == ["Filter", "Body", "Empty", "Bare", "Last"])
        #expect(try TwilioForm(encoded: "").fields.isEmpty)
        #expect(try TwilioForm(encoded: "a=1=2")["a"] == "1=2")
    }

    @Test("a broken escape or non-UTF-8 bytes throw malformedForm naming the part")
    func malformed() {
        #expect(throws: TwilioWireError.malformedForm("Body=%E2%80")) { try TwilioForm(encoded: "From=bot&Body=%E2%80") }
        #expect(throws: TwilioWireError.malformedForm("Body=%G1")) { try TwilioForm(encoded: "Body=%G1&From=x") }
        #expect(throws: TwilioWireError.malformedForm("%2=x")) { try TwilioForm(encoded: "%2=x") }
        #expect(throws: TwilioWireError.malformedForm("Body=100%")) { try TwilioForm(encoded: "Body=100%") }
        #expect(TwilioWireError.malformedForm("Body=%G1").description.contains("Body=%G1"))
    }

    @Test("round trip of arbitrary text through encode and decode")
    func roundTrip() throws {
        let samples = ["", " ", "+", "%", "%%20", "a=b&c=d", "Алло! 1+1=2 & café — 😀", "\n\t\r", "\u{0}", "e\u{301}"]
        for sample in samples {
            let form = TwilioForm([TwilioFormField(name: sample, value: sample)])
            #expect(try TwilioForm(encoded: form.encoded) == (sample.isEmpty ? TwilioForm([TwilioFormField(name: "", value: "")]) : form))
        }
    }
}
