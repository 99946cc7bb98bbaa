import Testing
@testable import Vault

@Suite("vault coverage")
struct VaultCoverageTests {
    @Test("missing uses and unused stored keys")
    func coverage() {
        let uses = [
            VaultKeyUse(key: "twilio.account_sid", location: "vault.yaml:1:1"),
            VaultKeyUse(key: "twilio.api_key_sid", location: "vault.yaml:2:1"),
            VaultKeyUse(key: "twilio.api_key_sid", location: "integration/twilio/flex.yaml:3:14"),
            VaultKeyUse(key: "support", location: "flow/a.yaml:4:9"),
            VaultKeyUse(key: "map.inner.leaf", location: "flow/a.yaml:5:9"),
        ]
        let coverage = VaultCoverage(uses: uses, storedKeys: ["twilio.account_sid", "support.phone", "map.inner", "old.key"])
        #expect(coverage.missing.map(\.location) == ["vault.yaml:2:1", "integration/twilio/flex.yaml:3:14"])
        #expect(coverage.unused == ["old.key"])
    }
}
