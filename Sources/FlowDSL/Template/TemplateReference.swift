/// A name followed by constant attribute / string-index lookups, as written in the template, for
/// validation (e.g. `vault.support_phone` must be a known vault key).
///
/// Names bound inside the template itself (`for` targets, `set` variables, `loop`) and called globals
/// (`range(…)`) are not references. `line`/`column` point at the name (1-based, column in code points).
public struct TemplateReference: Sendable, Hashable, CustomStringConvertible {
    public let path: [String]
    public let line: Int
    public let column: Int

    public init(path: [String], line: Int, column: Int) {
        self.path = path
        self.line = line
        self.column = column
    }

    public var description: String { path.joined(separator: ".") }
}
