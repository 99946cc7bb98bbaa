/// Errors at render time (undefined name under strict rules, type errors, division by zero, output
/// limits…). Rendering never crashes: every failure of a bot's template surfaces as one of these.
public struct TemplateRenderError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String

    public init(_ message: String) { self.message = message }
    public init(message: String) { self.message = message }

    public var description: String { "template render error: \(message)" }
}
