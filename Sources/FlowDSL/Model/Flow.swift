/// One flow: its triggers and its steps, with labels indexed. Immutable and shared.
public final class Flow: Sendable, Identifiable {
    /// A flow step: a label (`- (name)`) or a component.
    public enum Step: Sendable {
        case label(String, SourcePosition)
        case component(Element)

        public var position: SourcePosition {
            switch self {
            case .label(_, let position): position
            case .component(let element): element.position
            }
        }
    }

    public let id: String
    /// Where the flow's document starts.
    public let position: SourcePosition
    public let triggers: [Element]
    public let steps: [Step]
    /// Label name → index of its label step.
    public let labels: [String: Int]

    public init(id: String, position: SourcePosition, triggers: [Element], steps: [Step]) {
        self.id = id
        self.position = position
        self.triggers = triggers
        self.steps = steps
        var labels: [String: Int] = [:]
        for (index, step) in steps.enumerated() {
            if case .label(let name, _) = step, labels[name] == nil { labels[name] = index }
        }
        self.labels = labels
    }

    /// Index to start at for `label`: the label's step, or 0 for `start` when no step is labelled so.
    public func index(ofLabel label: String) -> Int? {
        labels[label] ?? (label == "start" ? 0 : nil)
    }

    /// Component steps, without labels.
    public var componentCount: Int {
        steps.reduce(0) { count, step in if case .component = step { count + 1 } else { count } }
    }
}
