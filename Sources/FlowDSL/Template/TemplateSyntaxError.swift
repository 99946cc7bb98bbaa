/// Parse errors carry where in the template source they are (1-based line and column within the
/// template text, and the UTF-8 offset), so a bot author can find the broken `(@ … )` in a YAML string.
///
/// `column` counts Unicode code points from the start of the line.
public struct TemplateSyntaxError: Error, CustomStringConvertible, Sendable, Equatable {
    public let message: String
    public let line: Int
    public let column: Int
    public let offset: Int

    public init(message: String, line: Int, column: Int, offset: Int) {
        self.message = message
        self.line = line
        self.column = column
        self.offset = offset
    }

    /// Builds the error for a UTF-8 offset into `source`, computing line and column.
    init(_ message: String, offset: Int, in source: [UInt8]) {
        let (line, column) = TemplateSourcePosition.lineAndColumn(offset: offset, in: source)
        self.init(message: message, line: line, column: column, offset: offset)
    }

    public var description: String { "template syntax error at line \(line), column \(column): \(message)" }
}

/// Maps UTF-8 offsets to 1-based line / code-point column pairs.
enum TemplateSourcePosition {
    static func lineAndColumn(offset: Int, in source: [UInt8]) -> (Int, Int) {
        var line = 1
        var column = 1
        let end = min(max(offset, 0), source.count)
        var i = 0
        while i < end {
            let b = source[i]
            if b == 0x0A {
                line += 1
                column = 1
            } else if b == 0x0D {
                if i + 1 < source.count && source[i + 1] == 0x0A {
                    // counted at the \n
                } else {
                    line += 1
                    column = 1
                }
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        return (line, column)
    }
}
