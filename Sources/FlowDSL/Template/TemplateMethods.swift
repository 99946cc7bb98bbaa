/// Python methods called on values (`name.upper()`, `d.get('k', 0)`, `xs.index(3)`, `loop.cycle(…)`)
/// and the global functions Jinja provides (`range`, `dict`).
extension TemplateEvaluator {
    mutating func evaluateArguments(_ args: TemplateCallArguments) throws(TemplateRenderError) -> ([TemplateEvalValue], [(String, TemplateEvalValue)]) {
        var positional: [TemplateEvalValue] = []
        for e in args.positional { positional.append(try eval(e)) }
        var keywords: [(String, TemplateEvalValue)] = []
        for (k, e) in args.keywords { keywords.append((k, try eval(e))) }
        return (positional, keywords)
    }

    mutating func callGlobal(_ name: String, _ args: TemplateCallArguments) throws(TemplateRenderError) -> TemplateEvalValue {
        if local(name) != nil || context.entries[name] != nil {
            throw TemplateRenderError("'\(name)' is not callable")
        }
        let (positional, keywords) = try evaluateArguments(args)
        switch name {
        case "range":
            guard keywords.isEmpty, (1...3).contains(positional.count) else {
                throw TemplateRenderError("range expected 1 to 3 integer arguments")
            }
            var ints: [Int] = []
            for p in positional {
                let v = try materialize(p)
                guard let i = TemplatePython.intIndex(v) else {
                    throw TemplateRenderError("'\(v.pythonTypeName)' object cannot be interpreted as an integer")
                }
                ints.append(i)
            }
            let start = ints.count == 1 ? 0 : ints[0]
            let stop = ints.count == 1 ? ints[0] : ints[1]
            let step = ints.count == 3 ? ints[2] : 1
            guard step != 0 else { throw TemplateRenderError("range() arg 3 must not be zero") }
            let span = step > 0 ? (stop.subtractingReportingOverflow(start)) : (start.subtractingReportingOverflow(stop))
            if span.overflow { throw TemplateRenderError("range is too large") }
            let count = span.partialValue <= 0 ? 0 : Int((UInt(span.partialValue) - 1) / step.magnitude + 1)
            try TemplateEvaluator.checkCount(count)
            var out: [TemplateValue] = []
            out.reserveCapacity(count)
            var v = start
            for _ in 0..<count {
                out.append(.int(v))
                v &+= step
            }
            return .value(.list(out))
        case "dict":
            guard positional.isEmpty else { throw TemplateRenderError("dict() accepts only keyword arguments here") }
            var map = TemplateMap()
            for (k, v) in keywords { map[k] = try materialize(v) }
            return .value(.map(map))
        case "lipsum", "cycler", "joiner", "namespace":
            throw TemplateRenderError("'\(name)' is not supported in Parley templates")
        default:
            throw TemplateUndefined(label: name, lenient: false).error
        }
    }

    mutating func callMethod(_ base: TemplateEvalValue, _ name: String, _ args: TemplateCallArguments) throws(TemplateRenderError) -> TemplateEvalValue {
        let (positional, keywords) = try evaluateArguments(args)
        var values: [TemplateValue] = []
        for p in positional { values.append(try materialize(p)) }
        func arg(_ i: Int, _ key: String) -> TemplateValue? {
            if i < values.count { return values[i] }
            if let kw = keywords.first(where: { $0.0 == key }) { return try? materialize(kw.1) }
            return nil
        }
        func expect(_ range: ClosedRange<Int>) throws(TemplateRenderError) {
            guard range.contains(values.count + keywords.count) else {
                throw TemplateRenderError("\(name)() takes \(range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)") argument(s)")
            }
        }
        func text(_ v: TemplateValue?, _ what: String) throws(TemplateRenderError) -> String {
            guard case .string(let s)? = v else {
                throw TemplateRenderError("\(name)() argument must be str, not \(v?.pythonTypeName ?? "None")")
            }
            return s
        }
        switch base {
        case .undefined(let u):
            throw u.error
        case .loop(let state):
            if name == "changed" {
                let value = TemplateValue.list(values)
                guard state.level < changedMemory.count else { return .value(.bool(true)) }
                if let previous = changedMemory[state.level], TemplatePython.equals(previous, value) { return .value(.bool(false)) }
                changedMemory[state.level] = value
                return .value(.bool(true))
            }
            guard name == "cycle" else { throw TemplateRenderError("'LoopContext' object has no method '\(name)'") }
            guard !values.isEmpty else { throw TemplateRenderError("no items for cycling given") }
            return .value(values[state.index0 % values.count])
        case .value(let v):
            switch v {
            case .string(let s):
                switch name {
                case "upper": try expect(0...0); return .value(.string(TemplateText.upper(s)))
                case "lower": try expect(0...0); return .value(.string(TemplateText.lower(s)))
                case "title": try expect(0...0); return .value(.string(TemplateText.title(s)))
                case "capitalize": try expect(0...0); return .value(.string(TemplateText.capitalize(s)))
                case "strip", "lstrip", "rstrip":
                    try expect(0...1)
                    var chars: String?
                    if let c = arg(0, "chars"), c != .none { chars = try text(c, "chars") }
                    return .value(.string(TemplateText.strip(s, chars: chars, leading: name != "rstrip", trailing: name != "lstrip")))
                case "startswith", "endswith":
                    try expect(1...1)
                    var candidates: [String] = []
                    if case .list(let items)? = arg(0, "prefix") {
                        for item in items { candidates.append(try text(item, "prefix")) }
                    } else {
                        candidates.append(try text(arg(0, "prefix"), "prefix"))
                    }
                    let scalars = Array(s.unicodeScalars)
                    let hit = candidates.contains { c in
                        let cs = Array(c.unicodeScalars)
                        return name == "startswith" ? scalars.starts(with: cs) : scalars.reversed().starts(with: cs.reversed())
                    }
                    return .value(.bool(hit))
                case "split":
                    try expect(0...2)
                    let maxSplit = arg(1, "maxsplit").flatMap(TemplatePython.intIndex) ?? -1
                    if let sep = arg(0, "sep"), sep != .none {
                        let separator = try text(sep, "sep")
                        if separator.isEmpty { throw TemplateRenderError("empty separator") }
                        return .value(.list(TemplateText.split(s, separator: separator, maxSplit: maxSplit).map { .string($0) }))
                    }
                    return .value(.list(TemplateText.splitWhitespace(s, maxSplit: maxSplit).map { .string($0) }))
                case "replace":
                    try expect(2...3)
                    let count = arg(2, "count").flatMap(TemplatePython.intIndex) ?? -1
                    guard let result = TemplateText.replace(s, try text(arg(0, "old"), "old"), try text(arg(1, "new"), "new"),
                                                        count: count, limit: Self.maxStringBytes)
                    else { throw TemplateRenderError("replace result exceeds \(Self.maxStringBytes) bytes") }
                    return .value(.string(result))
                case "join":
                    try expect(1...1)
                    var parts: [String] = []
                    var total = 0
                    for item in try iterate(.value(arg(0, "iterable") ?? .none)) {
                        let part = try text(item, "item")
                        total += part.utf8.count + s.utf8.count
                        if total > Self.maxStringBytes + s.utf8.count {
                            throw TemplateRenderError("join result exceeds \(Self.maxStringBytes) bytes")
                        }
                        parts.append(part)
                    }
                    let result = parts.joined(separator: s)
                    try Self.checkSize(result)
                    return .value(.string(result))
                case "find", "count":
                    try expect(1...1)
                    let needle = Array(try text(arg(0, "sub"), "sub").unicodeScalars)
                    let hay = Array(s.unicodeScalars)
                    if name == "count" {
                        if needle.isEmpty { return .value(.int(hay.count + 1)) }
                        var n = 0
                        var i = 0
                        while i + needle.count <= hay.count {
                            if hay[i..<(i + needle.count)].elementsEqual(needle) { n += 1; i += needle.count } else { i += 1 }
                        }
                        return .value(.int(n))
                    }
                    if needle.isEmpty { return .value(.int(0)) }
                    var i = 0
                    while i + needle.count <= hay.count {
                        if hay[i..<(i + needle.count)].elementsEqual(needle) { return .value(.int(i)) }
                        i += 1
                    }
                    return .value(.int(-1))
                case "isdigit", "isalpha", "isalnum", "isspace", "islower", "isupper":
                    try expect(0...0)
                    if name == "islower" || name == "isupper" {
                        return .value(.bool(try applyTest(name == "islower" ? .lower : .upper, .value(v), nil)))
                    }
                    let scalars = s.unicodeScalars
                    if scalars.isEmpty { return .value(.bool(false)) }
                    let ok = scalars.allSatisfy { c in
                        switch name {
                        case "isdigit": return c.properties.numericType == .decimal || c.properties.numericType == .digit
                        case "isalpha": return c.properties.isAlphabetic && TemplateText.isWordCharacter(c) && c.properties.numericType == nil
                        case "isspace": return TemplateText.isSpace(c)
                        default: return TemplateText.isWordCharacter(c) && c != "_"
                        }
                    }
                    return .value(.bool(ok))
                case "format":
                    return .value(.string(try TemplateStrFormat.format(s, values, keywords.map { ($0.0, (try? materialize($0.1)) ?? .none) })))
                default: break
                }
            case .map(let m):
                switch name {
                case "get":
                    try expect(1...2)
                    let key = arg(0, "key") ?? .none
                    if case .string(let k) = key, let found = m[k] { return .value(found) }
                    if case .list = key { throw TemplateRenderError("unhashable type: 'list'") }
                    return .value(arg(1, "default") ?? .none)
                case "keys": try expect(0...0); return .value(.list(m.keys.map { .string($0) }))
                case "values": try expect(0...0); return .value(.list(Array(m.values)))
                case "items": try expect(0...0); return .value(.list(m.map { .list([.string($0.key), $0.value]) }))
                default:
                    if m[name] != nil { throw TemplateRenderError("'\(m[name]!.pythonTypeName)' object is not callable") }
                }
            case .list(let items):
                switch name {
                case "index":
                    try expect(1...1)
                    let target = arg(0, "value") ?? .none
                    if let i = items.firstIndex(where: { TemplatePython.equals($0, target) }) { return .value(.int(i)) }
                    throw TemplateRenderError("\(target.pythonRepr) is not in list")
                case "count":
                    try expect(1...1)
                    let target = arg(0, "value") ?? .none
                    return .value(.int(items.filter { TemplatePython.equals($0, target) }.count))
                default: break
                }
            default: break
            }
            throw TemplateRenderError("'\(v.pythonTypeName)' object has no attribute '\(name)'")
        }
    }
}
