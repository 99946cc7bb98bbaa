import Foundation
import Testing

@Suite("botcli webhooks")
struct WebhooksCommandTests {
    @Test("each integration's webhook under the public URL, then the web chat's")
    func flexGuide() async throws {
        let output = try await BotCLIRunner.run(["webhooks", "--app", BotCLIRunner.fixtureApp("flex-guide").path,
                                           "--public-url", "https://bot.example.com/"])
        #expect(output.status == 0, "stderr: \(output.stderr)")
        let entries = output.stdout.split(separator: "\n").filter { !$0.hasPrefix(" ") }
        let lines = entries.map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(lines == [
            ["integration.twilio.flex", "meya.twilio.flex.integration", "https://bot.example.com/webhooks/integration.twilio.flex"],
            ["web", "chat", "(REST)", "https://bot.example.com/webhooks/rest/webhook"],
        ], "\(output.stdout)")
        #expect(output.stderr == BotCLIRunner.programmableChatWarning + "\n")
    }

    @Test("under each Twilio integration, what to register: the TaskRouter callback, the Address Configuration with its filters, the pre-event webhook")
    func setupGuide() async throws {
        let output = try await BotCLIRunner.run(["webhooks", "--app", BotCLIRunner.templateApp.path, "--public-url", "https://bot.example.com"])
        #expect(output.status == 0, "stderr: \(output.stderr)")
        let text = output.stdout
        for line in [
            "    TaskRouter workspace → Settings → Event callbacks: https://bot.example.com/twilio/taskrouter/events",
            "      AutoCreation.Enabled=true AutoCreation.Type=webhook AutoCreation.WebhookMethod=POST",
            "      AutoCreation.WebhookUrl=https://bot.example.com/twilio/conversations/events",
            "      AutoCreation.WebhookFilters=onMessageAdded,onConversationStateUpdated,onDeliveryUpdated",
            "      PreWebhookUrl=https://bot.example.com/twilio/conversations/events Filters=onMessageAdd",
            "      Without it an agent's /command still runs, but reaches the customer's phone too.",
        ] {
            #expect(text.contains(line + "\n"), "missing `\(line)` in\n\(text)")
        }
        // Programmable Chat adds the chat service's post-event webhook; no Conversations element, no pre-event.
        let chat = try await BotCLIRunner.run(["webhooks", "--app", BotCLIRunner.fixtureApp("flex-guide").path, "--public-url", "https://bot.example.com"])
        #expect(chat.stdout.contains("Post-event webhook: https://bot.example.com/twilio/chat/events"), "\(chat.stdout)")
        #expect(!chat.stdout.contains("PreWebhookUrl"))
    }

    @Test("the default public URL is http://127.0.0.1:5005, or PARLEY_PUBLIC_URL")
    func defaults() async throws {
        let app = BotCLIRunner.fixtureApp("flex-guide").path
        let local = try await BotCLIRunner.run(["webhooks", "--app", app], environment: ["PARLEY_PUBLIC_URL": ""])
        #expect(local.stdout.contains("http://127.0.0.1:5005/webhooks/integration.twilio.flex"), "\(local.stdout)")
        let tunnel = try await BotCLIRunner.run(["webhooks", "--app", app], environment: ["PARLEY_PUBLIC_URL": "https://abc.tunnel.example"])
        #expect(tunnel.stdout.contains("https://abc.tunnel.example/webhooks/rest/webhook"), "\(tunnel.stdout)")
    }

    @Test("an app without integrations says so and still gives the web chat URL")
    func noIntegrations() async throws {
        let app = BotCLIRunner.fixtureApp("conversation-tests").path
        let output = try await BotCLIRunner.run(["webhooks", "--app", app, "--public-url", "https://bot.example.com"])
        #expect(output.status == 0, "stderr: \(output.stderr)")
        #expect(output.stdout.contains("has no integrations"))
        #expect(output.stdout.hasSuffix("web chat (REST)  https://bot.example.com/webhooks/rest/webhook\n"), "\(output.stdout)")
    }

    @Test("a public URL that is not http(s) and an invalid app are refused")
    func errors() async throws {
        let url = try await BotCLIRunner.run(["webhooks", "--app", BotCLIRunner.fixtureApp("flex-guide").path, "--public-url", "bot.example.com"])
        #expect(url.status != 0 && url.stderr.contains("--public-url must be an http:// or https:// URL"))
        let invalid = try await BotCLIRunner.run(["webhooks", "--app", BotCLIRunner.fixtureApp("ten-mistakes").path])
        #expect(invalid.status == 1 && invalid.stderr.contains("to list its webhooks"))
    }

    @Test("--help teaches the URL scheme")
    func help() async throws {
        let output = try await BotCLIRunner.run(["webhooks", "--help"])
        #expect(output.status == 0)
        for text in ["/webhooks/", "--public-url", "PARLEY_PUBLIC_URL", "http://127.0.0.1:5005", "--app"] {
            #expect(output.stdout.contains(text), "missing \(text)")
        }
    }
}
