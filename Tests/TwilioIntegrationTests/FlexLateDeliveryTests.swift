import BotRuntime
import FlowDSL
import Foundation
import Testing
import TwilioIntegration
import TwilioWire

/// Twilio promises neither the order nor the timeliness of its webhooks. Whatever order the
/// queue entry, the acceptance, the agent's message and the end of the reservation arrive in,
/// the agent's message reaches the user once, no status line shows out of its time, and the
/// end of the handoff is told once.
@Suite("Flex: late and out-of-order deliveries")
struct FlexLateDeliveryTests {
    static let queued = "taskrouter-task-queue-entered.http"
    static let accepted = "taskrouter-reservation-accepted.http"
    static let message = "chat-onMessageSent.http"
    static let completed = "taskrouter-reservation-completed.http"

    /// Every order of the four deliveries (24).
    static let orders: [[String]] = {
        func permutations(_ items: [String]) -> [[String]] {
            guard items.count > 1 else { return [items] }
            return items.indices.flatMap { index in
                var rest = items
                let first = rest.remove(at: index)
                return permutations(rest).map { [first] + $0 }
            }
        }
        return permutations([queued, accepted, message, completed])
    }()

    @Test("every order of queue entry, acceptance, agent message and completion", arguments: orders)
    func order(_ deliveries: [String]) async throws {
        try await FlexBot.with { bot in
            try await bot.startHandoff()
            let start = try await bot.ledger().last?.sequence ?? 0
            for name in deliveries { try await bot.taskRouter(name) }
            let added = try await bot.ledger().filter { $0.sequence > start }
            let lines = added.flatMap(\.plainLines)
            func before(_ a: String, _ b: String) -> Bool { deliveries.firstIndex(of: a)! < deliveries.firstIndex(of: b)! }

            let agentLines = lines.filter { $0.hasPrefix("agent(") && $0.contains("I'll take it from here") }
            #expect(agentLines.count == 1, "\(deliveries): \(lines)")
            let queueShown = lines.contains("status: You're in the queue (priority 0).")
            #expect(queueShown == (before(Self.queued, Self.accepted) && before(Self.queued, Self.completed)), "\(deliveries): \(lines)")
            let joinShown = lines.contains { $0.hasSuffix("has joined the chat.") }
            #expect(joinShown == before(Self.accepted, Self.completed), "\(deliveries): \(lines)")
            #expect(lines.filter { $0 == "status: The agent has left the chat." }.count == 1, "\(deliveries): \(lines)")
            #expect(try await bot.mode() == "bot")
            // What came too late is filed, with why, and ran nothing.
            for event in added where event.data["ignored"] != nil { #expect(event.sender == .system) }
            // And the bot answers again.
            try await bot.say("hello")
            #expect(try await bot.ledger().flatMap(\.plainLines).last == "bot: Hello from the bot")
        }
    }

    @Test("an agent command after the chat closed does not run; the same delivery 20 times after the end is filed once")
    func lateCommandAndRetries() async throws {
        try await FlexBot.with { bot in
            try await bot.startHandoff()
            try await bot.taskRouter(Self.accepted)
            try await bot.taskRouter(Self.completed)
            let start = try await bot.ledger().last?.sequence ?? 0
            let command = try await bot.agentSays("/ask_issue_frequency")
            #expect(command.status == 204)
            for _ in 1...20 { try await bot.taskRouter(Self.queued) }
            try await bot.settle()
            let added = try await bot.ledger().filter { $0.sequence > start }
            #expect(!added.flatMap(\.plainLines).contains { $0.contains("How often") })
            #expect(added.filter { $0.type == FlexElements.Event.taskQueueEntered }.count == 1)
            #expect(added.flatMap(\.plainLines).filter { $0.hasPrefix("status:") }.isEmpty)
        }
    }

    @Test("a signed TaskRouter delivery whose Timestamp overflows in milliseconds is taken without a time, not a crash")
    func absurdTimestamp() async throws {
        try await FlexBot.with { bot in
            try await bot.startHandoff()
            var form = TwilioForm()
            for field in try TwilioForm(encoded: try TwilioFixtures.request(Self.queued).body).fields where field.name != "TimestampMs" {
                form.append(field.name, field.name == "Timestamp" ? "9999999999999999" : field.value)
            }
            #expect(try await bot.deliver(form, path: "/twilio/taskrouter/events").status == 204)
            try await bot.settle()
            let queued = try await bot.ledger().last { $0.type == FlexElements.Event.taskQueueEntered }
            #expect(queued != nil)
            #expect(queued?.data["event_ms"] == nil)
            #expect(try await bot.say("hello").status == 200)
        }
    }
}
