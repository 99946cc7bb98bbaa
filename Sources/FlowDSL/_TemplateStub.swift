// TEMPORARY stub of the template API contract; removed when Template/ lands.
import OrderedCollections
public typealias TemplateMap = OrderedDictionary<String, TemplateValue>
public enum TemplateValue: Sendable, Hashable {
    case none, bool(Bool), int(Int), double(Double), string(String), list([TemplateValue]), map(TemplateMap)
    public var isTruthy: Bool { true }
    public var pythonString: String { "\(self)" }
    public var pythonRepr: String { "\(self)" }
}
public struct TemplateSyntaxError: Error, CustomStringConvertible, Sendable { public let message: String; public let line: Int; public let column: Int; public let offset: Int; public var description: String { message } }
public struct TemplateRenderError: Error, CustomStringConvertible, Sendable { public let message: String; public var description: String { message } }
public struct TemplateContext: Sendable {
    var scopes: [String: TemplateValue]
    public init(_ scopes: [String: TemplateValue] = [:], lenientScopes: Set<String> = ["user", "thread"]) { self.scopes = scopes }
    public subscript(name: String) -> TemplateValue? { get { scopes[name] } set { scopes[name] = newValue } }
}
public struct TemplateReference: Sendable, Hashable { public let path: [String]; public let line: Int; public let column: Int }
public struct Template: Sendable {
    public init(_ source: String) throws(TemplateSyntaxError) {
        self.source = source
        if source.contains("(@") && !source.contains(")") { throw TemplateSyntaxError(message: "unclosed", line: 1, column: 1, offset: 0) }
    }
    public let source: String
    public var isConstant: Bool { !source.contains("(@") && !source.contains("(%") }
    public var isSingleExpression: Bool { false }
    public var references: [TemplateReference] { [] }
    public func render(_ context: TemplateContext) throws(TemplateRenderError) -> TemplateValue { .string(source) }
    public func renderString(_ context: TemplateContext) throws(TemplateRenderError) -> String { source }
}
