import FlowDSL

/// One conversation test: a named list of steps run against a fresh bot.
///
/// Written in a test file under the app's `tests/` folder:
///
/// ```yaml
/// - name: a new user is greeted by name
///   steps:
///     - event: page_open
///     - bot: Hi, I'm Parley Bot.
///     - bot: What's your name?
///     - user: Ana
///     - bot: Nice to meet you, Ana!
/// ```
public struct ConversationTestCase: Sendable {
    /// The `name:` given to the case.
    public var name: String
    /// Where the case starts (its `- name:` item).
    public var position: SourcePosition
    public var steps: [ConversationStep]

    public init(name: String, position: SourcePosition, steps: [ConversationStep]) {
        self.name = name
        self.position = position
        self.steps = steps
    }
}
