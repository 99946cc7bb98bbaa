import Foundation
import Testing
import TwilioWire

@Suite("Twilio SIDs, errors and credentials")
struct TwilioWireValuesTests {
    @Test("random SIDs are the prefix and 32 lowercase hex digits, and differ")
    func sids() {
        let sid = TwilioSID.random("CH")
        #expect(sid.count == 34)
        #expect(sid.hasPrefix("CH"))
        #expect(sid.dropFirst(2).allSatisfy { "0123456789abcdef".contains($0) })
        #expect(TwilioSID.isValid(sid, prefix: "CH"))
        #expect(!TwilioSID.isValid(sid, prefix: "WT"))
        #expect(!TwilioSID.isValid("CH123", prefix: "CH"))
        #expect(TwilioSID.isValid("CH4cc93c3d17c6d8d86d0906d02b7c15be", prefix: "CH"))
        #expect(Set((0..<100).map { _ in TwilioSID.random("WT") }).count == 100)
        // The fixtures' rule: prefix + sha256("twilio-fixture:<label>")[:32].
        #expect(TwilioSID.derived("AC", from: "twilio-fixture:account") == "AC57fd0608be32bc7b399f485192bb8be8")
        #expect(TwilioSID.derived("WK", from: "twilio-fixture:worker-alice") == "WK05b08526268a53ca2df0a76e9a119a9f")
    }

    @Test("the REST error body decodes from the fixture and encodes back with all four keys")
    func restError() throws {
        let data = try SharedFixtures.data("twilio/error-20404.response.json")
        let error = try JSONDecoder().decode(TwilioRESTError.self, from: data)
        #expect(error == TwilioRESTError.notFound(path: "/v1/Channels/CH204709c3939e2131e304310bd9f8354e"))
        #expect(error.moreInfo == "https://www.twilio.com/docs/errors/20404")
        #expect(error.description.contains("20404"))
        let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(error)) as? [String: Any]
        let fixture = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(encoded.map { Set($0.keys) } == fixture.map { Set($0.keys) })
        #expect(TwilioRESTError.authenticationFailed.status == 401)
        #expect(TwilioRESTError.authenticationFailed.code == 20003)
        #expect(TwilioRESTError.missingParameter("FlexFlowSid").message.contains("FlexFlowSid"))
    }

    @Test("Basic credentials: the fixture's header reads back, the password is never described")
    func basicAuth() throws {
        let request = try SharedFixtures.request("twilio/flex-channels-create.request.http")
        let header = try #require(request.header("Authorization"))
        let credentials = try TwilioBasicAuth(authorizationHeader: header)
        #expect(credentials.username == "AC57fd0608be32bc7b399f485192bb8be8")
        #expect(credentials.password == "5ca1ab1e0ddba11d0e5c0ffee0ba5eba")
        #expect(credentials.authorizationHeader == header)
        #expect(!credentials.description.contains(credentials.password))
        #expect(throws: TwilioWireError.malformedBasicAuth) { try TwilioBasicAuth(authorizationHeader: "Bearer abc") }
        #expect(throws: TwilioWireError.malformedBasicAuth) { try TwilioBasicAuth(authorizationHeader: "Basic !!!") }
    }
}
