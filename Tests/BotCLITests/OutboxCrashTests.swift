import Foundation
import HummingbirdTesting
import Testing
import TwilioEmulator

/// The durable outbox through the real `botcli serve`: messages the agent must see, committed
/// while Twilio was out, survive `kill -9` and reach the agent after a restart, each once and
/// in the user's order.
@Suite("Outbox: botcli serve killed with work queued")
struct OutboxCrashTests {
    @Test("kill -9 while Twilio is out: after a restart every relayed message reaches the agent once, in order")
    func killedWithRelaysQueued() async throws {
        let (app, emulator) = try await FlexHandoffServeTests.templateWithEmulator()
        defer { try? FileManager.default.removeItem(at: app) }
        do {
            let environment = ["PARLEY_ADMIN_TOKEN": FlexHandoffServeTests.token]
            let texts = (1...5).map { "message \($0) while Twilio is out" }

            let (first, firstPort) = try await BotCLIRunner.serve(app: app, environment: environment)
            try await FlexHandoffServeTests.pointWebhooks(of: emulator, at: firstPort)
            let channel = try await TestClient.withClient(host: "127.0.0.1", port: firstPort) { client in
                let handoff = FlexHandoffServeTests.Handoff(emulator: emulator, client: client)
                let task = try await FlexHandoffServeTests.handOver(handoff)
                try await handoff.agent.accept(task.sid)
                try await handoff.waitForLedger("status: Alice E. joined the chat.")
                emulator.setOutage(true)
                // Each acknowledged: committed, with its relay in the outbox.
                for text in texts { #expect(try await handoff.message(text) == []) }
                return task.channelSid
            }
            // Long enough for the first tries to fail; then the process dies with the work queued.
            try await Task.sleep(for: .seconds(2))
            first.send(SIGKILL)
            _ = try await first.waitForExit()
            // A request the dead process sent just before may still be on its way through the
            // emulator: it must meet the outage too. Had it been taken after the outage, its answer
            // lost with the process, the restarted bot would post it again (Conversations has no
            // idempotency key for a message; seen twice on a loaded machine).
            try await Task.sleep(for: .milliseconds(500))
            emulator.setOutage(false)
            #expect(try await emulator.agent.messages(channel: channel, wait: .zero).value.messages.allSatisfy { !texts.contains($0.body) })

            let (second, secondPort) = try await BotCLIRunner.serve(app: app, environment: environment)
            defer { second.send(SIGTERM) }
            try await FlexHandoffServeTests.pointWebhooks(of: emulator, at: secondPort)
            _ = try await emulator.agent.waitForMessages(channel: channel, timeout: .seconds(30)) { messages in
                messages.filter { texts.contains($0.body) }.count >= texts.count
            }
            // A moment more: nothing is delivered twice.
            try await Task.sleep(for: .seconds(1))
            let messages = try await emulator.agent.messages(channel: channel, wait: .zero).value.messages
            let bodies = messages.map(\.body)
            let sent = messages.filter { texts.contains($0.body) }.map { "\($0.sid) \($0.body) \($0.attributes) \($0.dateCreated)" }
            #expect(bodies.filter { texts.contains($0) } == texts,
                    "\(sent.joined(separator: "\n"))\nfirst: \(first.output)\nsecond: \(second.output)")
            #expect(second.output.contains("resumed outbound work"), "\(second.output)")
        } catch {
            await emulator.stop()
            throw error
        }
        await emulator.stop()
    }
}
