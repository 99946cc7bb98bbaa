/// Finds the static scope paths a parsed template reads, for `Template.references`.
enum TemplateReferenceCollector {
    static func collect(_ nodes: [TemplateNode], source: [UInt8], bound: Set<String>) -> [TemplateReference] {
        var collector = Walker(source: source, bound: bound.union(["loop"]))
        collector.visit(nodes)
        return collector.found
    }

    private struct Walker {
        let source: [UInt8]
        let bound: Set<String>
        var found: [TemplateReference] = []

        /// The dotted path of `name.a['b'].c`, if the expression is exactly such a chain.
        func chain(_ e: TemplateExpression) -> ([String], Int)? {
            switch e {
            case .name(let n, let offset): return ([n], offset)
            case .attribute(let base, let key, _):
                guard let (path, offset) = chain(base) else { return nil }
                return (path + [key], offset)
            case .item(let base, .literal(.string(let key)), _):
                guard let (path, offset) = chain(base) else { return nil }
                return (path + [key], offset)
            default: return nil
            }
        }

        mutating func record(_ path: [String], _ offset: Int) {
            guard !bound.contains(path[0]) else { return }
            let (line, column) = TemplateSourcePosition.lineAndColumn(offset: offset, in: source)
            found.append(TemplateReference(path: path, line: line, column: column))
        }

        mutating func visit(_ nodes: [TemplateNode]) {
            for node in nodes {
                switch node {
                case .text: break
                case .output(let e): visit(e)
                case .conditional(let branches, let otherwise):
                    for (test, body) in branches {
                        visit(test)
                        visit(body)
                    }
                    visit(otherwise)
                case .loop(let loop):
                    visit(loop.iterable)
                    if let c = loop.condition { visit(c) }
                    visit(loop.body)
                    visit(loop.otherwise)
                case .assign(_, let e, _): visit(e)
                case .assignBlock(_, let body, let filters):
                    visit(body)
                    for f in filters { visit(f) }
                case .scope(let assignments, let body):
                    for (_, e) in assignments { visit(e) }
                    visit(body)
                case .filterBlock(let filters, let body):
                    for f in filters { visit(f) }
                    visit(body)
                }
            }
        }

        mutating func visit(_ call: TemplateFilterCall) {
            for case let e? in call.slots { visit(e) }
            for e in call.extra { visit(e) }
            for (_, e) in call.keywords { visit(e) }
        }

        mutating func visit(_ args: TemplateCallArguments) {
            for e in args.positional { visit(e) }
            for (_, e) in args.keywords { visit(e) }
        }

        mutating func visit(_ e: TemplateExpression) {
            if let (path, offset) = chain(e) {
                record(path, offset)
                return
            }
            switch e {
            case .literal, .name: break
            case .attribute(let base, _, _): visit(base)
            case .item(let base, let index, _):
                visit(base)
                visit(index)
            case .slice(let base, let a, let b, let c):
                visit(base)
                for case let x? in [a, b, c] { visit(x) }
            case .negate(let x), .plus(let x), .not(let x): visit(x)
            case .binary(_, let a, let b), .and(let a, let b), .or(let a, let b):
                visit(a)
                visit(b)
            case .concat(let parts), .list(let parts), .tuple(let parts):
                for p in parts { visit(p) }
            case .compare(let first, let steps):
                visit(first)
                for s in steps { visit(s.operand) }
            case .conditional(let test, let then, let otherwise):
                visit(then)
                visit(test)
                if let otherwise { visit(otherwise) }
            case .filter(let input, let call):
                visit(input)
                visit(call)
            case .test(let input, let call):
                visit(input)
                if let a = call.argument { visit(a) }
            case .call(_, let args, _): visit(args)
            case .method(let base, _, let args):
                visit(base)
                visit(args)
            case .dict(let pairs):
                for (k, v) in pairs {
                    visit(k)
                    visit(v)
                }
            }
        }
    }
}
