import BotRuntime
import FlowDSL
import Foundation

/// How a handoff's summary for the agent is made (the integration's `summary_fields`,
/// `summary_messages`, `summarizer_url`, `summarizer_timeout`).
public struct FlexSummaryOptions: Sendable, Equatable {
    /// The user scope fields the summary names, in this order (`name`, `email`, `issue`).
    public var fields = ["name", "email", "issue"]
    /// How many of the user's last messages it quotes.
    public var messages = 3
    /// An endpoint of the app's that writes the summary (see `FlexSummary`); none: extractive.
    public var summarizerURL: String?
    /// How long the summarizer may take before the extractive summary is used instead.
    public var summarizerTimeout: Duration = .seconds(3)

    public init() {}

    init(integrationID: String, fields: TemplateMap) throws(FlexError) {
        if case .list(let names)? = fields["summary_fields"] {
            self.fields = names.compactMap { TwilioSettingText.text($0) }
        }
        if case .int(let count)? = fields["summary_messages"], count >= 0 { messages = count }
        summarizerURL = TwilioSettingText.text(fields["summarizer_url"])
        if let url = summarizerURL, URL(string: url)?.scheme.map({ ["http", "https"].contains($0.lowercased()) }) != true {
            throw .invalidSetting(integration: integrationID, field: "summarizer_url", detail: "`\(url)` is not an http:// or https:// URL")
        }
        switch fields["summarizer_timeout"] {
        case .int(let seconds)? where seconds > 0: summarizerTimeout = .seconds(seconds)
        case .double(let seconds)? where seconds > 0 && seconds.isFinite: summarizerTimeout = .milliseconds(Int(seconds * 1000))
        default: break
        }
    }
}

/// What the agent is told when a thread is handed over (the "AI to human handoff" pattern): a
/// short text written to the task attributes (`conversationSummary`, with `handoffReason`) and
/// posted as the conversation's first message, so any Flex UI shows it.
///
/// By default it is extractive, made from the thread with no network call: the reason, the
/// user scope fields the integration names, and the user's last messages. `start_chat`'s
/// `summary:` replaces it with the app's own text. With `summarizer_url`, Parley POSTs
/// `FlexSummary.SummarizerRequest` as JSON and uses the `summary` text of a 2xx JSON answer;
/// a timeout, an error status or a malformed answer falls back to the extractive summary (and
/// is logged). What is sent holds what the ledger holds: vault values stay `[vault.KEY]`.
struct FlexSummary: Sendable, Equatable {
    /// Why the thread is handed over (`start_chat`'s `reason:`), if given.
    var reason: String?
    /// The app's own summary (`start_chat`'s `summary:`), if given.
    var given: String?
    /// The user scope fields named by the options that have a value, in their order.
    var facts: [Fact]

    /// One named user scope field and its text.
    struct Fact: Sendable, Equatable {
        var name: String
        var value: String
    }

    /// What the step knows: `reason`, `given`, and the named fields of the user scope.
    init(reason: String?, given: String?, userScope: TemplateMap, fields: [String]) {
        self.reason = reason?.nilIfBlank
        self.given = given?.nilIfBlank
        facts = fields.compactMap { name in
            guard let value = userScope[name], value != .none else { return nil }
            let text = if case .string(let string) = value { string } else { value.pythonString }
            return text.nilIfBlank.map { Fact(name: name, value: $0) }
        }
    }

    /// As an outbox payload keeps it.
    var payload: TemplateMap {
        ["reason": reason.map(TemplateValue.string) ?? .none, "given": given.map(TemplateValue.string) ?? .none,
         "facts": .list(facts.map { .map(["name": .string($0.name), "value": .string($0.value)]) })]
    }

    init(payload: TemplateMap) {
        func text(_ value: TemplateValue?) -> String? { if case .string(let text)? = value { text } else { nil } }
        reason = text(payload["reason"])
        given = text(payload["given"])
        if case .list(let items)? = payload["facts"] {
            facts = items.compactMap { item in
                guard case .map(let fact) = item, let name = text(fact["name"]), let value = text(fact["value"]) else { return nil }
                return Fact(name: name, value: value)
            }
        } else {
            facts = []
        }
    }

    /// The summary made from the thread alone: the app's own text when it gave one, else the
    /// reason, the facts and the user's `lastMessages`, one per line.
    func extractive(lastMessages: [String]) -> String {
        if let given { return given }
        var lines: [String] = []
        if let reason { lines.append("Reason: \(reason)") }
        lines += facts.map { "\($0.name): \($0.value)" }
        if !lastMessages.isEmpty {
            lines.append("Last messages from the user:")
            lines += lastMessages.map { "> \($0.replacingOccurrences(of: "\n", with: " "))" }
        }
        return lines.isEmpty ? "Handed over by the bot." : lines.joined(separator: "\n")
    }

    /// The JSON body POSTed to `summarizer_url`.
    struct SummarizerRequest: Encodable {
        struct Line: Encodable {
            /// `user` or `bot`.
            var sender: String
            var text: String
        }

        /// The Parley thread.
        var threadID: String
        var reason: String?
        /// The named user scope fields.
        var user: [String: String]
        /// The conversation before the handoff, oldest first.
        var transcript: [Line]
        /// What Parley would use without the summarizer.
        var extractiveSummary: String

        enum CodingKeys: String, CodingKey {
            case reason, user, transcript
            case threadID = "thread_id"
            case extractiveSummary = "extractive_summary"
        }
    }

    /// The answer a summarizer gives: `{"summary": "…"}`.
    struct SummarizerAnswer: Decodable {
        var summary: String
    }
}

extension String {
    /// Nil when only whitespace.
    var nilIfBlank: String? {
        let trimmed = trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}
