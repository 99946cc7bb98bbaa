import Foundation
import Testing
import TwilioWire

@Suite("Twilio signatures")
struct TwilioSignatureTests {
    @Test("every vector: string to sign, signature, and the library's validate() outcomes")
    func vectors() throws {
        let file = try SharedFixtures.vectors()
        #expect(file.vectors.count >= 10)
        for vector in file.vectors {
            let algorithm = try #require(TwilioSignature.Algorithm(rawValue: vector.algorithm), "\(vector.name)")
            // A JSON-body vector signs the URL alone.
            let parameters = vector.rawBody == nil ? vector.form : TwilioForm()
            #expect(TwilioSignature.stringToSign(url: vector.url, parameters: parameters) == vector.stringToSign, "\(vector.name)")
            #expect(TwilioSignature.compute(url: vector.url, parameters: parameters, key: vector.authToken, algorithm: algorithm)
                    == vector.expectedSignature, "\(vector.name)")
            if algorithm == .hmacSHA1 {
                #expect(TwilioSignature.compute(url: vector.url, parameters: parameters, authToken: vector.authToken)
                        == vector.expectedSignature, "\(vector.name)")
            }
            let rawBody = vector.rawBody.map { Array($0.utf8) }
            #expect(TwilioSignature.isValid(vector.expectedSignature, url: vector.url, parameters: parameters, key: vector.authToken,
                                            algorithm: algorithm, rawBody: rawBody), "\(vector.name)")
            for check in vector.validateChecks ?? [] {
                let url = check.urlSeenByValidator ?? vector.url
                let signature = check.signatureHeader ?? vector.expectedSignature
                let body = check.rawBodySeen.map { Array($0.utf8) } ?? rawBody
                #expect(TwilioSignature.isValid(signature, url: url, parameters: parameters, key: vector.authToken,
                                                algorithm: algorithm, rawBody: body) == check.libraryValidateResult,
                        "\(vector.name): validate(\(url)) should be \(check.libraryValidateResult)")
            }
        }
    }

    @Test("a vector's signature fails with a wrong token, a changed value, an extra parameter or another path")
    func negatives() throws {
        let vector = try #require(try SharedFixtures.vectors().vectors.first { $0.name == "upstream-basic" })
        let signature = vector.expectedSignature
        #expect(!TwilioSignature.isValid(signature, url: vector.url, parameters: vector.form, authToken: "12346"))
        var changed = vector.form
        changed.fields[1].value = "1235"
        #expect(!TwilioSignature.isValid(signature, url: vector.url, parameters: changed, authToken: vector.authToken))
        var extra = vector.form
        extra.append("Extra", "")
        #expect(!TwilioSignature.isValid(signature, url: vector.url, parameters: extra, authToken: vector.authToken))
        #expect(!TwilioSignature.isValid(signature, url: vector.url.replacingOccurrences(of: "myapp", with: "other"),
                                         parameters: vector.form, authToken: vector.authToken))
        #expect(!TwilioSignature.isValid("", url: vector.url, parameters: vector.form, authToken: vector.authToken))
        #expect(!TwilioSignature.isValid(signature, url: "not a url", parameters: vector.form, authToken: vector.authToken))
        // Repeating a pair changes nothing: pairs are de-duplicated.
        var repeated = vector.form
        repeated.append("Digits", "1234")
        #expect(TwilioSignature.isValid(signature, url: vector.url, parameters: repeated, authToken: vector.authToken))
    }

    @Test("the SharedKey settings header selects the algorithm")
    func settingsHeader() {
        #expect(TwilioSignature.Algorithm(settingsHeader: nil) == .hmacSHA1)
        #expect(TwilioSignature.Algorithm(settingsHeader: "key=webhooks_sharedkey_example,algorithm=HMAC_SHA256") == .hmacSHA256)
        #expect(TwilioSignature.Algorithm(settingsHeader: "key=k, algorithm=HMAC_SHA1") == .hmacSHA1)
        #expect(TwilioSignature.Algorithm(settingsHeader: "key=k") == .hmacSHA1)
    }

    @Test("every fixture signature validates for its file's body, decoded from the .http file")
    func fixtureSignatures() throws {
        let signatures = try SharedFixtures.vectors().fixtureSignatures
        #expect(!signatures.isEmpty)
        for entry in signatures {
            // The vectors name files as Twilio's shared fixtures lay them out (`fixtures/twilio/…`).
            let request = try SharedFixtures.request(entry.file.replacingOccurrences(of: "fixtures/twilio/", with: "twilio/"))
            #expect(request.header("X-Twilio-Signature") == entry.xTwilioSignature, "\(entry.file)")
            let host = try #require(request.header("Host"), "\(entry.file)")
            #expect("https://\(host)\(request.path)" == entry.url, "\(entry.file)")
            let form = try TwilioForm(encoded: request.body)
            #expect(TwilioSignature.isValid(entry.xTwilioSignature, url: entry.url, parameters: form, authToken: entry.authToken),
                    "\(entry.file)")
            #expect(TwilioSignature.compute(url: entry.url, parameters: form, authToken: entry.authToken) == entry.xTwilioSignature,
                    "\(entry.file)")
            // Served on a local origin, the public URL is what validates, not the local one.
            #expect(!TwilioSignature.isValid(entry.xTwilioSignature, url: "http://127.0.0.1:8080\(request.path)", parameters: form,
                                             authToken: entry.authToken), "\(entry.file)")
        }
    }

    @Test("every signed fixture in index.json: the .http body decodes to its parameters and validates against its URL")
    func indexedFixtures() throws {
        let index = try SharedFixtures.index()
        #expect(index.count >= 17)
        for entry in index {
            let request = try SharedFixtures.request("twilio/\(entry.file)")
            #expect(request.path == entry.path, "\(entry.file)")
            #expect(request.header("Content-Type") == entry.contentType, "\(entry.file)")
            #expect(request.header("Content-Length") == String(entry.contentLength), "\(entry.file)")
            #expect(request.body.utf8.count == entry.contentLength, "\(entry.file)")
            let form = try TwilioForm(encoded: request.body)
            #expect(form == entry.form, "\(entry.file)")
            #expect(TwilioSignature.isValid(entry.xTwilioSignature, url: entry.url, parameters: form, authToken: entry.authToken,
                                            rawBody: Array(request.body.utf8)), "\(entry.file)")
            #expect(!TwilioSignature.isValid(entry.xTwilioSignature, url: entry.url, parameters: form, authToken: "wrong-token"),
                    "\(entry.file)")
        }
    }
}
