/// Jinja2's expression grammar: conditional < or < and < not < comparison < `+ -` < `~` < `* / // %`
/// < `**` (left-associative, as in Jinja) < unary / filters / tests < postfix < primary.
extension TemplateParser {
    /// `a, b` becomes a list (Parley has no tuples); a single expression stays itself.
    mutating func parseTuple(
        withCondexpr: Bool = true, extraEnd: Set<String> = [], explicitParentheses: Bool = false
    ) throws(TemplateSyntaxError) -> TemplateExpression {
        var items: [TemplateExpression] = []
        var isTuple = false
        while true {
            if !items.isEmpty { try expect(.comma) }
            let k = current.kind
            if k == .variableEnd || k == .blockEnd || k == .rparen || (k == .name && extraEnd.contains(current.text)) {
                break
            }
            items.append(try parseExpression(withCondexpr: withCondexpr))
            if current.kind == .comma { isTuple = true } else { break }
        }
        if !isTuple {
            if items.count == 1 { return items[0] }
            if !explicitParentheses { throw error("expected an expression, got \(current.display)") }
        }
        return .tuple(items)
    }

    mutating func parseExpression(withCondexpr: Bool = true) throws(TemplateSyntaxError) -> TemplateExpression {
        withCondexpr ? try parseConditional() : try parseOr()
    }

    mutating func parseConditional() throws(TemplateSyntaxError) -> TemplateExpression {
        let saved = depth
        defer { depth = saved }
        var expression = try parseOr()
        while skipName("if") {
            try enter()
            let test = try parseOr()
            let otherwise: TemplateExpression? = skipName("else") ? try parseConditional() : nil
            expression = .conditional(test: test, then: expression, otherwise: otherwise)
        }
        return expression
    }

    mutating func parseOr() throws(TemplateSyntaxError) -> TemplateExpression {
        let saved = depth
        defer { depth = saved }
        var left = try parseAnd()
        while skipName("or") {
            try enter()
            left = .or(left, try parseAnd())
        }
        return left
    }

    mutating func parseAnd() throws(TemplateSyntaxError) -> TemplateExpression {
        let saved = depth
        defer { depth = saved }
        var left = try parseNot()
        while skipName("and") {
            try enter()
            left = .and(left, try parseNot())
        }
        return left
    }

    mutating func parseNot() throws(TemplateSyntaxError) -> TemplateExpression {
        if isName("not") {
            advance()
            try enter()
            defer { depth -= 1 }
            return .not(try parseNot())
        }
        return try parseCompare()
    }

    mutating func parseCompare() throws(TemplateSyntaxError) -> TemplateExpression {
        let saved = depth
        defer { depth = saved }
        let first = try parseMath1()
        var steps: [TemplateComparisonStep] = []
        while true {
            let op: TemplateComparisonOperator
            switch current.kind {
            case .eq: op = .equal
            case .ne: op = .notEqual
            case .lt: op = .less
            case .lteq: op = .lessOrEqual
            case .gt: op = .greater
            case .gteq: op = .greaterOrEqual
            case .name where current.text == "in": op = .contains
            case .name where current.text == "not" && peek().kind == .name && peek().text == "in":
                advance()
                op = .notContains
            default:
                return steps.isEmpty ? first : .compare(first, steps)
            }
            advance()
            try enter()
            steps.append(TemplateComparisonStep(op: op, operand: try parseMath1()))
        }
    }

    mutating func parseMath1() throws(TemplateSyntaxError) -> TemplateExpression {
        let saved = depth
        defer { depth = saved }
        var left = try parseConcat()
        while current.kind == .add || current.kind == .sub {
            let op: TemplateBinaryOperator = current.kind == .add ? .add : .subtract
            advance()
            try enter()
            left = .binary(op, left, try parseConcat())
        }
        return left
    }

    mutating func parseConcat() throws(TemplateSyntaxError) -> TemplateExpression {
        var parts = [try parseMath2()]
        while skip(.tilde) { parts.append(try parseMath2()) }
        return parts.count == 1 ? parts[0] : .concat(parts)
    }

    mutating func parseMath2() throws(TemplateSyntaxError) -> TemplateExpression {
        let saved = depth
        defer { depth = saved }
        var left = try parsePow()
        while true {
            let op: TemplateBinaryOperator
            switch current.kind {
            case .mul: op = .multiply
            case .div: op = .divide
            case .floordiv: op = .floorDivide
            case .mod: op = .modulo
            default: return left
            }
            advance()
            try enter()
            left = .binary(op, left, try parsePow())
        }
    }

    mutating func parsePow() throws(TemplateSyntaxError) -> TemplateExpression {
        let saved = depth
        defer { depth = saved }
        var left = try parseUnary()
        while skip(.pow) {
            try enter()
            left = .binary(.power, left, try parseUnary())
        }
        return left
    }

    mutating func parseUnary(withFilter: Bool = true) throws(TemplateSyntaxError) -> TemplateExpression {
        let saved = depth
        defer { depth = saved }
        try enter()
        let start = current.start
        var node: TemplateExpression
        if skip(.sub) {
            let operand = try parseUnary(withFilter: false)
            switch operand {
            case .literal(.int(let i)) where i != Int.min: node = .literal(.int(-i))
            case .literal(.double(let d)): node = .literal(.double(-d))
            default: node = .negate(operand)
            }
        } else if skip(.add) {
            node = .plus(try parseUnary(withFilter: false))
        } else {
            node = try parsePrimary()
        }
        node = try parsePostfix(node, start: start)
        if withFilter { node = try parseFilterExpression(node, start: start) }
        return node
    }

    mutating func parsePrimary() throws(TemplateSyntaxError) -> TemplateExpression {
        let token = current
        switch token.kind {
        case .name:
            advance()
            switch token.text {
            case "true", "True": return .literal(.bool(true))
            case "false", "False": return .literal(.bool(false))
            case "none", "None": return .literal(.none)
            default: return .name(token.text, offset: token.start)
            }
        case .string:
            var text = token.text
            advance()
            while current.kind == .string {
                text += current.text
                advance()
            }
            return .literal(.string(text))
        case .integer:
            advance()
            return .literal(.int(token.intValue))
        case .float:
            advance()
            return .literal(.double(token.doubleValue))
        case .lparen:
            advance()
            let inner = try parseTuple(explicitParentheses: true)
            try expect(.rparen)
            return inner
        case .lbracket:
            advance()
            var items: [TemplateExpression] = []
            while current.kind != .rbracket {
                if !items.isEmpty { try expect(.comma) }
                if current.kind == .rbracket { break }
                items.append(try parseExpression())
            }
            try expect(.rbracket)
            if items.allSatisfy({ if case .literal = $0 { true } else { false } }) {
                return .literal(.list(items.map { if case .literal(let v) = $0 { v } else { .none } }))
            }
            return .list(items)
        case .lbrace:
            advance()
            var pairs: [(TemplateExpression, TemplateExpression)] = []
            while current.kind != .rbrace {
                if !pairs.isEmpty { try expect(.comma) }
                if current.kind == .rbrace { break }
                let key = try parseExpression()
                try expect(.colon)
                pairs.append((key, try parseExpression()))
            }
            try expect(.rbrace)
            return .dict(pairs)
        default:
            throw error("unexpected \(token.display)")
        }
    }

    func sourceText(from start: Int) -> String {
        let end = index > 0 ? tokens[index - 1].end : start
        return end > start ? String(decoding: src[start..<end], as: UTF8.self) : ""
    }

    mutating func parsePostfix(_ base: TemplateExpression, start: Int) throws(TemplateSyntaxError) -> TemplateExpression {
        var node = base
        while true {
            switch current.kind {
            case .dot, .lbracket: node = try parseSubscript(node, start: start)
            case .lparen: node = try parseCall(node)
            default: return node
            }
            try enter()
        }
    }

    mutating func parseFilterExpression(_ base: TemplateExpression, start: Int) throws(TemplateSyntaxError) -> TemplateExpression {
        var node = base
        while true {
            if current.kind == .pipe {
                advance()
                node = .filter(node, try parseFilterCall())
            } else if isName("is") {
                node = try parseTest(node)
            } else if current.kind == .lparen {
                node = try parseCall(node)
            } else {
                return node
            }
            try enter()
        }
    }

    private enum Subscript {
        case index(TemplateExpression)
        case slice(TemplateExpression?, TemplateExpression?, TemplateExpression?)
    }

    mutating func parseSubscript(_ base: TemplateExpression, start: Int) throws(TemplateSyntaxError) -> TemplateExpression {
        if skip(.dot) {
            let token = current
            if token.kind == .name {
                advance()
                return .attribute(base, token.text, label: sourceText(from: start))
            }
            if token.kind == .integer {
                advance()
                return .item(base, .literal(.int(token.intValue)), label: sourceText(from: start))
            }
            throw error("expected name or number")
        }
        try expect(.lbracket)
        var args: [Subscript] = []
        while current.kind != .rbracket {
            if !args.isEmpty { try expect(.comma) }
            args.append(try parseSubscribed())
        }
        try expect(.rbracket)
        if args.count == 1 {
            switch args[0] {
            case .index(let i): return .item(base, i, label: sourceText(from: start))
            case .slice(let a, let b, let c): return .slice(base, a, b, c)
            }
        }
        // Jinja indexes with a tuple here, which no list or dict accepts: the result is undefined.
        var items: [TemplateExpression] = []
        for arg in args {
            guard case .index(let e) = arg else { throw error("slices inside a tuple index are not supported") }
            items.append(e)
        }
        return .item(base, .list(items), label: sourceText(from: start))
    }

    private mutating func parseSubscribed() throws(TemplateSyntaxError) -> Subscript {
        var first: TemplateExpression?
        if !skip(.colon) {
            let node = try parseExpression()
            if !skip(.colon) { return .index(node) }
            first = node
        }
        var second: TemplateExpression?
        var third: TemplateExpression?
        if current.kind != .rbracket && current.kind != .comma && current.kind != .colon {
            second = try parseExpression()
        }
        if skip(.colon) {
            if current.kind != .rbracket && current.kind != .comma { third = try parseExpression() }
        }
        return .slice(first, second, third)
    }

    mutating func parseCallArguments() throws(TemplateSyntaxError) -> TemplateCallArguments {
        try expect(.lparen)
        var args = TemplateCallArguments()
        while current.kind != .rparen {
            if !args.positional.isEmpty || !args.keywords.isEmpty { try expect(.comma) }
            if current.kind == .rparen { break }
            if current.kind == .mul || current.kind == .pow {
                throw error("*args and **kwargs are not supported in Parley templates")
            }
            if current.kind == .name && peek().kind == .assign {
                let key = current.text
                advance()
                advance()
                if args.keywords.contains(where: { $0.0 == key }) { throw error("duplicate keyword argument '\(key)'") }
                args.keywords.append((key, try parseExpression()))
            } else {
                if !args.keywords.isEmpty { throw error("invalid syntax for function call expression") }
                args.positional.append(try parseExpression())
            }
        }
        try expect(.rparen)
        return args
    }

    mutating func parseCall(_ callee: TemplateExpression) throws(TemplateSyntaxError) -> TemplateExpression {
        let at = current
        switch callee {
        case .attribute(let base, let name, _):
            return .method(base, name, try parseCallArguments())
        case .name(let name, let offset):
            return .call(name, try parseCallArguments(), offset: offset)
        default:
            throw error("only functions and methods can be called", at: at)
        }
    }

    mutating func parseDottedName() throws(TemplateSyntaxError) -> (String, TemplateToken) {
        let token = current
        var name = try expectName()
        while current.kind == .dot && peek().kind == .name {
            advance()
            name += "." + current.text
            advance()
        }
        return (name, token)
    }

    /// `name` or `name(args)` after a `|`, bound to the filter's parameters.
    mutating func parseFilterCall() throws(TemplateSyntaxError) -> TemplateFilterCall {
        let (name, token) = try parseDottedName()
        guard let filter = TemplateFilter(name: name) else { throw error(TemplateFilter.unknown(name), at: token) }
        let args = current.kind == .lparen ? try parseCallArguments() : TemplateCallArguments()
        do {
            return try filter.bind(args)
        } catch {
            throw self.error("filter '\(name)': \(error.message)", at: token)
        }
    }

    mutating func parseTest(_ base: TemplateExpression) throws(TemplateSyntaxError) -> TemplateExpression {
        advance()  // 'is'
        let negated = skipName("not")
        let (name, token) = try parseDottedName()
        guard let test = TemplateTest(rawValue: name) else { throw error("No test named '\(name)'.", at: token) }
        var argument: TemplateExpression?
        if current.kind == .lparen {
            let args = try parseCallArguments()
            if args.positional.count + args.keywords.count > 1 { throw error("test '\(name)' takes one argument") }
            argument = args.positional.first ?? args.keywords.first?.1
        } else if [.name, .string, .integer, .float, .lparen, .lbracket, .lbrace].contains(current.kind)
            && !(current.kind == .name && ["else", "or", "and"].contains(current.text))
        {
            if isName("is") { throw error("You cannot chain multiple tests with is") }
            let start = current.start
            argument = try parsePostfix(try parsePrimary(), start: start)
        }
        if test.takesArgument && argument == nil { throw error("test '\(name)' needs an argument", at: token) }
        if !test.takesArgument && argument != nil { throw error("test '\(name)' takes no argument", at: token) }
        return .test(base, TestCall(test: test, argument: argument, negated: negated))
    }
}
