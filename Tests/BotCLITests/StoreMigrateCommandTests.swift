import Foundation
import SharedTestFixtures
import Testing

/// `botcli store migrate` against the real binary: the template app's conversation begun on its
/// SQLite file goes on in PostgreSQL exactly as it would have gone on in the file.
@Suite("botcli store migrate")
struct StoreMigrateCommandTests {
    static let token = "store-migrate-admin-token-0123456789"
    static let messages = [
        #"{"sender": "ana", "event": "page_open", "url": "https://example.com", "message_id": "m1"}"#,
        #"{"sender": "ana", "message": "Ana", "message_id": "m2"}"#,
        #"{"sender": "ana", "message": "Software", "message_id": "m3"}"#,
    ]

    /// `messages` sent to a server of `app` on `arguments`' store; the answers' texts.
    static func talk(_ app: URL, _ messages: ArraySlice<String>, arguments: [String] = []) async throws -> (answers: [[String]], ledger: Ledger) {
        let (server, port) = try await BotCLIRunner.serve(app: app, arguments: arguments, environment: ["PARLEY_ADMIN_TOKEN": token])
        var answers: [[String]] = []
        for message in messages {
            let reply = try await LoopbackHTTP.request(port: port, .post, "/webhooks/rest/webhook", body: message)
            #expect(reply.status == 200, "\(reply.body)")
            answers.append(MessageLoad.texts(of: reply.body))
        }
        let ledger = try await Ledger.read("ana", port: port, token: token)
        server.send(SIGTERM)
        #expect(try await server.waitForExit().status == 0)
        return (answers, ledger)
    }

    @Test("the template's conversation and vault, begun on SQLite and copied into PostgreSQL, go on there as they would have in the file")
    func conversationContinues() async throws {
        let control = try SimulateCommandTests.copyOfTemplateApp(), app = try SimulateCommandTests.copyOfTemplateApp()
        defer { for folder in [control, app] { try? FileManager.default.removeItem(at: folder) } }
        let expected = try await Self.talk(control, Self.messages[...])
        // The app's vault holds its support number, sealed in the app's SQLite file.
        #expect(try await BotCLIRunner.run(["vault", "keygen", "--app", app.path]).status == 0)
        let secrets = app.appendingPathComponent("vault.secret.yaml")
        try Data("support_phone: '+1-555-0142'\n".utf8).write(to: secrets)
        #expect(try await BotCLIRunner.run(["vault", "upload", "--app", app.path, "--file", secrets.path]).status == 0)

        let before = try await Self.talk(app, Self.messages.prefix(2))
        #expect(before.answers == Array(expected.answers.prefix(2)))
        let database = try await TestPostgres.database() + "?sslmode=disable"
        let migrate = try await BotCLIRunner.run(["store", "migrate", "--app", app.path, "--to", database])
        #expect(migrate.status == 0, "\(migrate.stderr)")
        let report = migrate.stdout.split(separator: "\n").map(String.init)
        #expect(report.contains("1 threads") && report.contains("\(before.ledger.events.count) ledger events"), "\(migrate.stdout)")
        #expect(report.contains("2 message receipts") && report.contains("1 vault keys"), "\(migrate.stdout)")

        // A second copy into the same database is refused, and changes nothing.
        let again = try await BotCLIRunner.run(["store", "migrate", "--app", app.path, "--to", database])
        #expect(again.status == 1)
        #expect(again.stderr.contains("nothing was copied: the database already holds 1 thread and 1 vault key;"), "\(again.stderr)")

        // From here on the app's SQLite file is gone: what the bot knows comes from the database.
        for suffix in ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(at: app.appendingPathComponent(".parley/state.sqlite\(suffix)"))
        }
        let after = try await Self.talk(app, Self.messages.suffix(1), arguments: ["--store", database])
        #expect(after.answers == Array(expected.answers.suffix(1)))
        #expect(after.ledger.events.map(\.text) == expected.ledger.events.map(\.text))
        #expect(after.ledger.events.map(\.sequence) == Array(1...expected.ledger.events.count))
        #expect(after.ledger.lastSequence == expected.ledger.lastSequence)
        // A message sent before the copy is still answered from its receipt.
        let resent = try await Self.talk(app, Self.messages.prefix(1), arguments: ["--store", database])
        #expect(resent.answers == Array(expected.answers.prefix(1)))
        #expect(resent.ledger.events.count == expected.ledger.events.count)
        // The vault came along: the bot on PostgreSQL shows the number stored before the copy.
        let contact = try await Self.talk(app, [#"{"sender": "ben", "message": "contact"}"#], arguments: ["--store", database])
        #expect(contact.answers.first?.contains { $0.hasPrefix("You can call us at +1-555-0142,") } == true, "\(contact.answers)")
    }

    @Test("without a database, or with a file that is not there, it says what to give and copies nothing")
    func refusals() async throws {
        let missing = try await BotCLIRunner.run(["store", "migrate", "--app", BotCLIRunner.templateApp.path],
                                                 environment: ["PARLEY_DATABASE_URL": ""])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("--to postgres://"), "\(missing.stderr)")
        let nothing = try await BotCLIRunner.run(["store", "migrate", "--app", BotCLIRunner.templateApp.path, "--from", "/nonexistent/state.sqlite",
                                                  "--to", "postgres://bot:hunter2@127.0.0.1:1/x"])
        #expect(nothing.status == 1)
        #expect(nothing.stderr.contains("/nonexistent/state.sqlite does not exist"), "\(nothing.stderr)")
        #expect(!nothing.stderr.contains("hunter2"))
    }
}
