import BotRuntime
import FlowDSL

/// What every Flex outbox delivery shares: the settings it calls Twilio with, what a failure
/// becomes, and the events it files on the thread.
extension FlexIntegration {
    /// One delivery's `calls` to Twilio, with the settings of the integration the item names
    /// (rendered now, so no vault value is stored with the work). Twilio out or busy after the
    /// client's own quick tries asks the outbox to try again later; any other failure is logged
    /// and handed to `failed`.
    func delivering(_ item: OutboxItem, operation: String, engine: BotEngine,
                    calls: (FlexSettings) async throws -> DeliveryOutcome,
                    failed: (FlexError) -> DeliveryOutcome) async -> DeliveryOutcome {
        do {
            let integrationID = if case .string(let id)? = item.work.payload["integration_id"] { id } else { "" }
            return try await calls(try settings(of: integrationID, engine: engine))
        } catch {
            let failure = error as? FlexError ?? .call(.transport(operation: operation, detail: "\(error)"))
            logger.error("Twilio Flex call failed", metadata: ["thread": "\(item.threadID)", "operation": "\(operation)", "error": "\(failure)"])
            if case .call(let call) = failure, call.isTransient { return .retry(reason: "\(call)") }
            return failed(failure)
        }
    }

    /// A system event of the item's thread from Flex: `data` with the request's `keys`
    /// (`answers_step` among them for an answer a step waits for); filed once (the item's id is
    /// its idempotency key).
    static func event(_ type: String, for item: OutboxItem, _ data: TemplateMap, keeping keys: [String] = []) -> Event {
        var data = data
        for key in keys { data[key] = item.work.payload[key] }
        return Event(type: type, threadID: item.threadID, sender: .system, userID: "flex", data: data,
                     idempotencyKey: "parley.outbox.\(item.id)")
    }

    /// A failed answer's data: `flow.result`'s fields (`ok: false`, Twilio's `code` …) and the
    /// text of the error event the resumed step files.
    static func failureAnswer(_ failure: FlexError) -> TemplateMap {
        var data = failure.resultFields
        data["text"] = .string(failure.description)
        return data
    }
}
