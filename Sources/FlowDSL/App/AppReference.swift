/// A name one element uses that only the whole app can confirm: a flow, an integration or a
/// label in some flow. The loader records them while building and checks them at the end.
struct AppReference: Sendable {
    enum Target: Sendable {
        case flow(String)
        case integration(String)
        case label(String, inFlow: String)
    }

    var target: Target
    var position: SourcePosition
}
