/// A `(@ vault.twilio.account_sid )` reference found in one of the app's templates: the vault
/// key (`twilio.account_sid`) and where it was written. `botcli check` reports keys that
/// `vault.yaml` does not name; `botcli vault check` compares them with the stored vault.
public struct VaultReference: Sendable, Hashable {
    public var key: String
    public var position: SourcePosition

    public init(key: String, position: SourcePosition) {
        self.key = key
        self.position = position
    }
}
