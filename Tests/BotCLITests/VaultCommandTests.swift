import Foundation
import GRDB
import Testing

/// `botcli vault …` end to end, through the built binary, on copies of the flex-guide app.
@Suite("botcli vault")
struct VaultCommandTests {
    static let planted = "s3cr3t-PLANTED-7f9c"

    static let secrets = """
        twilio.account_sid: AC-\(planted)-1
        twilio.api_key_sid: SK-\(planted)-2
        twilio.api_key_secret: "\(planted): 3"
        twilio_flex.flex_flow_sid: FO-\(planted)-4
        twilio_flex.flex_chat_service_sid: [IS-\(planted)-5, 6]

        """

    /// A copy of flex-guide; every command run through it is checked for leaked secrets.
    final class App {
        let url: URL
        private(set) var outputs: [String] = []

        init() throws { url = try BotCLIRunner.copyOfFixtureApp("flex-guide") }
        deinit { try? FileManager.default.removeItem(at: url) }

        var parley: URL { url.appendingPathComponent(".parley") }
        var keyPath: String { parley.appendingPathComponent("vault.key").path }
        var databasePath: String { parley.appendingPathComponent("state.sqlite").path }

        @discardableResult
        func run(_ arguments: String...) async throws -> BotCLIRunner.Output {
            var output = try await BotCLIRunner.run(["vault"] + arguments, in: url)
            // The guide app's Programmable Chat warning (CheckCommandTests covers it) is not the vault's.
            output.stderr = output.stderr.replacingOccurrences(of: BotCLIRunner.programmableChatWarning + "\n", with: "")
            outputs += [output.stdout, output.stderr]
            #expect(!output.stdout.contains("PLANTED") && !output.stderr.contains("PLANTED"),
                    "`vault \(arguments.joined(separator: " "))` printed a secret")
            return output
        }

        func write(_ name: String, _ text: String) throws {
            try Data(text.utf8).write(to: url.appendingPathComponent(name))
        }

        /// `keygen` and an upload of all five secrets.
        func setUp() async throws {
            try #require(try await run("keygen").status == 0)
            try write("vault.secret.yaml", VaultCommandTests.secrets)
            try #require(try await run("upload", "--file", "vault.secret.yaml").status == 0)
        }

        /// `vault list`'s standard output, to compare the vault before and after a failure.
        func listing() async throws -> String { try await run("list").stdout }

        /// No file under `.parley/` holds any part of a planted secret.
        func expectNoSecretsAtRest() throws {
            for name in try FileManager.default.contentsOfDirectory(atPath: parley.path) {
                let bytes = try Data(contentsOf: parley.appendingPathComponent(name))
                #expect(bytes.range(of: Data("PLANTED".utf8)) == nil, ".parley/\(name) holds a secret")
            }
        }

        /// Flips one byte of a stored ciphertext with SQLite.
        func tamper(_ key: String) async throws {
            let queue = try DatabaseQueue(path: databasePath)
            try await queue.write { db in
                var blob = try Data.fetchOne(db, sql: "SELECT ciphertext FROM vault WHERE key = ?", arguments: [key])!
                blob[blob.startIndex + 50] ^= 0x80
                try db.execute(sql: "UPDATE vault SET ciphertext = ? WHERE key = ?", arguments: [blob, key])
            }
        }
    }

    @Test("keygen, upload, list, check, rm: the whole workflow, without a leak")
    func workflow() async throws {
        let app = try App()
        let keygen = try await app.run("keygen")
        #expect(keygen.status == 0, "\(keygen.stderr)")
        #expect(keygen.stdout.contains("(secret, mode 0600)"))
        let mode = try FileManager.default.attributesOfItem(atPath: app.keyPath)[.posixPermissions] as! NSNumber
        #expect(mode.intValue == 0o600)

        try app.write("vault.secret.yaml", Self.secrets)
        let upload = try await app.run("upload", "--file", "vault.secret.yaml")
        #expect(upload.status == 0, "\(upload.stderr)")
        #expect(upload.stdout == "added: twilio.account_sid, twilio.api_key_sid, twilio.api_key_secret, "
                + "twilio_flex.flex_flow_sid, twilio_flex.flex_chat_service_sid\n")

        let list = try await app.run("list")
        let lines = list.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 6)
        #expect(lines.first?.hasPrefix("KEY") == true)
        #expect(lines[0] == "KEY                                VERSION  UPDATED               VALUE")
        let row = try Regex(#"^[a-z_.]+ +1 +\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ  ••••••$"#)
        #expect(lines.dropFirst().allSatisfy { $0.wholeMatch(of: row) != nil }, "\(list.stdout)")
        #expect(lines.dropFirst().map { String($0.prefix { $0 != " " }) } == [
            "twilio.account_sid", "twilio.api_key_secret", "twilio.api_key_sid",
            "twilio_flex.flex_chat_service_sid", "twilio_flex.flex_flow_sid",
        ])

        let check = try await app.run("check")
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout == "\(app.url.lastPathComponent): the vault holds every key the app names (5 stored)\n")

        let rm = try await app.run("rm", "twilio_flex.flex_chat_service_sid")
        #expect(rm.status == 0 && rm.stdout == "removed twilio_flex.flex_chat_service_sid\n")
        let missing = try await app.run("check")
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("vault.yaml:5:1: error: vault key `twilio_flex.flex_chat_service_sid` is not stored in the vault\n"))
        #expect(missing.stderr.hasSuffix("1 key missing from the vault of \(app.url.lastPathComponent): twilio_flex.flex_chat_service_sid\n"))

        try app.expectNoSecretsAtRest()
    }

    @Test("check lists stored keys nothing names as warnings, without failing")
    func unusedKey() async throws {
        let app = try App()
        try await app.setUp()
        try app.write("vault.extra.yaml", "old.token: \(Self.planted)\n")
        try #require(try await app.run("upload", "--file", "vault.extra.yaml").status == 0)
        let check = try await app.run("check")
        #expect(check.status == 0)
        #expect(check.stderr == "warning: stored vault key `old.token` is not named in vault.yaml or any template\n")
    }

    @Test("a second upload tells added, changed and unchanged keys apart")
    func reupload() async throws {
        let app = try App()
        try await app.setUp()
        try app.write("vault.secret.yaml", Self.secrets.replacingOccurrences(of: "SK-\(Self.planted)-2", with: "SK-\(Self.planted)-new")
                      + "support.phone: '+18005550100'\n")
        let upload = try await app.run("upload", "--file", "vault.secret.yaml")
        #expect(upload.status == 0)
        #expect(upload.stdout == """
            added: support.phone
            changed: twilio.api_key_sid
            unchanged: twilio.account_sid, twilio.api_key_secret, twilio_flex.flex_flow_sid, twilio_flex.flex_chat_service_sid

            """)
        #expect(try await app.listing().contains(try Regex(#"twilio.api_key_sid +2 "#)))
        try app.expectNoSecretsAtRest()
    }

    @Test("with only the public key, the upload says unchanged keys could not be detected")
    func publicKeyOnly() async throws {
        let app = try App()
        try await app.setUp()
        try FileManager.default.removeItem(atPath: app.keyPath)
        let upload = try await app.run("upload", "--file", "vault.secret.yaml")
        #expect(upload.status == 0, "\(upload.stderr)")
        #expect(upload.stdout.hasPrefix("changed: twilio.account_sid, twilio.api_key_sid, twilio.api_key_secret, "
                                        + "twilio_flex.flex_flow_sid, twilio_flex.flex_chat_service_sid\n"))
        #expect(upload.stdout.contains("note: only the public key is available, so unchanged keys could not be detected"))
    }

    @Test("keygen refuses to replace a key and says what would be lost")
    func keygenRefuses() async throws {
        let app = try App()
        try await app.setUp()
        let key = try Data(contentsOf: URL(fileURLWithPath: app.keyPath))
        let again = try await app.run("keygen")
        #expect(again.status == 1)
        #expect(again.stderr == """
            error: \(app.keyPath) already exists; replacing it would make every value stored in the vault unreadable
            hint: pass --force to replace it; the values stored in the vault can then no longer be read and must be uploaded again

            """)
        #expect(try Data(contentsOf: URL(fileURLWithPath: app.keyPath)) == key)
    }

    @Test("a tampered ciphertext: the upload names the key and the vault is unchanged")
    func tampered() async throws {
        let app = try App()
        try await app.setUp()
        try await app.tamper("twilio.api_key_secret")
        let before = try await app.listing()
        let upload = try await app.run("upload", "--file", "vault.secret.yaml")
        #expect(upload.status == 1)
        #expect(upload.stderr.hasPrefix("error: vault key `twilio.api_key_secret` could not be opened: its value was sealed "
                                        + "to a different key or its ciphertext was altered\n"))
        #expect(upload.stdout.isEmpty)
        #expect(try await app.listing() == before)
    }

    @Test("the wrong secret key (keygen --force): the upload fails and the vault is unchanged")
    func wrongKey() async throws {
        let app = try App()
        try await app.setUp()
        let keygen = try await app.run("keygen", "--force")
        #expect(keygen.status == 0)
        #expect(keygen.stderr == "warning: 5 stored keys were sealed to the old key and can no longer be read; upload them again\n")
        let before = try await app.listing()
        let upload = try await app.run("upload", "--file", "vault.secret.yaml")
        #expect(upload.status == 1)
        #expect(upload.stderr.hasPrefix("error: vault key `twilio.account_sid` could not be opened"))
        #expect(try await app.listing() == before)
    }

    @Test("no key file: the upload names the files to create and stores nothing")
    func missingKey() async throws {
        let app = try App()
        try app.write("vault.secret.yaml", Self.secrets)
        let upload = try await app.run("upload", "--file", "vault.secret.yaml")
        #expect(upload.status == 1)
        #expect(upload.stderr == "error: no vault public key: \(app.parley.path)/vault.pub does not exist and "
                + "PARLEY_VAULT_PUBLIC_KEY is not set; create a key pair with `botcli vault keygen`\n")
        #expect(try await app.listing() == "no keys stored in the vault of \(app.url.lastPathComponent)\n")
        #expect(!FileManager.default.fileExists(atPath: app.databasePath))
    }

    @Test("a key file readable by others is refused with the chmod fix; the vault is unchanged")
    func loosePermissions() async throws {
        let app = try App()
        try await app.setUp()
        chmod(app.keyPath, 0o644)
        let before = try await app.listing()
        try app.write("vault.secret.yaml", "twilio.account_sid: changed-\(Self.planted)\n")
        let upload = try await app.run("upload", "--file", "vault.secret.yaml")
        #expect(upload.status == 1)
        #expect(upload.stderr == "error: \(app.keyPath) is readable or writable by group or others (mode 644); "
                + "a secret key must be private to its owner: run `chmod 600 \(app.keyPath)`\n")
        #expect(try await app.listing() == before)
    }

    @Test("a malformed secrets file is located by line and column; the vault is unchanged")
    func malformed() async throws {
        let app = try App()
        try await app.setUp()
        let before = try await app.listing()
        try app.write("vault.secret.yaml", "twilio.account_sid: AC-\(Self.planted)\ntwilio.api_key_sid: SK\(Self.planted): x\n")
        let upload = try await app.run("upload", "--file", "vault.secret.yaml")
        #expect(upload.status == 1)
        #expect(upload.stderr == "error: vault.secret.yaml:2:42: YAML syntax error: mapping values are not allowed in this context\n")
        #expect(try await app.listing() == before)
    }

    @Test("an empty value names its key; the vault is unchanged")
    func emptyValue() async throws {
        let app = try App()
        try await app.setUp()
        let before = try await app.listing()
        try app.write("vault.secret.yaml", "twilio.account_sid: AC-\(Self.planted)-new\ntwilio.api_key_sid: \"\"\n")
        let upload = try await app.run("upload", "--file", "vault.secret.yaml")
        #expect(upload.status == 1)
        #expect(upload.stderr == "error: vault.secret.yaml:2:1: vault key `twilio.api_key_sid` has an empty value\n")
        #expect(try await app.listing() == before)
    }

    @Test("a duplicate key and a missing file are errors naming them")
    func duplicateAndMissingFile() async throws {
        let app = try App()
        try await app.setUp()
        let before = try await app.listing()
        try app.write("vault.dup.yaml", "a.b: 1\na.b: 2\n")
        let duplicate = try await app.run("upload", "--file", "vault.dup.yaml")
        #expect(duplicate.status == 1)
        #expect(duplicate.stderr == "error: vault.dup.yaml:1:1: vault key `a.b` appears more than once\n")
        let missing = try await app.run("upload", "--file", "nope.yaml")
        #expect(missing.status == 1 && missing.stderr == "error: nope.yaml: no such file\n")
        #expect(try await app.listing() == before)
    }

    @Test("rm of a key that is not stored names it and changes nothing")
    func removeMissing() async throws {
        let app = try App()
        try await app.setUp()
        let before = try await app.listing()
        let rm = try await app.run("rm", "twilio.nope")
        #expect(rm.status == 1)
        #expect(rm.stderr == "error: vault key `twilio.nope` is not stored in the vault\n")
        #expect(try await app.listing() == before)
    }

    @Test("--help teaches the command group")
    func help() async throws {
        let output = try await BotCLIRunner.run(["vault", "--help"])
        #expect(output.status == 0)
        for word in ["keygen", "upload", "list", "rm", "check", "vault.secret.yaml", "PARLEY_VAULT_SECRET_KEY"] {
            #expect(output.stdout.contains(word), "missing \(word)")
        }
        let upload = try await BotCLIRunner.run(["vault", "upload", "--help"])
        #expect(upload.stdout.contains("--file <file>") && upload.stdout.contains("--app <dir>"))
    }
}
