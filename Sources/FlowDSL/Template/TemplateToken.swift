/// One lexical unit of a template: literal text between tags, a tag delimiter, or a piece of an
/// expression. The parser consumes a flat array of these, so lexing happens once per template.
struct TemplateToken: Sendable {
    enum Kind: UInt8, Sendable {
        case data, variableBegin, variableEnd, blockBegin, blockEnd
        case name, string, integer, float
        case add, sub, div, floordiv, mul, mod, pow, tilde
        case lbracket, rbracket, lparen, rparen, lbrace, rbrace
        case eq, ne, gt, gteq, lt, lteq, assign, dot, colon, pipe, comma, semicolon
        case eof
    }

    var kind: Kind
    /// UTF-8 offset of the first byte and one past the last byte in the template source.
    var start: Int
    var end: Int
    /// Text of `data`, `name` and `string` tokens (strings already unescaped).
    var text: String = ""
    var intValue: Int = 0
    var doubleValue: Double = 0

    /// How the token reads in an error message.
    var display: String {
        switch kind {
        case .data: return "template data"
        case .variableBegin: return "'(@'"
        case .variableEnd: return "')'"
        case .blockBegin: return "'(%'"
        case .blockEnd: return "'%)'"
        case .name: return "'\(text)'"
        case .string: return "string"
        case .integer: return "integer"
        case .float: return "float"
        case .eof: return "end of template"
        default: return "'\(Self.operatorText[kind] ?? "?")'"
        }
    }

    static let operatorText: [Kind: String] = [
        .add: "+", .sub: "-", .div: "/", .floordiv: "//", .mul: "*", .mod: "%", .pow: "**", .tilde: "~",
        .lbracket: "[", .rbracket: "]", .lparen: "(", .rparen: ")", .lbrace: "{", .rbrace: "}",
        .eq: "==", .ne: "!=", .gt: ">", .gteq: ">=", .lt: "<", .lteq: "<=", .assign: "=", .dot: ".",
        .colon: ":", .pipe: "|", .comma: ",", .semicolon: ";",
    ]
}
