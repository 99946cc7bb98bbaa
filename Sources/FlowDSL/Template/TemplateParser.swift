/// Turns the token stream into `TemplateNode`s / `TemplateExpression`s following Jinja2's grammar
/// (same precedence, same quirks), resolving filters and tests by name so unknown ones fail at parse
/// time, and capping nesting depth so hostile input cannot overflow the stack.
struct TemplateParser {
    let src: [UInt8]
    let tokens: [TemplateToken]
    var index = 0
    /// Current expression nesting (parentheses, unary operators, operator chains…).
    var depth = 0
    /// Current statement nesting (`if` inside `for` inside …).
    var blockDepth = 0
    /// Names the template binds itself (`for`/`set`/`with` targets); they are not scope references.
    var boundNames: Set<String> = []

    static let maxDepth = 100

    init(source: [UInt8], tokens: [TemplateToken]) {
        self.src = source
        self.tokens = tokens
    }

    // MARK: token helpers

    var current: TemplateToken { tokens[index] }

    func peek(_ offset: Int = 1) -> TemplateToken {
        let i = index + offset
        return i < tokens.count ? tokens[i] : tokens[tokens.count - 1]
    }

    mutating func advance() {
        if index < tokens.count - 1 { index += 1 }
    }

    func isName(_ value: String) -> Bool { current.kind == .name && current.text == value }

    mutating func skipName(_ value: String) -> Bool {
        if isName(value) {
            advance()
            return true
        }
        return false
    }

    mutating func skip(_ kind: TemplateToken.Kind) -> Bool {
        if current.kind == kind {
            advance()
            return true
        }
        return false
    }

    func error(_ message: String, at token: TemplateToken? = nil) -> TemplateSyntaxError {
        TemplateSyntaxError(message, offset: (token ?? current).start, in: src)
    }

    @discardableResult
    mutating func expect(_ kind: TemplateToken.Kind, _ what: String? = nil) throws(TemplateSyntaxError) -> TemplateToken {
        let token = current
        guard token.kind == kind else {
            let expected = what ?? TemplateToken(kind: kind, start: 0, end: 0).display
            throw error("expected \(expected), got \(token.display)")
        }
        advance()
        return token
    }

    mutating func expectName() throws(TemplateSyntaxError) -> String {
        try expect(.name, "a name").text
    }

    mutating func enter() throws(TemplateSyntaxError) {
        depth += 1
        if depth > Self.maxDepth {
            throw error("expression is nested too deeply (more than \(Self.maxDepth) levels)")
        }
    }

    // MARK: statements

    /// Parses the whole template.
    mutating func parseTemplate() throws(TemplateSyntaxError) -> [TemplateNode] {
        let (body, _) = try subparse(until: [])
        return body
    }

    /// Parses nodes until a `(% tag %)` whose name is in `endTags` (left as the current token) or EOF.
    mutating func subparse(until endTags: [String]) throws(TemplateSyntaxError) -> ([TemplateNode], String?) {
        var body: [TemplateNode] = []
        while true {
            let token = current
            switch token.kind {
            case .data:
                advance()
                body.append(.text(token.text))
            case .variableBegin:
                advance()
                let expression = try parseTuple()
                try expect(.variableEnd)
                body.append(.output(expression))
            case .blockBegin:
                advance()
                if current.kind == .name, endTags.contains(current.text) {
                    return (body, current.text)
                }
                body.append(try parseStatement())
            case .eof:
                if !endTags.isEmpty {
                    let wanted = endTags.map { "'\($0)'" }.joined(separator: " or ")
                    throw error("unexpected end of template, expected \(wanted)")
                }
                return (body, nil)
            default:
                throw error("unexpected \(token.display)")
            }
        }
    }

    mutating func parseStatement() throws(TemplateSyntaxError) -> TemplateNode {
        let token = current
        guard token.kind == .name else { throw error("tag name expected") }
        blockDepth += 1
        defer { blockDepth -= 1 }
        if blockDepth > Self.maxDepth {
            throw error("statements are nested too deeply (more than \(Self.maxDepth) levels)")
        }
        switch token.text {
        case "if": return try parseIf()
        case "for": return try parseFor()
        case "set": return try parseSet()
        case "with": return try parseWith()
        case "filter": return try parseFilterBlock()
        case "macro", "call", "block", "extends", "include", "import", "from", "trans", "pluralize", "do",
            "break", "continue", "autoescape", "recursive":
            throw error("the '\(token.text)' tag is not supported in Parley templates")
        default:
            throw error("Encountered unknown tag '\(token.text)'.")
        }
    }

    /// Jinja's `parse_statements`: an optional `:` then `%)` before a body.
    mutating func expectBody() throws(TemplateSyntaxError) {
        _ = skip(.colon)
        try expect(.blockEnd)
    }

    /// Consumes `(% name %)` after `subparse` stopped at it.
    mutating func closeTag() throws(TemplateSyntaxError) {
        advance()
        try expect(.blockEnd)
    }

    mutating func parseIf() throws(TemplateSyntaxError) -> TemplateNode {
        advance()
        var test = try parseTuple(withCondexpr: false)
        try expectBody()
        var branches: [(TemplateExpression, [TemplateNode])] = []
        while true {
            let (body, tag) = try subparse(until: ["elif", "else", "endif"])
            branches.append((test, body))
            if tag == "elif" {
                advance()
                test = try parseTuple(withCondexpr: false)
                try expectBody()
                continue
            }
            if tag == "else" {
                advance()
                try expectBody()
                let (otherwise, _) = try subparse(until: ["endif"])
                try closeTag()
                return .conditional(branches, otherwise)
            }
            try closeTag()
            return .conditional(branches, [])
        }
    }

    /// Assignment targets: `a`, `a, b`, `(a, b)`.
    mutating func parseTargets(endName: String?) throws(TemplateSyntaxError) -> ([String], Bool) {
        let parenthesized = skip(.lparen)
        var names: [String] = []
        var unpack = parenthesized
        while true {
            if current.kind != .name || current.text == endName {
                throw error("can't assign to \(current.display)")
            }
            names.append(current.text)
            advance()
            guard skip(.comma) else { break }
            unpack = true
            if parenthesized && current.kind == .rparen { break }
            if !parenthesized && (current.kind == .assign || current.kind == .blockEnd || (endName.map(isName) ?? false)) {
                break
            }
        }
        if parenthesized { try expect(.rparen) }
        for name in names where ["true", "false", "none", "True", "False", "None"].contains(name) {
            throw error("can't assign to constant '\(name)'")
        }
        boundNames.formUnion(names)
        return (names, unpack)
    }

    mutating func parseFor() throws(TemplateSyntaxError) -> TemplateNode {
        advance()
        let (targets, unpack) = try parseTargets(endName: "in")
        guard skipName("in") else { throw error("expected 'in', got \(current.display)") }
        let iterable = try parseTuple(withCondexpr: false, extraEnd: ["recursive"])
        var condition: TemplateExpression?
        if skipName("if") { condition = try parseExpression() }
        if isName("recursive") { throw error("recursive loops are not supported in Parley templates") }
        try expectBody()
        let (body, tag) = try subparse(until: ["endfor", "else"])
        var otherwise: [TemplateNode] = []
        if tag == "else" {
            advance()
            try expectBody()
            (otherwise, _) = try subparse(until: ["endfor"])
        }
        try closeTag()
        return .loop(TemplateLoopNode(targets: targets, unpack: unpack, iterable: iterable, condition: condition,
                              body: body, otherwise: otherwise))
    }

    mutating func parseSet() throws(TemplateSyntaxError) -> TemplateNode {
        advance()
        if current.kind == .name && peek().kind == .dot {
            throw error("namespace attribute assignment ('set a.b = …') is not supported in Parley templates")
        }
        let (targets, unpack) = try parseTargets(endName: nil)
        if skip(.assign) {
            let value = try parseTuple()
            try expect(.blockEnd)
            return .assign(targets, value, unpack: unpack)
        }
        guard targets.count == 1, !unpack else { throw error("expected '='") }
        var filters: [TemplateFilterCall] = []
        while current.kind == .pipe {
            advance()
            filters.append(try parseFilterCall())
        }
        try expectBody()
        let (body, _) = try subparse(until: ["endset"])
        try closeTag()
        return .assignBlock(targets[0], body, filters: filters)
    }

    mutating func parseWith() throws(TemplateSyntaxError) -> TemplateNode {
        advance()
        var assignments: [(String, TemplateExpression)] = []
        while current.kind != .blockEnd && current.kind != .colon {
            if !assignments.isEmpty { try expect(.comma) }
            let name = try expectName()
            boundNames.insert(name)
            try expect(.assign)
            assignments.append((name, try parseExpression()))
        }
        try expectBody()
        let (body, _) = try subparse(until: ["endwith"])
        try closeTag()
        return .scope(assignments, body)
    }

    mutating func parseFilterBlock() throws(TemplateSyntaxError) -> TemplateNode {
        advance()
        var filters = [try parseFilterCall()]
        while skip(.pipe) { filters.append(try parseFilterCall()) }
        try expectBody()
        let (body, _) = try subparse(until: ["endfilter"])
        try closeTag()
        return .filterBlock(filters, body)
    }
}
