import Foundation
import TwilioWire

/// The project's shared Twilio reference data (`../shared` beside the package root): signature
/// vectors computed with twilio-python 9.13.0 and the signed fixture requests.
enum SharedFixtures {
    /// `../shared` relative to the package root.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared")

    static func file(_ relativePath: String) throws -> URL {
        let url = root.appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw FixtureError.missing("\(url.path) does not exist: the TwilioWire tests need the project's shared "
                                       + "folder at \(root.path) (`../shared` beside the package root)")
        }
        return url
    }

    static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: try file(relativePath))
    }

    static func vectors() throws -> VectorFile {
        try JSONDecoder().decode(VectorFile.self, from: try data("spec/twilio-signature-vectors.json"))
    }

    static func index() throws -> [IndexEntry] {
        try JSONDecoder().decode([IndexEntry].self, from: try data("fixtures/twilio/index.json"))
    }

    /// A `.http` fixture cut into request line, headers and body.
    static func request(_ relativePath: String) throws -> HTTPFixture {
        let text = String(decoding: try data(relativePath), as: UTF8.self)
        guard let split = text.range(of: "\n\n") else { throw FixtureError.malformed("\(relativePath) has no blank line before its body") }
        var lines = text[..<split.lowerBound].split(separator: "\n").map(String.init)
        let requestLine = lines.removeFirst()
        var headers: [(String, String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { throw FixtureError.malformed("\(relativePath): header line `\(line)`") }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return HTTPFixture(requestLine: requestLine, headers: headers, body: String(text[split.upperBound...]))
    }

    /// Every `.http` file of the fixtures folder.
    static func httpFiles() throws -> [String] {
        let folder = try file("fixtures/twilio")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".http") }.sorted()
    }
}

struct HTTPFixture {
    var requestLine: String
    var headers: [(String, String)]
    var body: String

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    var path: String { String(requestLine.split(separator: " ")[1]) }
}

enum FixtureError: Error, CustomStringConvertible {
    case missing(String)
    case malformed(String)

    var description: String {
        switch self {
        case .missing(let message), .malformed(let message): message
        }
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
