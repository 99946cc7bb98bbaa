import Foundation
import Testing

/// Secrets never leak: a planted value reaches the user only in the line a flow deliberately
/// shows, and never logs, errors, listings, state dumps, test reports or the SQLite file.
@Suite("Vault values never leak")
struct VaultLeakTests {
    static let phone = "+1-555-PLANTED-0142"
    static let token = "tok-PLANTED-9f3c21"

    @Test("vault commands, the simulator and the test runner at trace level")
    func noLeaks() async throws {
        let app = FileManager.default.temporaryDirectory.appendingPathComponent("parley-leak-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: app) }
        let template = BotCLIRunner.templateApp
        try FileManager.default.copyItem(at: template, to: app)
        // A second secret that a flow stores in a scope: it must be kept as a placeholder.
        let vaultFile = app.appendingPathComponent("vault.yaml")
        try Data((try String(contentsOf: vaultFile, encoding: .utf8) + "crm.token: xxx\n").utf8).write(to: vaultFile)
        try Data("""
            triggers:
              - keyword: crm
            steps:
              - thread_set:
                  crm: (@ vault.crm.token )
              - say: stored (@ thread.crm )
            """.utf8).write(to: app.appendingPathComponent("flow/crm.yaml"))
        let secrets = app.appendingPathComponent("vault.secret.yaml")
        try Data("support_phone: '\(Self.phone)'\ncrm.token: \(Self.token)\n".utf8).write(to: secrets)
        let environment = ["PARLEY_LOG_LEVEL": "trace"]

        var outputs: [(String, BotCLIRunner.Output)] = []
        func run(_ arguments: [String], input: String? = nil) async throws -> BotCLIRunner.Output {
            let output = try await BotCLIRunner.run(arguments, environment: environment, input: input)
            outputs.append((arguments.joined(separator: " "), output))
            return output
        }
        #expect(try await run(["vault", "keygen", "--app", app.path]).status == 0)
        #expect(try await run(["vault", "upload", "--app", app.path, "--file", secrets.path]).status == 0)
        // The user's file is theirs; Parley's copies are what must stay clean.
        try FileManager.default.removeItem(at: secrets)
        _ = try await run(["vault", "list", "--app", app.path])
        _ = try await run(["vault", "check", "--app", app.path])
        let simulate = try await run(["simulate", "--app", app.path], input: "contact\ncrm\n:state\n:event meya.session.event.chat.open {\"x\": 1}\nAna\n")
        _ = try await run(["test", "--app", app.path])
        _ = try await run(["check", "--app", app.path])
        #expect(try await run(["vault", "rm", "--app", app.path, "crm.token"]).status == 0)

        // The one deliberate exception: the contact flow shows the phone number to the user.
        #expect(simulate.stdout.contains("bot: You can call us at \(Self.phone)"))
        #expect(simulate.stdout.contains("bot: stored [vault.crm.token]"))
        #expect(simulate.stderr.contains("[vault.crm.token]"), ":state shows the placeholder")
        for (command, output) in outputs {
            for (stream, text) in [("stdout", output.stdout), ("stderr", output.stderr)] {
                let lines = text.split(separator: "\n").filter { $0.contains("PLANTED") }
                let allowed = command.hasPrefix("simulate") && stream == "stdout"
                    ? lines.filter { !$0.hasPrefix("bot: You can call us at \(Self.phone)") } : lines
                #expect(allowed.isEmpty, "`botcli \(command)` \(stream) leaked: \(allowed)")
            }
        }
        #expect(outputs.contains { $0.1.stderr.contains("trace") || $0.1.stderr.contains("turn") }, "trace logging was on")

        // Nothing under .parley/ (state.sqlite, its WAL, keys, history) holds a value.
        let parley = app.appendingPathComponent(".parley")
        let files = FileManager.default.enumerator(at: parley, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        #expect(files.contains { $0.lastPathComponent == "state.sqlite" })
        for file in files where (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let bytes = try Data(contentsOf: file)
            for secret in [Self.phone, Self.token] {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(file.lastPathComponent) holds a secret")
            }
        }
    }
}
