/// Replace columns `start..<end` of one input line with `spaces` spaces.
///
/// Exists to express the in-line spacing fixes (`-   x` → `- x`,
/// `key:   v` → `key: v`, `key :` → `key:`) without touching token text.
struct YAMLFormatLineEdit: Sendable {
    var start: Int
    var end: Int
    var spaces: Int
}

/// What the rewriter must do with one input line, as decided by
/// ``YAMLFormatScanner``.
///
/// Exists to separate deciding (which needs the parsed tree) from rewriting
/// (which only needs this plan and the text).
struct YAMLFormatLinePlan: Sendable {
    /// Target indentation when the line starts with a block entry (`key:` or
    /// `-`) or a node; nil for other lines.
    var indent: Int?
    /// `---`, `...` and `%` directive lines: kept at column 0.
    var isMarker = false
    /// In-line spacing edits, ordered by column.
    var edits: [YAMLFormatLineEdit] = []
    /// Index of the multi-line token this line continues, if any.
    var owner: Int?
    /// The line ends inside a multi-line token: its trailing blanks are kept.
    var keepTrailing = false
}

/// A token that spans lines: a block scalar, a multi-line quoted or plain
/// scalar, or a multi-line flow collection.
///
/// Exists because the continuation lines of such a token are content (block
/// scalars) or must stay inside their parent (the others), so they are moved
/// together with the token instead of being re-indented on their own.
struct YAMLFormatToken: Sendable {
    enum Kind: Sendable {
        /// Quoted or plain scalar, or flow collection: continuation lines
        /// move by the same amount as the token's first character.
        case folded
        /// Block scalar: content indentation goes from `origIndent` to
        /// `newIndent`, keeping relative indentation. `keep` is `+` chomping.
        case blockScalar(origIndent: Int, newIndent: Int, keep: Bool)
    }

    var kind: Kind
    var start: YAMLFormatPosition
    var endLine: Int
    /// Column of the innermost enclosing block collection, before and after
    /// formatting (-1 at document level).
    var parentOrig: Int
    var parentTarget: Int
}
