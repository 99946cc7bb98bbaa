import Foundation
import SharedTestFixtures
import Testing

/// The vault of replicas sharing a PostgreSQL database lives there: a change made through
/// `botcli vault … --store URL` or through one replica's admin API reaches the bot on every
/// replica without a restart, and nothing is read from or written to the app's SQLite file.
@Suite("botcli vault on PostgreSQL replicas")
struct VaultReplicaTests {
    /// Polls `contact` on `port` until its answer holds `text` (within ten seconds).
    static func eventually(port: Int, shows text: String, sender: String) async throws -> Bool {
        for attempt in 0..<100 {
            if try await VaultRemoteUploadTests.contact(port: port, sender: "\(sender)-\(attempt)").contains(text) { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test("vault upload, list, check and rm with --store act on the database; both replicas use each change at once")
    func sharedVault() async throws {
        let app = try await VaultRemoteUploadTests.makeApp()
        defer { try? FileManager.default.removeItem(at: app) }
        let database = try await TestPostgres.database() + "?sslmode=disable&lease=2"
        let token = app.appendingPathComponent("admin.token").path
        let (first, firstPort) = try await BotCLIRunner.serve(app: app, arguments: ["--store", database, "--admin-token-file", token])
        let (second, secondPort) = try await BotCLIRunner.serve(app: app, arguments: ["--store", database])
        #expect(try await VaultRemoteUploadTests.contact(port: secondPort, sender: "before").contains("[vault.support_phone]"))

        // Sealed here, stored in the database: both running replicas read it again.
        let secrets = app.appendingPathComponent("vault.secret.yaml").path
        let upload = try await BotCLIRunner.run(["vault", "upload", "--app", app.path, "--file", secrets, "--store", database])
        #expect(upload.status == 0, "\(upload.stderr)")
        #expect(upload.stdout.contains("added: support_phone, api.token"), "\(upload.stdout)")
        for port in [firstPort, secondPort] {
            #expect(try await Self.eventually(port: port, shows: "You can call us at \(VaultRemoteUploadTests.phone)", sender: "cli-\(port)"))
        }
        let list = try await BotCLIRunner.run(["vault", "list", "--app", app.path], environment: ["PARLEY_DATABASE_URL": database])
        #expect(list.stdout.contains("api.token") && list.stdout.contains("support_phone"), "\(list.stdout)\(list.stderr)")
        // The template names Twilio keys too; what the database holds is not among the missing,
        // while the app's own (empty) file lacks it.
        let check = try await BotCLIRunner.run(["vault", "check", "--app", app.path, "--store", database])
        #expect(check.stderr.contains("missing from the vault") && !check.stderr.contains("`support_phone` is not stored"), "\(check.stderr)")
        let local = try await BotCLIRunner.run(["vault", "check", "--app", app.path], environment: ["PARLEY_DATABASE_URL": ""])
        #expect(local.stderr.contains("vault key `support_phone` is not stored"), "\(local.stderr)")
        #expect(!FileManager.default.fileExists(atPath: app.appendingPathComponent(".parley/state.sqlite").path),
                "nothing went to the app's SQLite file")

        // Through the first replica's admin API: the second uses the new value too.
        try Data("support_phone: '+1-555-0177'\n".utf8).write(to: app.appendingPathComponent("vault.secret.yaml"))
        let remote = try await VaultRemoteUploadTests.upload(app, to: "http://127.0.0.1:\(firstPort)")
        #expect(remote.status == 0, "\(remote.stderr)")
        #expect(try await Self.eventually(port: secondPort, shows: "You can call us at +1-555-0177", sender: "admin"))

        // Removed: both replicas show the placeholder again.
        let remove = try await BotCLIRunner.run(["vault", "rm", "--app", app.path, "--store", database, "support_phone"])
        #expect(remove.status == 0, "\(remove.stderr)")
        for port in [firstPort, secondPort] {
            #expect(try await Self.eventually(port: port, shows: "[vault.support_phone]", sender: "rm-\(port)"))
        }
        let refused = try await BotCLIRunner.run(["vault", "upload", "--app", app.path, "--file", secrets, "--store", database,
                                                  "--to", "http://127.0.0.1:\(firstPort)"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--store and --to: give one"), "\(refused.stderr)")

        for server in [first, second] {
            server.send(SIGTERM)
            #expect(try await server.waitForExit().status == 0)
            VaultRemoteUploadTests.expectClean(server.output, "a replica's log")
        }
        for output in [upload, list, check, remote, remove] { VaultRemoteUploadTests.expectClean(output.stdout + output.stderr, "a vault command") }
    }
}
