import Foundation
import Testing

@Suite("botcli webhooks")
struct WebhooksCommandTests {
    @Test("each integration's webhook under the public URL, then the web chat's")
    func flexGuide() throws {
        let output = try BotCLIRunner.run(["webhooks", "--app", BotCLIRunner.fixtureApp("flex-guide").path,
                                           "--public-url", "https://bot.example.com/"])
        #expect(output.status == 0, "stderr: \(output.stderr)")
        let lines = output.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(lines == [
            ["integration.twilio.flex", "meya.twilio.flex.integration", "https://bot.example.com/webhooks/integration.twilio.flex"],
            ["web", "chat", "(REST)", "https://bot.example.com/webhooks/rest/webhook"],
        ], "\(output.stdout)")
        #expect(output.stderr == BotCLIRunner.programmableChatWarning + "\n")
    }

    @Test("the default public URL is http://127.0.0.1:5005, or PARLEY_PUBLIC_URL")
    func defaults() throws {
        let app = BotCLIRunner.fixtureApp("flex-guide").path
        let local = try BotCLIRunner.run(["webhooks", "--app", app], environment: ["PARLEY_PUBLIC_URL": ""])
        #expect(local.stdout.contains("http://127.0.0.1:5005/webhooks/integration.twilio.flex"), "\(local.stdout)")
        let tunnel = try BotCLIRunner.run(["webhooks", "--app", app], environment: ["PARLEY_PUBLIC_URL": "https://abc.tunnel.example"])
        #expect(tunnel.stdout.contains("https://abc.tunnel.example/webhooks/rest/webhook"), "\(tunnel.stdout)")
    }

    @Test("an app without integrations says so and still gives the web chat URL")
    func noIntegrations() throws {
        let app = BotCLIRunner.fixtureApp("conversation-tests").path
        let output = try BotCLIRunner.run(["webhooks", "--app", app, "--public-url", "https://bot.example.com"])
        #expect(output.status == 0, "stderr: \(output.stderr)")
        #expect(output.stdout.contains("has no integrations"))
        #expect(output.stdout.hasSuffix("web chat (REST)  https://bot.example.com/webhooks/rest/webhook\n"), "\(output.stdout)")
    }

    @Test("a public URL that is not http(s) and an invalid app are refused")
    func errors() throws {
        let url = try BotCLIRunner.run(["webhooks", "--app", BotCLIRunner.fixtureApp("flex-guide").path, "--public-url", "bot.example.com"])
        #expect(url.status != 0 && url.stderr.contains("--public-url must be an http:// or https:// URL"))
        let invalid = try BotCLIRunner.run(["webhooks", "--app", BotCLIRunner.fixtureApp("ten-mistakes").path])
        #expect(invalid.status == 1 && invalid.stderr.contains("to list its webhooks"))
    }

    @Test("--help teaches the URL scheme")
    func help() throws {
        let output = try BotCLIRunner.run(["webhooks", "--help"])
        #expect(output.status == 0)
        for text in ["/webhooks/", "--public-url", "PARLEY_PUBLIC_URL", "http://127.0.0.1:5005", "--app"] {
            #expect(output.stdout.contains(text), "missing \(text)")
        }
    }
}
