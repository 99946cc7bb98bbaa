import Foundation
import Testing

/// The shared Twilio fixtures (`../shared/fixtures/twilio` beside the project root).
enum TwilioFixtures {
    /// The auth token every fixture is signed with (fixtures README).
    static let authToken = "5ca1ab1e0ddba11d0e5c0ffee0ba5eba"
    static let accountSid = "AC57fd0608be32bc7b399f485192bb8be8"
    static let publicURL = "https://bot.example.com"
    static let channelSid = "CH4cc93c3d17c6d8d86d0906d02b7c15be"
    static let taskSid = "WT48ea0197e2f4c01c13db484b6e6d4746"
    static let flexFlowSid = "FO37c42c8ba36d0b96bd670468b7ad0531"
    static let chatServiceSid = "ISfeefe7297470ecb2343d2c48c3076989"

    /// The project root (three levels above this file).
    static let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/fixtures/twilio`; a clear failure when it is missing.
    static func folder() throws -> URL {
        let folder = projectRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures/twilio")
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("README.md").path) else {
            throw FixtureError("the shared Twilio fixtures are missing: expected them at \(folder.path) (../shared beside the project)")
        }
        return folder
    }

    /// A fixture file's text.
    static func text(_ name: String) throws -> String {
        try String(contentsOf: folder().appendingPathComponent(name), encoding: .utf8)
    }

    /// A recorded `.http` request.
    static func request(_ name: String) throws -> RecordedRequest {
        try RecordedRequest(parsing: text(name), name: name)
    }

    /// Every signed Chat and TaskRouter webhook fixture, by name.
    static func webhookNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder().path)
            .filter { ($0.hasPrefix("chat-on") || $0.hasPrefix("taskrouter-")) && $0.hasSuffix(".http") }.sorted()
    }
}

/// A request as a fixture file records it: request line, headers, body.
struct RecordedRequest: Sendable {
    var name: String
    var method: String
    var path: String
    var headers: [(name: String, value: String)]
    var body: String

    init(parsing text: String, name: String) throws {
        self.name = name
        guard let split = text.range(of: "\n\n") else { throw FixtureError("\(name): no blank line after the headers") }
        let head = text[..<split.lowerBound].split(separator: "\n").map(String.init)
        body = String(text[split.upperBound...])
        let requestLine = head.first?.split(separator: " ") ?? []
        guard requestLine.count >= 2 else { throw FixtureError("\(name): no request line") }
        method = String(requestLine[0])
        path = String(requestLine[1])
        headers = head.dropFirst().compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Headers to replay (Host and Content-Length are the client's).
    var replayHeaders: [(String, String)] {
        headers.filter { !["host", "content-length"].contains($0.name.lowercased()) }
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
