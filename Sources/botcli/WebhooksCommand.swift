import ArgumentParser
import BotServer
import FlowDSL
import ParleyApp
import Foundation

/// `botcli webhooks`: the full URL of every webhook the served app receives.
struct WebhooksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks",
        abstract: "Print the webhook URL of each integration of the app, and of the web chat.",
        discussion: """
            Services such as Twilio call the bot back at a URL you register in their console. \
            Each integration element receives its webhooks at PUBLIC_URL/webhooks/ID, where ID \
            is the element's id (integration/twilio/flex.yaml → integration.twilio.flex); the web chat \
            posts to PUBLIC_URL/webhooks/rest/webhook. One line per webhook: the id, its type \
            and the URL, the web chat last; under an integration, what to register in its \
            service's console (Twilio: the TaskRouter event callback, each number's Address \
            Configuration, the Conversations pre-event webhook). An app without integrations \
            gets a note saying so, and the web chat URL.

            PUBLIC_URL is where the outside world reaches `botcli serve` — the --public-url you \
            serve with, such as your tunnel's or proxy's https:// address; services cannot \
            call 127.0.0.1.

            Try it:
              botcli webhooks --app my-bot --public-url https://bot.example.com
            """
    )

    @OptionGroup var options: AppOptions

    @Option(name: .customLong("public-url"),
            help: ArgumentHelp("The URL the server is reached at, e.g. https://bot.example.com "
                               + "(default: $PARLEY_PUBLIC_URL, else \(WebhookDirectory.defaultPublicURL)).",
                               valueName: "url"))
    var publicURL: String?

    func validate() throws {
        let url = resolvedPublicURL()
        guard let parsed = URL(string: url), let scheme = parsed.scheme, ["http", "https"].contains(scheme), parsed.host != nil else {
            throw ValidationError("--public-url must be an http:// or https:// URL, not `\(url)`")
        }
    }

    func run() throws {
        let app = try options.loadApp(toDo: "list its webhooks")
        let directory = WebhookDirectory(app: app, publicURL: resolvedPublicURL(), integrations: ParleyIntegrations.standard)
        if directory.integrations.isEmpty {
            print("\(options.name) has no integrations (integration/*.yaml): no service webhook to register.")
        }
        let entries = directory.integrations + [directory.webChat]
        let nameWidth = entries.map(\.name.count).max() ?? 0
        let typeWidth = entries.map { $0.type?.count ?? 0 }.max() ?? 0
        for entry in entries {
            let name = entry.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            let type = (entry.type ?? "").padding(toLength: typeWidth, withPad: " ", startingAt: 0)
            print(typeWidth == 0 ? "\(name)  \(entry.url)" : "\(name)  \(type)  \(entry.url)")
            for line in entry.setup { print("    " + line) }
        }
    }

    private func resolvedPublicURL() -> String {
        publicURL ?? ProcessInfo.processInfo.environment["PARLEY_PUBLIC_URL"].flatMap { $0.isEmpty ? nil : $0 }
            ?? WebhookDirectory.defaultPublicURL
    }
}
