import BotRuntime
import FlowDSL
import Foundation

/// The handoff summary at delivery time (`FlexSummary`): extractive from the thread, or the
/// app's summarizer's when it answers in time.
extension FlexIntegration {
    /// The summary the agent reads for `request`, from the thread's `events`.
    func summary(of request: FlexHandoffRequest, thread: String, events: [Event], settings: FlexSettings) async -> String {
        // The summary draws on the whole thread read, whatever the transcript options keep.
        let lines = FlexTranscript(options: settings.transcript).messages(events, last: events.count)
        let lastMessages = lines.filter { $0.sender == .user }.suffix(settings.summary.messages).map(\.text)
        let extractive = request.summary.extractive(lastMessages: Array(lastMessages))
        guard request.summary.given == nil, let url = settings.summary.summarizerURL else { return extractive }
        let body = FlexSummary.SummarizerRequest(
            threadID: thread, reason: request.summary.reason,
            user: Dictionary(request.summary.facts.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first }),
            transcript: lines.map { .init(sender: $0.sender.rawValue, text: $0.text) }, extractiveSummary: extractive)
        let why: String
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let (status, text) = try await rest.postJSON("summarize", url, body: (try? encoder.encode(body)) ?? Data(),
                                                         timeout: settings.summary.summarizerTimeout)
            if (200..<300).contains(status), let answer = try? JSONDecoder().decode(FlexSummary.SummarizerAnswer.self, from: Data(text.utf8)),
               let summary = answer.summary.nilIfBlank {
                return summary
            }
            why = (200..<300).contains(status) ? "its answer has no `summary` text" : "it answered HTTP \(status)"
        } catch {
            why = "\(error)"
        }
        logger.warning("Flex summarizer not used; the extractive summary goes instead",
                       metadata: ["thread": "\(thread)", "integration": "\(settings.integrationID)", "why": "\(why)"])
        return extractive
    }
}
