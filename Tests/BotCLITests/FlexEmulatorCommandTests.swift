import Foundation
import Testing
import TwilioEmulator

@Suite("botcli flex emulator")
struct FlexEmulatorCommandTests {
    /// The API base URL the emulator's banner prints, once it has.
    static func apiBaseURL(of process: BotCLIProcess) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(30)
        var base: String?
        while base == nil, ContinuousClock.now < deadline, process.isRunning {
            base = process.output.firstMatch(of: /API base URL +(http:\/\/127\.0\.0\.1:\d+)/).map { String($0.1) }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try #require(base, "\(process.output)")
    }

    @Test("--sms-number routes a customer's text into a conversation whose webhook is --conversations-webhook-url, also the pre-event webhook")
    func phone() async throws {
        let hook = "http://127.0.0.1:9/twilio/conversations/events"
        let process = try BotCLIProcess(["flex", "emulator", "--port", "0", "--sms-number", "+15555550199",
                                         "--conversations-webhook-url", hook])
        defer { process.send(SIGTERM) }
        let url = try await Self.apiBaseURL(of: process)
        #expect(process.output.contains("Phone numbers   +15555550199 → \(hook)"), "\(process.output)")
        // The vault lines are unindented: they paste into vault.secret.yaml as they are.
        #expect(process.output.contains("\ntwilio.account_sid: \(TwilioEmulator.Defaults.accountSid)\n"), "\(process.output)")
        let agent = AgentClient(baseURL: url)
        let text = try await agent.text("Hi", from: "+15555550100", to: "+15555550199")
        #expect(text.conversationSid.hasPrefix("CH"))
        let deliveries = try await agent.deliveries(wait: .zero).value
        #expect(deliveries.contains { $0.eventType == "onMessageAdded" && $0.url == hook }, "\(deliveries)")
    }

    @Test("a number that is not E.164 is refused, naming the option")
    func invalidNumber() async throws {
        let output = try await BotCLIRunner.run(["flex", "emulator", "--port", "0", "--whatsapp-number", "5550199"])
        #expect(output.status != 0)
        #expect(output.stderr.contains("--whatsapp-number takes a number in E.164 form"), "\(output.stderr)")
    }

    @Test("--voice-number takes calls that ask --voice-url, with --virtual-agent scripts; a script that does not read stops it with where and why")
    func voice() async throws {
        let softwareHelp = SimulateCommandTests.softwareHelp
        let process = try BotCLIProcess(["flex", "emulator", "--port", "0", "--voice-number", "+15555550199",
                                         "--voice-url", "http://127.0.0.1:9/twilio/voice/incoming", "--virtual-agent", softwareHelp])
        defer { process.send(SIGTERM) }
        let url = try await Self.apiBaseURL(of: process)
        #expect(process.output.contains("Voice           +15555550199 → http://127.0.0.1:9/twilio/voice/incoming; virtual agents: software-help"),
                "\(process.output)")
        // Nobody answers at that URL: the call ends on Twilio's 11200, and its status callback is queued.
        let call = try await AgentClient(baseURL: url).call(from: "+15555550100", to: "+15555550199")
        #expect(call.state == "ended" && call.errors.first?.hasPrefix("11200") == true, "\(call.errors)")

        let broken = try BotCLIRunner.temporaryApp(["agent.yaml": "connector_name: x\nturns:\n  - when: [a]\n    end: over\n"], prefix: "agent")
        defer { try? FileManager.default.removeItem(at: broken) }
        let file = broken.appendingPathComponent("agent.yaml").path
        let refused = try await BotCLIRunner.run(["flex", "emulator", "--port", "0", "--virtual-agent", file])
        #expect(refused.status == 1 && refused.stderr.contains("virtual agent script \(file): turns[0].end: not one of"), "\(refused.stderr)")
    }
}
