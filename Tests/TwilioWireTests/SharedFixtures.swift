import Foundation
import SharedTestFixtures
import TwilioWire

/// The signature vectors and fixtures as the TwilioWire tests read them (through `FixtureFiles`).
enum SharedFixtures {
    static func data(_ relativePath: String) throws -> Data {
        try FixtureFiles.data(relativePath)
    }

    static func vectors() throws -> VectorFile {
        try JSONDecoder().decode(VectorFile.self, from: try data("twilio-signature-vectors.json"))
    }

    static func index() throws -> [IndexEntry] {
        try JSONDecoder().decode([IndexEntry].self, from: try data("twilio/index.json"))
    }

    /// A `.http` fixture by its path under `Tests/Fixtures`.
    static func request(_ relativePath: String) throws -> RecordedRequest {
        try RecordedRequest(parsing: FixtureFiles.text(relativePath), name: relativePath)
    }

    /// Every `.http` file of the fixtures folder.
    static func httpFiles() throws -> [String] {
        try FixtureFiles.twilioRequestNames()
    }
}

struct VectorFile: Decodable {
    var vectors: [Vector]
    var fixtureSignatures: [FixtureSignature]

    enum CodingKeys: String, CodingKey {
        case vectors
        case fixtureSignatures = "fixture_signatures"
    }
}

struct Vector: Decodable {
    var name: String
    var algorithm: String
    var authToken: String
    var method: String
    var url: String
    var params: [[String]]
    var rawBody: String?
    var stringToSign: String
    var expectedSignature: String
    var validateChecks: [ValidateCheck]?

    enum CodingKeys: String, CodingKey {
        case name, algorithm, method, url, params
        case authToken = "auth_token"
        case rawBody = "raw_body"
        case stringToSign = "string_to_sign"
        case expectedSignature = "expected_signature"
        case validateChecks = "validate_checks"
    }

    var form: TwilioForm { TwilioForm(params.map { TwilioFormField(name: $0[0], value: $0[1]) }) }
}


struct ValidateCheck: Decodable {
    var urlSeenByValidator: String?
    var signatureHeader: String?
    var rawBodySeen: String?
    var libraryValidateResult: Bool

    enum CodingKeys: String, CodingKey {
        case urlSeenByValidator = "url_seen_by_validator"
        case signatureHeader = "signature_header"
        case rawBodySeen = "raw_body_seen"
        case libraryValidateResult = "library_validate_result"
    }
}

struct FixtureSignature: Decodable {
    var file: String
    var url: String
    var authToken: String
    var xTwilioSignature: String

    enum CodingKeys: String, CodingKey {
        case file, url
        case authToken = "auth_token"
        case xTwilioSignature = "x_twilio_signature"
    }
}

struct IndexEntry: Decodable {
    var file: String
    var url: String
    var path: String
    var contentType: String
    var authToken: String
    var params: [[String]]
    var xTwilioSignature: String
    var contentLength: Int

    enum CodingKeys: String, CodingKey {
        case file, url, path, params
        case contentType = "content_type"
        case authToken = "auth_token"
        case xTwilioSignature = "x_twilio_signature"
        case contentLength = "content_length"
    }

    var form: TwilioForm { TwilioForm(params.map { TwilioFormField(name: $0[0], value: $0[1]) }) }
}
