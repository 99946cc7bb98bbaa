import Foundation
import Yams

/// A scripted Dialogflow CX agent for `<Connect><VirtualAgent connectorName=…>`: what it answers
/// to each thing a caller says, and how its session ends. It exists so a call can go through a
/// virtual agent and back to the bot (or on to Flex) with no Google or Twilio account.
///
/// Written in YAML (`botcli flex emulator --virtual-agent FILE`, or `init(yaml:)`):
///
/// ```yaml
/// connector_name: software-help        # the name the bot's <VirtualAgent connectorName> uses
/// language: en                         # LanguageCode of its turns (default en)
/// welcome: Hi, I'm the software assistant. What's going on?   # said when the session starts
/// resumed: Welcome back. Where were we?                       # said when a paused session resumes
/// turns:                               # the first with a `when` phrase starting a word the caller says
///   - when: [crash, freezes]
///     reply: Sorry to hear that. Which app is it?
///     intent: software.crash           # IntentDisplayName
///     confidence: 0.92
///     sentiment: -0.4                  # SentimentAnalysisScore (optional)
///   - when: [person, agent]
///     reply: Let me find you a person.
///     intent: handoff.agent
///     end: live-agent-handoff          # completed | live-agent-handoff | paused | failed
///     parameters: {reason: editor crash}   # AgentHandoffParameters, or PauseParameters on `paused`
///   - when: [broken]
///     end: failed
///     error_code: 32601
///     error: "INVALID_ARGUMENT: …"     # VirtualAgentProviderError
/// fallback:                            # when no turn matches (default: "Sorry, could you say that again?")
///   reply: Sorry, could you say that another way?
///   intent: Default Negative Intent
///   confidence: 0.3
/// ```
///
/// Each matched turn is one statusCallback (`StatusCallbackEvent=intent`); a turn with `end`
/// then ends the session with the `<Connect>` action callback.
public struct VirtualAgentScript: Sendable, Equatable, Decodable {
    public var connectorName: String
    public var language: String
    public var welcome: String?
    public var resumed: String?
    public var turns: [Turn]
    public var fallback: Turn

    /// One answer of the agent.
    public struct Turn: Sendable, Equatable, Decodable {
        /// Phrases, any of which starting a word of what the caller says (ignoring case) picks this turn.
        public var when: [String]
        public var reply: String?
        public var intent: String?
        public var confidence: Double?
        public var sentiment: Double?
        /// How the session ends after this turn; nil: it goes on.
        public var end: Ending?
        /// `AgentHandoffParameters` (live-agent-handoff) or `PauseParameters` (paused).
        public var parameters: [String: String]
        public var errorCode: Int?
        public var error: String?

        public init(when: [String] = [], reply: String? = nil, intent: String? = nil, confidence: Double? = nil, sentiment: Double? = nil,
                    end: Ending? = nil, parameters: [String: String] = [:], errorCode: Int? = nil, error: String? = nil) {
            (self.when, self.reply, self.intent, self.confidence, self.sentiment) = (when, reply, intent, confidence, sentiment)
            (self.end, self.parameters, self.errorCode, self.error) = (end, parameters, errorCode, error)
        }

        enum CodingKeys: String, CodingKey {
            case when, reply, intent, confidence, sentiment, end, parameters, error
            case errorCode = "error_code"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(when: try container.decodeIfPresent([String].self, forKey: .when) ?? [],
                      reply: try container.decodeIfPresent(String.self, forKey: .reply),
                      intent: try container.decodeIfPresent(String.self, forKey: .intent),
                      confidence: try container.decodeIfPresent(Double.self, forKey: .confidence),
                      sentiment: try container.decodeIfPresent(Double.self, forKey: .sentiment),
                      end: try container.decodeIfPresent(Ending.self, forKey: .end),
                      parameters: try container.decodeIfPresent([String: String].self, forKey: .parameters) ?? [:],
                      errorCode: try container.decodeIfPresent(Int.self, forKey: .errorCode),
                      error: try container.decodeIfPresent(String.self, forKey: .error))
        }
    }

    /// `VirtualAgentStatus` of a session's end.
    public enum Ending: String, Sendable, Equatable, Decodable, CaseIterable {
        case completed
        case liveAgentHandoff = "live-agent-handoff"
        case paused, failed
    }

    public static let defaultFallback = Turn(reply: "Sorry, could you say that again?", intent: "Default Negative Intent", confidence: 0.3)

    public init(connectorName: String, language: String = "en", welcome: String? = nil, resumed: String? = nil, turns: [Turn],
                fallback: Turn = VirtualAgentScript.defaultFallback) {
        (self.connectorName, self.language, self.welcome, self.resumed) = (connectorName, language, welcome, resumed)
        (self.turns, self.fallback) = (turns, fallback)
    }

    enum CodingKeys: String, CodingKey {
        case language, welcome, resumed, turns, fallback
        case connectorName = "connector_name"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(connectorName: try container.decode(String.self, forKey: .connectorName),
                  language: try container.decodeIfPresent(String.self, forKey: .language) ?? "en",
                  welcome: try container.decodeIfPresent(String.self, forKey: .welcome),
                  resumed: try container.decodeIfPresent(String.self, forKey: .resumed),
                  turns: try container.decodeIfPresent([Turn].self, forKey: .turns) ?? [],
                  fallback: try container.decodeIfPresent(Turn.self, forKey: .fallback) ?? Self.defaultFallback)
    }

    /// Reads a script; `source` names it in errors (a file's path).
    public init(yaml: String, source: String) throws(VirtualAgentScriptError) {
        do {
            self = try YAMLDecoder().decode(Self.self, from: yaml)
        } catch let error as DecodingError {
            throw VirtualAgentScriptError(source: source, message: Self.describe(error))
        } catch {
            throw VirtualAgentScriptError(source: source, message: "\(error)")
        }
        guard !connectorName.isEmpty else { throw VirtualAgentScriptError(source: source, message: "connector_name is empty") }
        for (index, turn) in turns.enumerated() where turn.when.isEmpty {
            throw VirtualAgentScriptError(source: source, message: "turns[\(index)] has no `when` phrases: it could never be picked")
        }
    }

    /// Reads the script in the file at `path` (`--virtual-agent FILE`).
    public init(contentsOfFile path: String) throws(VirtualAgentScriptError) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw VirtualAgentScriptError(source: path, message: "cannot be read: \(error.localizedDescription)")
        }
        try self.init(yaml: text, source: path)
    }

    /// The turn for what the caller said: the first with a phrase that starts a word of theirs
    /// (ignoring case: `freez` is in "it freezes", `no` is not in "I know"), else the fallback.
    func turn(for utterance: String) -> Turn {
        let said = utterance.lowercased()
        func starts(_ phrase: String) -> Bool {
            var rest = said[...]
            while let found = rest.range(of: phrase.lowercased()) {
                if found.lowerBound == said.startIndex || !said[said.index(before: found.lowerBound)].isLetter { return true }
                rest = said[found.upperBound...]
            }
            return false
        }
        return turns.first { turn in turn.when.contains { !$0.isEmpty && starts($0) } } ?? fallback
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
            return keys.hasPrefix(".") ? String(keys.dropFirst()) : keys
        }
        switch error {
        case .keyNotFound(let key, let context):
            let at = path(context)
            return "`\(key.stringValue)` is missing" + (at.isEmpty ? "" : " in \(at)")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(path(context)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            let at = path(context)
            if at.hasSuffix(".end") {
                return "\(at): not one of \(Ending.allCases.map(\.rawValue).joined(separator: ", "))"
            }
            return (at.isEmpty ? "" : at + ": ") + context.debugDescription
        @unknown default:
            return "\(error)"
        }
    }
}

/// Why a virtual agent script could not be read.
public struct VirtualAgentScriptError: Error, CustomStringConvertible, Equatable {
    public var source: String
    public var message: String

    public var description: String { "virtual agent script \(source): \(message)" }
}
