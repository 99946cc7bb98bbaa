/// Renders a parsed template against a context: walks the AST with plain `switch`es, keeps template
/// locals (`set`, `for` targets, `loop`) in a flat stack, and enforces Jinja's StrictUndefined rules and
/// Parley's resource limits (output size, collection size, loop iterations).
struct TemplateEvaluator {
    let context: TemplateContext
    /// Template locals, innermost last. Frames are delimited by `frameStart`.
    var locals: [(String, TemplateEvalValue)] = []
    var frameStart = 0
    var loopDepth = 0
    var iterations = 0
    /// Last value passed to `loop.changed(…)`, per loop nesting level.
    var changedMemory: [TemplateValue?] = []

    static let maxStringBytes = 10 * 1024 * 1024
    static let maxListCount = 1_000_000
    static let maxIterations = 1_000_000

    init(context: TemplateContext) { self.context = context }

    // MARK: names

    @inline(__always)
    func local(_ name: String) -> TemplateEvalValue? {
        if locals.isEmpty { return nil }
        var i = locals.count - 1
        while i >= 0 {
            if locals[i].0 == name { return locals[i].1 }
            i -= 1
        }
        return nil
    }

    @inline(__always)
    func resolve(_ name: String) -> TemplateEvalValue {
        if let v = local(name) { return v }
        if let entry = context.entries[name] { return .value(entry.value) }
        return .undefinedName(name)
    }

    /// Binds a name in the current frame (Jinja: a `set` inside a loop body stays in the loop).
    mutating func bind(_ name: String, _ value: TemplateEvalValue) {
        var i = locals.count - 1
        while i >= frameStart {
            if locals[i].0 == name {
                locals[i].1 = value
                return
            }
            i -= 1
        }
        locals.append((name, value))
    }

    // MARK: conversions with StrictUndefined rules

    @inline(__always)
    func truthy(_ v: TemplateEvalValue) throws(TemplateRenderError) -> Bool {
        switch v {
        case .value(let t): return t.isTruthy
        case .undefined(let u): if u.lenient { return false } else { throw u.error }
        case .loop: return true
        }
    }

    /// A data value; undefined and `loop` are errors here.
    @inline(__always)
    func materialize(_ v: TemplateEvalValue) throws(TemplateRenderError) -> TemplateValue {
        switch v {
        case .value(let t): return t
        case .undefined(let u): throw u.error
        case .loop: throw TemplateRenderError("the loop object cannot be used as a value")
        }
    }

    /// Python `str()` (lenient undefined prints as nothing).
    func string(_ v: TemplateEvalValue) throws(TemplateRenderError) -> String {
        switch v {
        case .value(let t): return t.pythonString
        case .undefined(let u): if u.lenient { return "" } else { throw u.error }
        case .loop(let l): return "<LoopContext \(l.index0 + 1)/\(l.length)>"
        }
    }

    @inline(__always)
    func append(_ v: TemplateEvalValue, to out: inout String) throws(TemplateRenderError) {
        switch v {
        case .value(let t): t.appendPythonString(to: &out)
        default: out += try string(v)
        }
    }

    /// The items a `for` loop or an iterating filter sees: list items, dict keys, string characters.
    func iterate(_ v: TemplateEvalValue) throws(TemplateRenderError) -> [TemplateValue] {
        switch v {
        case .value(let t):
            switch t {
            case .list(let items): return items
            case .map(let m): return m.keys.map { .string($0) }
            case .string(let s): return s.unicodeScalars.map { .string(String($0)) }
            default: throw TemplateRenderError("'\(t.pythonTypeName)' object is not iterable")
            }
        case .undefined(let u): if u.lenient { return [] } else { throw u.error }
        case .loop: throw TemplateRenderError("'LoopContext' object is not iterable")
        }
    }

    mutating func countIteration() throws(TemplateRenderError) {
        iterations += 1
        if iterations > Self.maxIterations {
            throw TemplateRenderError("template exceeded \(Self.maxIterations) loop iterations")
        }
    }

    static func checkSize(_ s: String) throws(TemplateRenderError) {
        if s.utf8.count > maxStringBytes {
            throw TemplateRenderError("template output exceeds \(maxStringBytes) bytes")
        }
    }

    static func checkCount(_ n: Int) throws(TemplateRenderError) {
        if n > maxListCount { throw TemplateRenderError("list exceeds \(maxListCount) items") }
    }

    // MARK: statements

    mutating func render(_ nodes: [TemplateNode], into out: inout String) throws(TemplateRenderError) {
        for node in nodes {
            switch node {
            case .text(let text):
                out += text
            case .output(let expression):
                try append(try eval(expression), to: &out)
            case .conditional(let branches, let otherwise):
                var taken = false
                for (test, body) in branches where try truthy(try eval(test)) {
                    try render(body, into: &out)
                    taken = true
                    break
                }
                if !taken { try render(otherwise, into: &out) }
            case .loop(let loop):
                try renderLoop(loop, into: &out)
            case .assign(let targets, let expression, let unpack):
                let value = try eval(expression)
                try assign(targets, unpack: unpack, value)
            case .assignBlock(let name, let body, let filters):
                var captured = ""
                try render(body, into: &captured)
                var value = TemplateEvalValue.value(.string(captured))
                for call in filters { value = try applyFilter(call, to: value) }
                bind(name, value)
            case .scope(let assignments, let body):
                var values: [(String, TemplateEvalValue)] = []
                for (name, expression) in assignments { values.append((name, try eval(expression))) }
                let base = locals.count
                let savedFrame = frameStart
                frameStart = base
                for (name, value) in values { bind(name, value) }
                defer {
                    locals.removeSubrange(base...)
                    frameStart = savedFrame
                }
                try render(body, into: &out)
            case .filterBlock(let filters, let body):
                var captured = ""
                try render(body, into: &captured)
                var value = TemplateEvalValue.value(.string(captured))
                for call in filters { value = try applyFilter(call, to: value) }
                try append(value, to: &out)
            }
            try Self.checkSize(out)
        }
    }

    mutating func assign(_ targets: [String], unpack: Bool, _ value: TemplateEvalValue) throws(TemplateRenderError) {
        if !unpack {
            bind(targets[0], value)
            return
        }
        let items = try iterate(value)
        guard items.count == targets.count else {
            throw TemplateRenderError(
                items.count > targets.count
                    ? "too many values to unpack (expected \(targets.count))"
                    : "not enough values to unpack (expected \(targets.count), got \(items.count))")
        }
        for (name, item) in zip(targets, items) { bind(name, .value(item)) }
    }

    mutating func renderLoop(_ loop: TemplateLoopNode, into out: inout String) throws(TemplateRenderError) {
        var items = try iterate(try eval(loop.iterable))
        let base = locals.count
        let savedFrame = frameStart
        frameStart = base
        let level = loopDepth
        loopDepth += 1
        changedMemory.append(nil)
        defer {
            locals.removeSubrange(base...)
            frameStart = savedFrame
            loopDepth -= 1
            changedMemory.removeLast()
        }
        if let condition = loop.condition {
            var kept: [TemplateValue] = []
            for item in items {
                try countIteration()
                locals.removeSubrange(base...)
                try assign(loop.targets, unpack: loop.unpack, .value(item))
                if try truthy(try eval(condition)) { kept.append(item) }
            }
            items = kept
        }
        if items.isEmpty {
            locals.removeSubrange(base...)
            frameStart = savedFrame
            try render(loop.otherwise, into: &out)
            return
        }
        for index in items.indices {
            try countIteration()
            locals.removeSubrange(base...)
            try assign(loop.targets, unpack: loop.unpack, .value(items[index]))
            locals.append(("loop", .loop(TemplateLoopState(items: items, index0: index, level: level))))
            try render(loop.body, into: &out)
        }
    }

    // MARK: expressions

    /// Meya's string enums, by the scope and field that hold one, with their value when unset:
    /// an attribute of one (`thread.mode.agent`, `event_user.type.user`) is whether it equals
    /// the attribute's name (`meya/db/view/thread.py`, `user.py`). Matched on the expression's
    /// shape: nothing is built for the other attributes a template reads.
    static func meyaEnumDefault(_ scope: String, _ field: String) -> String? {
        switch (scope, field) {
        case ("thread", "mode"): "bot"
        case ("event_user", "type"), ("user", "type"): "user"
        default: nil
        }
    }

    mutating func eval(_ expression: TemplateExpression) throws(TemplateRenderError) -> TemplateEvalValue {
        switch expression {
        case .literal(let v):
            return .value(v)
        case .name(let name, _):
            return resolve(name)
        case .attribute(let base, let key, let label):
            if case .attribute(.name(let scope, _), let field, _) = base, let meyaDefault = Self.meyaEnumDefault(scope, field) {
                // Meya's ThreadMode and UserType: `thread.mode.agent` is whether the mode is `agent`.
                switch try materialize(try eval(base)) {
                case .string(let value): return .value(.bool(value == key))
                case .none: return .value(.bool(meyaDefault == key))
                default: break
                }
            }
            if case .name(let name, _) = base, local(name) == nil {
                // Fast path for scope lookups such as `user.name`.
                guard let entry = context.entries[name] else { throw TemplateUndefined(label: name, lenient: false).error }
                if case .map(let map) = entry.value {
                    if let v = map[key] { return .value(v) }
                    return entry.lenient ? .value(.none) : .undefinedName(label)
                }
                return try attribute(of: .value(entry.value), key, label: label)
            }
            return try attribute(of: try eval(base), key, label: label)
        case .item(let base, let index, let label):
            let container = try eval(base)
            let key = try eval(index)
            if case .name(let name, _) = base, case .value(.string(let k)) = key, local(name) == nil,
                let entry = context.entries[name], entry.lenient, case .map(let map) = entry.value
            {
                return .value(map[k] ?? .none)
            }
            return try item(of: container, key, label: label)
        case .slice(let base, let start, let stop, let step):
            return try slice(base, start, stop, step)
        case .negate(let operand):
            return .value(try TemplatePython.negate(try materialize(try eval(operand))))
        case .plus(let operand):
            return .value(try TemplatePython.plus(try materialize(try eval(operand))))
        case .not(let operand):
            return .value(.bool(!(try truthy(try eval(operand)))))
        case .binary(let op, let lhs, let rhs):
            let a = try materialize(try eval(lhs))
            let b = try materialize(try eval(rhs))
            if op == .modulo, case .string(let format) = a {
                var isTuple = false
                if case .tuple = rhs { isTuple = true }
                return .value(.string(try TemplatePercentFormat.percent(format, b, isTuple: isTuple)))
            }
            return .value(try TemplatePython.binary(op, a, b))
        case .concat(let parts):
            var out = ""
            for part in parts {
                try append(try eval(part), to: &out)
                try Self.checkSize(out)
            }
            return .value(.string(out))
        case .and(let lhs, let rhs):
            let a = try eval(lhs)
            return try truthy(a) ? try eval(rhs) : a
        case .or(let lhs, let rhs):
            let a = try eval(lhs)
            return try truthy(a) ? a : try eval(rhs)
        case .compare(let first, let steps):
            var left = try eval(first)
            for step in steps {
                let right = try eval(step.operand)
                if !(try compare(step.op, left, right)) { return .value(.bool(false)) }
                left = right
            }
            return .value(.bool(true))
        case .conditional(let test, let then, let otherwise):
            if try truthy(try eval(test)) { return try eval(then) }
            if let otherwise { return try eval(otherwise) }
            return .undefined(TemplateUndefined(label: "inline if-expression without else", lenient: true))
        case .filter(let input, let call):
            return try applyFilter(call, to: try eval(input))
        case .test(let input, let call):
            let value = try eval(input)
            let argument = try call.argument.map { (e) throws(TemplateRenderError) in try eval(e) }
            let result = try applyTest(call.test, value, argument)
            return .value(.bool(result != call.negated))
        case .call(let name, let args, _):
            return try callGlobal(name, args)
        case .method(let base, let name, let args):
            return try callMethod(try eval(base), name, args)
        case .list(let items), .tuple(let items):
            var values: [TemplateValue] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try materialize(try eval(item))) }
            return .value(.list(values))
        case .dict(let pairs):
            var map = TemplateMap(minimumCapacity: pairs.count)
            for (keyExpression, valueExpression) in pairs {
                let key = try materialize(try eval(keyExpression))
                guard case .string(let k) = key else {
                    throw TemplateRenderError("dict keys must be strings in Parley templates, got \(key.pythonRepr)")
                }
                map[k] = try materialize(try eval(valueExpression))
            }
            return .value(.map(map))
        }
    }

    func attribute(of base: TemplateEvalValue, _ key: String, label: String) throws(TemplateRenderError) -> TemplateEvalValue {
        switch base {
        case .value(.map(let map)):
            if let v = map[key] { return .value(v) }
            return .undefinedName(label)
        case .value:
            return .undefinedName(label)
        case .undefined(let u):
            throw u.error
        case .loop(let state):
            return state.attribute(key) ?? .undefinedName(label)
        }
    }

    func item(of base: TemplateEvalValue, _ key: TemplateEvalValue, label: String) throws(TemplateRenderError) -> TemplateEvalValue {
        let index: TemplateValue
        switch key {
        case .value(let k): index = k
        case .undefined(let u): if case .value(.list) = base { throw u.error } else { return .undefinedName(label) }
        case .loop: return .undefinedName(label)
        }
        switch base {
        case .value(.map(let map)):
            if case .string(let k) = index, let v = map[k] { return .value(v) }
            // Scope maps keep Python's int keys as text (`flow.groups[0]`: a regex's first group).
            if case .int(let k) = index, let v = map[String(k)] { return .value(v) }
            return .undefinedName(label)
        case .value(.list(let items)):
            guard var i = TemplatePython.intIndex(index) else { return .undefinedName(label) }
            if i < 0 { i += items.count }
            return i >= 0 && i < items.count ? .value(items[i]) : .undefinedName(label)
        case .value(.string(let s)):
            guard var i = TemplatePython.intIndex(index) else { return .undefinedName(label) }
            let scalars = s.unicodeScalars
            let count = scalars.count
            if i < 0 { i += count }
            guard i >= 0 && i < count else { return .undefinedName(label) }
            return .value(.string(String(scalars[scalars.index(scalars.startIndex, offsetBy: i)])))
        case .value:
            return .undefinedName(label)
        case .undefined(let u):
            throw u.error
        case .loop(let state):
            if case .string(let k) = index, let v = state.attribute(k) { return v }
            return .undefinedName(label)
        }
    }

    mutating func slice(
        _ baseExpression: TemplateExpression, _ start: TemplateExpression?, _ stop: TemplateExpression?,
        _ step: TemplateExpression?
    ) throws(TemplateRenderError) -> TemplateEvalValue {
        let base = try materialize(try eval(baseExpression))
        var bounds: [Int?] = []
        for part in [start, stop, step] {
            guard let part else {
                bounds.append(nil)
                continue
            }
            let v = try materialize(try eval(part))
            if case .none = v {
                bounds.append(nil)
            } else if let i = TemplatePython.intIndex(v) {
                bounds.append(i)
            } else {
                throw TemplateRenderError("slice indices must be integers or None, not \(v.pythonTypeName)")
            }
        }
        if bounds[2] == 0 { throw TemplateRenderError("slice step cannot be zero") }
        switch base {
        case .list(let items):
            return .value(.list(TemplatePython.slice(items, bounds[0], bounds[1], bounds[2])))
        case .string(let s):
            let scalars = Array(s.unicodeScalars)
            return .value(.string(TemplateText.scalarsToString(TemplatePython.slice(scalars, bounds[0], bounds[1], bounds[2]))))
        default:
            throw TemplateRenderError("'\(base.pythonTypeName)' object is not subscriptable with a slice")
        }
    }

    /// One step of a comparison chain, with Python semantics and Jinja's undefined rules.
    func compare(_ op: TemplateComparisonOperator, _ lhs: TemplateEvalValue, _ rhs: TemplateEvalValue) throws(TemplateRenderError) -> Bool {
        switch op {
        case .equal, .notEqual:
            let equal: Bool
            switch (lhs, rhs) {
            case (.value(let a), .value(let b)): equal = TemplatePython.equals(a, b)
            case (.undefined(let u), _) where !u.lenient: throw u.error
            case (_, .undefined(let u)) where !u.lenient: throw u.error
            case (.undefined, .undefined): equal = true
            default: equal = false
            }
            return op == .equal ? equal : !equal
        case .contains, .notContains:
            let found = try contains(rhs, lhs)
            return op == .contains ? found : !found
        default:
            return try TemplatePython.order(op, try materialize(lhs), try materialize(rhs))
        }
    }

    /// Python `item in container`.
    func contains(_ container: TemplateEvalValue, _ item: TemplateEvalValue) throws(TemplateRenderError) -> Bool {
        switch container {
        case .undefined(let u):
            if u.lenient { return false }
            throw u.error
        case .loop:
            throw TemplateRenderError("argument of type 'LoopContext' is not iterable")
        case .value(let c):
            if case .undefined(let u) = item {
                if case .list(let items) = c, items.isEmpty || u.lenient { return false }
                if case .map = c, u.lenient { return false }
                throw u.lenient ? TemplateRenderError("'in <string>' requires string as left operand") : u.error
            }
            return try TemplatePython.contains(c, try materialize(item))
        }
    }
}
