import OrderedCollections

/// A loaded, valid bot app: flows, integrations, the bot element, the config scope and the
/// vault key names, all checked against the registry it was loaded with.
public struct BotApp: Sendable {
    /// The app folder.
    public var root: String
    public var flows: OrderedDictionary<String, Flow>
    public var integrations: OrderedDictionary<String, Element>
    /// `bot/default.yaml`, when the app has one.
    public var bot: Element?
    /// `config.yaml` as the `config` scope (an empty map when absent).
    public var config: TemplateValue
    /// Key names declared in `vault.yaml`, with where each was written.
    public var vaultKeys: OrderedDictionary<String, SourcePosition>
    /// Every `(@ vault.… )` reference in the app's templates.
    public var vaultReferences: [VaultReference]
    /// The element types the app was checked against; the runtime dispatches with it.
    public var registry: ElementRegistry
    /// Files read as elements, relative to `root`.
    public var files: [String]

    public init(root: String, flows: OrderedDictionary<String, Flow>, integrations: OrderedDictionary<String, Element>,
                bot: Element?, config: TemplateValue, vaultKeys: OrderedDictionary<String, SourcePosition>,
                vaultReferences: [VaultReference] = [], registry: ElementRegistry, files: [String]) {
        self.root = root
        self.flows = flows
        self.integrations = integrations
        self.bot = bot
        self.config = config
        self.vaultKeys = vaultKeys
        self.vaultReferences = vaultReferences
        self.registry = registry
        self.files = files
    }

    /// Counts for a one-line summary.
    public var summary: Summary {
        Summary(flows: flows.count,
                triggers: flows.values.reduce(0) { $0 + $1.triggers.count },
                steps: flows.values.reduce(0) { $0 + $1.componentCount },
                integrations: integrations.count)
    }

    /// How big an app is.
    public struct Summary: Sendable, Equatable, CustomStringConvertible {
        public var flows, triggers, steps, integrations: Int

        public init(flows: Int, triggers: Int, steps: Int, integrations: Int) {
            (self.flows, self.triggers, self.steps, self.integrations) = (flows, triggers, steps, integrations)
        }

        public var description: String {
            "\(flows) flow\(flows == 1 ? "" : "s"), \(triggers) trigger\(triggers == 1 ? "" : "s"), "
                + "\(steps) step\(steps == 1 ? "" : "s"), \(integrations) integration\(integrations == 1 ? "" : "s")"
        }
    }
}
