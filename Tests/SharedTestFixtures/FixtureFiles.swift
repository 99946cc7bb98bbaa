import Foundation

/// The Twilio fixtures and signature vectors the tests replay, in the repository
/// (`Tests/Fixtures`, made by `scripts/twilio-fixtures` with Twilio's Python library; its
/// README lists them). One place finds them and parses their recorded requests, for every test
/// target that replays them; a missing file fails with what to do.
public enum FixtureFiles {
    /// `Tests/Fixtures` in the package.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// The folder of the Twilio fixtures, relative to `root`.
    public static let twilioFixtures = "twilio"

    /// A fixture file; a clear failure when it is missing.
    public static func url(_ relativePath: String) throws -> URL {
        let url = root.appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw FixtureError("\(url.path) does not exist: `scripts/twilio-fixtures` makes the test fixtures in \(root.path)")
        }
        return url
    }

    public static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: try url(relativePath))
    }

    public static func text(_ relativePath: String) throws -> String {
        String(decoding: try data(relativePath), as: UTF8.self)
    }

    /// A recorded `.http` request of the Twilio fixtures, by file name.
    public static func twilioRequest(_ name: String) throws -> RecordedRequest {
        try RecordedRequest(parsing: text("\(twilioFixtures)/\(name)"), name: name)
    }

    /// The Twilio fixtures' `.http` file names, sorted.
    public static func twilioRequestNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url(twilioFixtures).path).filter { $0.hasSuffix(".http") }.sorted()
    }

    /// The TwiML cases, relative to `root`: documents written by Twilio's library (made by
    /// `scripts/twiml-cases`, not by `scripts/twilio-fixtures`).
    public static let twimlCases = "twiml/cases.json"

    /// The TwiML cases file's bytes; a clear failure when it is missing.
    public static func twimlCasesData() throws -> Data {
        let url = root.appendingPathComponent(twimlCases)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw FixtureError("\(url.path) does not exist: `scripts/twiml-cases` makes it")
        }
        return try Data(contentsOf: url)
    }
}

/// A request as a fixture file records it: request line, headers, body (lines end in LF).
public struct RecordedRequest: Sendable {
    public var name: String
    public var method: String
    public var path: String
    public var headers: [(name: String, value: String)]
    public var body: String

    public init(parsing text: String, name: String) throws {
        self.name = name
        guard let split = text.range(of: "\n\n") else { throw FixtureError("\(name): no blank line after the headers") }
        let head = text[..<split.lowerBound].split(separator: "\n").map(String.init)
        body = String(text[split.upperBound...])
        let requestLine = head.first?.split(separator: " ") ?? []
        guard requestLine.count >= 2 else { throw FixtureError("\(name): no request line") }
        method = String(requestLine[0])
        path = String(requestLine[1])
        headers = try head.dropFirst().map { line in
            guard let colon = line.firstIndex(of: ":") else { throw FixtureError("\(name): header line `\(line)`") }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
    }

    /// The first value of a header, by case-insensitive name.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Headers to replay (Host and Content-Length are the client's).
    public var replayHeaders: [(String, String)] {
        headers.filter { !["host", "content-length"].contains($0.name.lowercased()) }
    }
}

/// A fixture or test set-up that is not as expected, said plainly.
public struct FixtureError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
