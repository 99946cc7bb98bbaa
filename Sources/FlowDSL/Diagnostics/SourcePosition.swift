/// Where something was written: a file relative to the app folder, and a 1-based line and column.
///
/// Every element, field and diagnostic carries one, so errors read like a compiler's
/// (`flow/pre_chat.yaml:12:7: error: …`). Not named `SourceLocation`, which Swift Testing owns.
public struct SourcePosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The file, relative to the app folder (`flow/pre_chat.yaml`).
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column, counted in characters.
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:col`, the form editors and terminals turn into links.
    public var description: String { "\(file):\(line):\(column)" }

    public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }

    /// The position `lineOffset` lines and (on the same line) `columnOffset` columns further on.
    public func advanced(lines lineOffset: Int = 0, columns columnOffset: Int) -> SourcePosition {
        SourcePosition(file: file, line: line + lineOffset, column: lineOffset == 0 ? column + columnOffset : columnOffset + 1)
    }
}
