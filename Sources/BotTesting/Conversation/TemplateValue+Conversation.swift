import FlowDSL
import Foundation

extension TemplateMap {
    /// `{key: value, …}` in YAML flow style, for transcripts.
    static func flowStyle(_ map: TemplateMap) -> String {
        "{" + map.map { "\($0.key): \($0.value.flowStyle)" }.joined(separator: ", ") + "}"
    }
}

extension TemplateValue {
    /// The value in YAML flow style (`Ana`, `3`, `true`, `null`, `[a, b]`, `{k: v}`).
    var flowStyle: String {
        switch self {
        case .none: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number): return String(number)
        case .string(let text):
            let plain = !text.isEmpty && text.rangeOfCharacter(from: ConversationFlowStyle.special) == nil
                && !["null", "~", "true", "false", "yes", "no", "on", "off"].contains(text.lowercased())
                && Double(text) == nil && text.first != " " && text.last != " "
            return plain ? text : "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
        case .list(let items): return "[" + items.map(\.flowStyle).joined(separator: ", ") + "]"
        case .map(let map): return TemplateMap.flowStyle(map)
        }
    }

    /// Whether `actual` equals this expected value as Python compares data (`1 == 1.0`).
    func matches(_ actual: TemplateValue?) -> Bool {
        let actual = actual ?? .none
        switch (self, actual) {
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)): return Double(a) == b
        case (.list(let a), .list(let b)): return a.count == b.count && zip(a, b).allSatisfy { $0.matches($1) }
        case (.map(let a), .map(let b)):
            return a.count == b.count && a.allSatisfy { key, value in b[key].map { value.matches($0) } ?? false }
        default: return self == actual
        }
    }
}


enum ConversationFlowStyle {
    static let special = CharacterSet(charactersIn: ":#{}[],&*!|>'\"%@`\n")
}
