import Foundation
import Testing
@testable import Vault

@Suite("vault.secret.yaml parsing")
struct VaultSecretFileTests {
    let planted = TestApp.planted

    @Test("flat dotted keys with any YAML value, in file order")
    func values() throws {
        let file = try VaultSecretFile(text: """
            twilio.account_sid: AC\(planted)
            support.phone: '+18005550100'
            retries: 3
            ratio: 0.5
            enabled: true
            numbers: [1, two]
            twilio.extra:
              region: us1
            """, file: "vault.secret.yaml")
        #expect(file.entries.map(\.key) == ["twilio.account_sid", "support.phone", "retries", "ratio", "enabled", "numbers", "twilio.extra"])
        #expect(file.values["support.phone"] == .string("+18005550100"))
        #expect(file.values["retries"] == .int(3))
        #expect(file.values["ratio"] == .double(0.5))
        #expect(file.values["enabled"] == .bool(true))
        #expect(file.values["numbers"] == .list([.int(1), .string("two")]))
        #expect(file.values["twilio.extra"] == .map(["region": .string("us1")]))
        #expect(file.entries[1].line == 2 && file.entries[1].column == 1)
    }

    @Test("a line pasted with its indentation gets a hint saying so, quoting nothing from the file")
    func indentedLine() {
        let text = "support.phone: \"+1 555 \(planted)\"\n  twilio.account_sid: AC\(planted)\n"
        let error = #expect(throws: VaultError.self) { try VaultSecretFile(text: text, file: "vault.secret.yaml") }
        let message = error.map { "\($0)" } ?? ""
        #expect(message.hasPrefix("vault.secret.yaml:2:3: YAML syntax error"), "\(message)")
        #expect(message.contains("line 2 is indented: each `key: value` starts at the first column"), "\(message)")
        #expect(!message.contains(planted))
    }

    @Test("malformed YAML names file, line and column, and quotes nothing from the file")
    func malformed() {
        let text = """
            twilio.account_sid: AC\(planted)
            twilio.api_key_sid: SK\(planted): oops
            """
        let error = #expect(throws: VaultError.self) { try VaultSecretFile(text: text, file: "vault.secret.yaml") }
        #expect(error?.description == "vault.secret.yaml:2:42: YAML syntax error: mapping values are not allowed in this context")
        #expect(error?.description.contains(planted) == false)
    }

    @Test("an unterminated quote is located where the quote starts")
    func unterminatedQuote() {
        let error = #expect(throws: VaultError.self) {
            try VaultSecretFile(text: "a: ok\nb: \"\(planted)\n", file: "s.yaml")
        }
        #expect(error?.description == "s.yaml:3:1: YAML syntax error: found unexpected end of stream (while scanning a quoted scalar at 2:4)")
    }

    @Test("an empty value is an error naming the key", arguments: ["twilio.account_sid:", "twilio.account_sid: \"\"", "twilio.account_sid: ~"])
    func emptyValue(line: String) {
        let error = #expect(throws: VaultError.self) {
            try VaultSecretFile(text: "twilio.api_key_sid: SK1\n\(line)\n", file: "vault.secret.yaml")
        }
        #expect(error == .emptyValue(file: "vault.secret.yaml", line: 2, column: 1, key: "twilio.account_sid"))
        #expect(error?.description == "vault.secret.yaml:2:1: vault key `twilio.account_sid` has an empty value")
    }

    @Test("a key written twice is an error naming it")
    func duplicateKey() {
        let error = #expect(throws: VaultError.self) {
            try VaultSecretFile(text: "a.b: \(planted)\nc: 1\na.b: other\n", file: "vault.secret.yaml")
        }
        #expect(error?.description.hasPrefix("vault.secret.yaml:1:1: vault key `a.b` appears more than once") == true)
        #expect(error?.description.contains(planted) == false)
    }

    @Test("the document must be a mapping with keys")
    func shape() {
        #expect(throws: VaultError.notAMapping(file: "f", line: 1, column: 1)) { try VaultSecretFile(text: "- a\n- b\n", file: "f") }
        #expect(throws: VaultError.noKeys(file: "f")) { try VaultSecretFile(text: "# nothing\n", file: "f") }
        #expect(throws: VaultError.noKeys(file: "f")) { try VaultSecretFile(text: "{}\n", file: "f") }
    }

    @Test("keys must be dotted names")
    func keyNames() {
        #expect(throws: VaultError.invalidKeyName(file: "f", line: 2, column: 1)) {
            try VaultSecretFile(text: "ok: 1\na..b: 2\n", file: "f")
        }
        // A value typed on the key's side is not echoed back.
        let error = #expect(throws: VaultError.invalidKeyName(file: "f", line: 1, column: 1)) {
            try VaultSecretFile(text: "twilio.account_sid \(planted): 2\n", file: "f")
        }
        #expect(error?.description == "f:1:1: not a vault key name; use dotted names without spaces, like `twilio.account_sid`")
        #expect(throws: VaultError.invalidKeyName(file: "f", line: 1, column: 1)) { try VaultSecretFile(text: "[a]: 2\n", file: "f") }
        #expect(VaultSecretFile.isValidKey("twilio_flex.flex_flow_sid"))
        #expect(!VaultSecretFile.isValidKey(".a") && !VaultSecretFile.isValidKey("a.") && !VaultSecretFile.isValidKey(""))
        // Bounded: 16 parts and 256 bytes at most.
        #expect(VaultSecretFile.isValidKey(Array(repeating: "a", count: 16).joined(separator: ".")))
        #expect(!VaultSecretFile.isValidKey(Array(repeating: "a", count: 17).joined(separator: ".")))
        #expect(VaultSecretFile.isValidKey(String(repeating: "k", count: 256)))
        #expect(!VaultSecretFile.isValidKey(String(repeating: "k", count: 257)))
    }

    @Test("a missing file is an error naming it")
    func missingFile() {
        #expect(throws: VaultError.fileError(path: "nope.yaml", reason: "no such file")) {
            try VaultSecretFile(contentsOf: URL(fileURLWithPath: "/nonexistent/nope.yaml"), file: "nope.yaml")
        }
    }
}
