import Foundation
import Testing
@testable import Vault

@Suite("VaultValue")
struct VaultValueTests {
    @Test("every kind of value survives sealing's JSON")
    func jsonRoundTrip() throws {
        let value: VaultValue = .map([
            "text": .string("+1800 555"), "int": .int(-7), "double": .double(2.5), "yes": .bool(true),
            "none": .null, "list": .list([.int(1), .string("x"), .bool(false)]), "nested": .map(["a": .string("b")]),
        ])
        var json = try value.sealedJSON(key: "k")
        defer { json.wipe() }
        #expect(try VaultValue(sealedJSON: json, key: "k") == value)
        #expect(String(decoding: json, as: UTF8.self).hasPrefix(#"{"double":2.5,"int":-7,"#), "keys are sorted")
    }

    @Test("a value never prints itself")
    func descriptionIsMasked() {
        let value = VaultValue.string(TestApp.planted)
        #expect("\(value)" == "••••••")
        #expect(!String(reflecting: value).contains(TestApp.planted))
        #expect(!"\([value])".contains(TestApp.planted))
    }

    @Test("nested builds maps from dotted keys like Meya")
    func nested() {
        let flat: [String: VaultValue] = [
            "twilio.account_sid": .string("AC1"), "twilio.api_key_sid": .string("SK1"),
            "support_phone": .string("+1800"), "a": .string("scalar at a prefix"), "a.b.c": .int(1),
        ]
        #expect(VaultValue.nested(flat) == .map([
            "twilio": .map(["account_sid": .string("AC1"), "api_key_sid": .string("SK1")]),
            "support_phone": .string("+1800"),
            "a": .map(["b": .map(["c": .int(1)])]),
        ]))
    }

    @Test("a map value at a prefix is merged with deeper keys, not replaced")
    func nestedMergesMaps() {
        let flat: [String: VaultValue] = ["x": .map(["y": .int(1)]), "x.z": .int(2)]
        #expect(VaultValue.nested(flat) == .map(["x": .map(["y": .int(1), "z": .int(2)])]))
    }

    @Test("the redactor replaces values with [vault.KEY]")
    func redactor() {
        let redactor = VaultRedactor(values: [
            "twilio.api_key_secret": .string(TestApp.planted),
            "list": .list([.string("alpha-secret"), .int(1)]),
            "flag": .bool(true),
        ])
        #expect(redactor.redact("auth failed for \(TestApp.planted) (alpha-secret) 1 true")
                == "auth failed for [vault.twilio.api_key_secret] ([vault.list.0]) 1 true")
    }
}
