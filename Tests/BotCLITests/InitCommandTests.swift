import Foundation
import Testing

@Suite("botcli init")
struct InitCommandTests {
    @Test("a new app has a vault with an example support_phone, so its bot shows the example, never a [vault.…] placeholder")
    func newApp() async throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("parley-init-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: parent) }
        let app = parent.appendingPathComponent("my-bot")
        let created = try await BotCLIRunner.run(["init", app.path])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("and its vault, with an example `support_phone` (edit vault.secret.yaml, then `botcli vault upload`)"),
                "\(created.stdout)")

        // The secrets file: only its owner reads it, and git ignores it.
        let secrets = app.appendingPathComponent("vault.secret.yaml")
        #expect((try FileManager.default.attributesOfItem(atPath: secrets.path)[.posixPermissions] as? Int) == 0o600)
        #expect(try String(contentsOf: app.appendingPathComponent(".gitignore"), encoding: .utf8).contains("vault.secret.yaml"))
        let list = try await BotCLIRunner.run(["vault", "list", "--app", app.path])
        #expect(list.status == 0 && list.stdout.contains("support_phone"), "\(list.stdout)\(list.stderr)")

        let simulated = try await BotCLIRunner.run(["simulate", "--app", app.path], input: "Ana\ncontact\n")
        #expect(simulated.stdout.contains("bot: You can call us at +1 555 0100, 9:00–17:00."), "\(simulated.stdout)")
        #expect(!simulated.stdout.contains("[vault."), "\(simulated.stdout)")
        #expect(!simulated.stderr.contains("`support_phone`"), "\(simulated.stderr)")
        // Its conversation tests still see placeholders: they never need secrets.
        let tested = try await BotCLIRunner.run(["test", "--app", app.path])
        #expect(tested.status == 0, "\(tested.stdout)\(tested.stderr)")

        // Never over an existing app.
        let again = try await BotCLIRunner.run(["init", app.path])
        #expect(again.status == 1 && again.stderr.contains("is not empty"), "\(again.stderr)")
    }
}
