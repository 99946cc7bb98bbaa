import Foundation
import Hummingbird
import Synchronization
import SharedTestFixtures
import Testing
import Vault

/// `botcli vault upload --to URL`: values sealed here, only ciphertexts on the wire, stored by a
/// running `botcli serve` and used at once; every failure said plainly, no secret ever printed.
@Suite("botcli vault upload --to")
struct VaultRemoteUploadTests {
    static let phone = "+1-555-REMOTE-0199"
    static let apiToken = "api-REMOTE-secret-7f1e"
    static let adminToken = "remote-upload-admin-token-42"

    /// A copy of the template app with a key pair, a secrets file and an admin token file.
    static func makeApp() async throws -> URL {
        let app = FileManager.default.temporaryDirectory.appendingPathComponent("parley-remote-\(UUID().uuidString)")
        let template = BotCLIRunner.templateApp
        try FileManager.default.copyItem(at: template, to: app)
        let vaultFile = app.appendingPathComponent("vault.yaml")
        try Data((try String(contentsOf: vaultFile, encoding: .utf8) + "api.token: xxx\n").utf8).write(to: vaultFile)
        try Data("support_phone: '\(phone)'\napi.token: \(apiToken)\n".utf8).write(to: app.appendingPathComponent("vault.secret.yaml"))
        try Data("\(adminToken)\n".utf8).write(to: app.appendingPathComponent("admin.token"))
        let keygen = try await BotCLIRunner.run(["vault", "keygen", "--app", app.path])
        #expect(keygen.status == 0, "\(keygen.stderr)")
        return app
    }

    static func upload(_ app: URL, to url: String, tokenFile: String? = nil, environment: [String: String] = [:]) async throws -> BotCLIRunner.Output {
        try await BotCLIRunner.run(["vault", "upload", "--app", app.path, "--file", app.appendingPathComponent("vault.secret.yaml").path,
                              "--to", url, "--admin-token-file", tokenFile ?? app.appendingPathComponent("admin.token").path],
                             environment: environment)
    }

    /// No secret value and no admin token in `text`.
    static func expectClean(_ text: String, _ what: String) {
        for secret in [phone, apiToken, adminToken] {
            #expect(!text.contains(secret), "\(what) shows a secret")
        }
    }

    static func contact(port: Int, sender: String) async throws -> String {
        try await LoopbackHTTP.request(port: port, .post, "/webhooks/rest/webhook", body: #"{"sender": "\#(sender)", "message": "contact"}"#).body
    }

    @Test("a running server stores the sealed values and its bot uses them at once; the report names keys only")
    func uploadToServer() async throws {
        let app = try await Self.makeApp()
        defer { try? FileManager.default.removeItem(at: app) }
        let (server, port) = try await BotCLIRunner.serve(app: app, arguments: ["--admin-token-file", app.appendingPathComponent("admin.token").path])
        #expect(try await Self.contact(port: port, sender: "before").contains("[vault.support_phone]"))

        let first = try await Self.upload(app, to: "http://127.0.0.1:\(port)")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("added: api.token, support_phone"), "\(first.stdout)")
        #expect(first.stdout.contains("the running bot uses the new values now"))
        #expect(try await Self.contact(port: port, sender: "after").contains("You can call us at \(Self.phone)"))

        // Again, through PARLEY_ADMIN_TOKEN and a URL with a trailing slash: every key is changed.
        let again = try await BotCLIRunner.run(["vault", "upload", "--app", app.path, "--file", app.appendingPathComponent("vault.secret.yaml").path,
                                          "--to", "http://127.0.0.1:\(port)/"], environment: ["PARLEY_ADMIN_TOKEN": Self.adminToken])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("changed: api.token, support_phone"), "\(again.stdout)")

        let list = try await BotCLIRunner.run(["vault", "list", "--app", app.path])
        #expect(list.stdout.contains("api.token") && list.stdout.contains("support_phone"))

        // A wrong token: 401, said plainly.
        let wrongToken = app.appendingPathComponent("wrong.token")
        try Data("not-the-right-token-at-all".utf8).write(to: wrongToken)
        let refused = try await Self.upload(app, to: "http://127.0.0.1:\(port)", tokenFile: wrongToken.path)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("refused the admin token (401)"), "\(refused.stderr)")

        server.send(SIGTERM)
        #expect(try await server.waitForExit().status == 0)
        for (name, output) in [("first", first), ("again", again), ("refused", refused), ("list", list)] {
            Self.expectClean(output.stdout + output.stderr, "upload \(name)")
        }
        Self.expectClean(server.output, "the server's log")
    }

    @Test("only ciphertexts cross the wire, each sealed to the app's key, with the bearer token")
    func wire() async throws {
        let app = try await Self.makeApp()
        defer { try? FileManager.default.removeItem(at: app) }
        let captured = Mutex<(body: String, authorization: String?)?>(nil)
        let router = Router()
        router.put("/admin/vault") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            captured.withLock { $0 = (String(buffer: body), request.headers[.authorization]) }
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"added": ["api.token", "support_phone"], "changed": []}"#)))
        }
        let output = try await LocalServer.run(router) { port in
            try await Self.upload(app, to: "http://127.0.0.1:\(port)")
        }
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("added: api.token, support_phone"))
        #expect(output.stdout.contains("restart the server"), "a server that does not say it reloaded")
        let request = try #require(captured.withLock { $0 })
        #expect(request.authorization == "Bearer \(Self.adminToken)")
        Self.expectClean(request.body, "the request body")

        let object = try #require(try JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [String: Any])
        let values = try #require(object["values"] as? [[String: Any]])
        #expect(values.compactMap { $0["key"] as? String }.sorted() == ["api.token", "support_phone"])
        let secretKey = try AppVault(app: app, environment: [:]).keyring.secretKey()
        for value in values {
            let key = try #require(value["key"] as? String)
            #expect(Set(value.keys) == ["key", "ciphertext"])
            let text = try #require(value["ciphertext"] as? String)
            let ciphertext = try #require(Data(base64Encoded: text))
            let opened = try secretKey.open(ciphertext, key: key)
            #expect(opened == (key == "support_phone" ? .string(Self.phone) : .string(Self.apiToken)))
        }
    }

    @Test("admin API off, connection refused, a bad URL, no token: plain errors, nothing printed that is secret")
    func failures() async throws {
        let app = try await Self.makeApp()
        defer { try? FileManager.default.removeItem(at: app) }
        var outputs: [BotCLIRunner.Output] = []

        let (server, port) = try await BotCLIRunner.serve(app: app)  // no admin token: the API is off
        let off = try await Self.upload(app, to: "http://127.0.0.1:\(port)")
        outputs.append(off)
        #expect(off.status == 1)
        #expect(off.stderr.contains("admin API is off"), "\(off.stderr)")
        server.send(SIGTERM)
        #expect(try await server.waitForExit().status == 0)

        // The server is gone: nothing listens on its port.
        let refused = try await Self.upload(app, to: "http://127.0.0.1:\(port)")
        outputs.append(refused)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("connection refused"), "\(refused.stderr)")

        for url in ["ftp://127.0.0.1/", "not a url", "http://", "http://127.0.0.1:\(port)/?x=1"] {
            let bad = try await Self.upload(app, to: url)
            outputs.append(bad)
            #expect(bad.status != 0)
            #expect(bad.stderr.contains("--to needs the server's http:// or https:// URL"), "\(url): \(bad.stderr)")
        }
        let noToken = try await BotCLIRunner.run(["vault", "upload", "--app", app.path, "--file", app.appendingPathComponent("vault.secret.yaml").path,
                                            "--to", "http://127.0.0.1:\(port)"], environment: ["PARLEY_ADMIN_TOKEN": ""])
        outputs.append(noToken)
        #expect(noToken.status != 0)
        #expect(noToken.stderr.contains("--admin-token-file"), "\(noToken.stderr)")
        // The secrets file given as the token file by mistake, or a token of several lines:
        // refused before any request, naming the file or variable, quoting none of it.
        let secretsFile = app.appendingPathComponent("vault.secret.yaml").path
        let wrongFile = try await Self.upload(app, to: "http://127.0.0.1:\(port)", tokenFile: secretsFile)
        let wrongVariable = try await BotCLIRunner.run(["vault", "upload", "--app", app.path, "--file", secretsFile, "--to", "http://127.0.0.1:\(port)"],
                                                 environment: ["PARLEY_ADMIN_TOKEN": "\(Self.adminToken)\n\(Self.apiToken)"])
        for (output, source) in [(wrongFile, secretsFile), (wrongVariable, "PARLEY_ADMIN_TOKEN")] {
            outputs.append(output)
            #expect(output.status != 0)
            #expect(output.stderr.contains("the admin token in \(source) has more than one line"), "\(output.stderr)")
        }
        for output in outputs { Self.expectClean(output.stdout + output.stderr, "a failed upload") }
        #expect(try await AppVault(app: app, environment: [:]).entries().isEmpty, "nothing stored")
    }
}
