/// A name one element uses that only the whole app can confirm: a flow, an integration or a
/// label in some flow. The loader records them while building and checks them at the end.
struct AppReference: Sendable {
    enum Target: Sendable {
        case flow(String)
        case integration(String)
        case label(String, inFlow: String)
        /// A vault key, named by `vault.yaml` when it is a key or a prefix of keys there.
        case vaultKey(String)
        /// A file of the app (`file_path:`), checked when the app is read from a folder.
        case appFile(String)
    }

    var target: Target
    var position: SourcePosition
}
