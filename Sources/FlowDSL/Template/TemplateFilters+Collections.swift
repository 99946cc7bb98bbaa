/// Filters over lists and dicts (`sort`, `unique`, `sum`, `map`, `select`, …) with Jinja2's
/// key functions (`attribute=`, case-insensitive string comparison).
extension TemplateEvaluator {
    func applyCollectionFilter(_ filter: TemplateFilter, _ input: TemplateEvalValue, _ a: TemplateFilterArguments)
        throws(TemplateRenderError) -> TemplateEvalValue
    {
        switch filter {
        case .sort:
            let reverse = try boolArgument(a.a0, default: false)
            let caseSensitive = try boolArgument(a.a1, default: false)
            let path = try attributePath(a.a2)
            let items = try iterate(input)
            var keys: [TemplateEvalValue] = []
            for item in items { keys.append(Self.sortKey(try lookup(item, path), caseSensitive: caseSensitive)) }
            let order = try Self.stableOrder(items.count) { (i, j) throws(TemplateRenderError) in
                reverse ? try compare(.less, keys[j], keys[i]) : try compare(.less, keys[i], keys[j])
            }
            return .value(.list(order.map { items[$0] }))
        case .min, .max:
            let caseSensitive = try boolArgument(a.a0, default: false)
            let path = try attributePath(a.a1)
            let items = try iterate(input)
            guard !items.isEmpty else { return .undefinedName("\(filter.rawValue) of an empty sequence") }
            var best = 0
            var bestKey = Self.sortKey(try lookup(items[0], path), caseSensitive: caseSensitive)
            for i in items.indices.dropFirst() {
                let key = Self.sortKey(try lookup(items[i], path), caseSensitive: caseSensitive)
                if try compare(filter == .min ? .less : .greater, key, bestKey) {
                    best = i
                    bestKey = key
                }
            }
            return .value(items[best])
        case .sum:
            let path = try attributePath(a.a0)
            var total = try a.a1.map { (v) throws(TemplateRenderError) in try materialize(v) } ?? .int(0)
            if case .string = total { throw TemplateRenderError("sum() can't sum strings [use ''.join(seq) instead]") }
            for item in try iterate(input) {
                total = try TemplatePython.add(total, try materialize(try lookup(item, path)))
            }
            return .value(total)
        case .unique:
            let caseSensitive = try boolArgument(a.a0, default: false)
            let path = try attributePath(a.a1)
            var seen = Set<TemplateValue>()
            var out: [TemplateValue] = []
            for item in try iterate(input) {
                let key = try materialize(Self.sortKey(try lookup(item, path), caseSensitive: caseSensitive))
                if seen.insert(try Self.hashKey(key)).inserted { out.append(item) }
            }
            return .value(.list(out))
        case .items:
            switch input {
            case .value(.map(let m)): return .value(.list(m.map { .list([.string($0.key), $0.value]) }))
            case .undefined(let u): if u.lenient { return .value(.list([])) } else { throw u.error }
            default: throw TemplateRenderError("Can only get item pairs from a mapping.")
            }
        case .dictsort:
            let caseSensitive = try boolArgument(a.a0, default: false)
            let by = try optionalValue(a.a1)?.pythonString ?? "key"
            let reverse = try boolArgument(a.a2, default: false)
            guard by == "key" || by == "value" else {
                throw TemplateRenderError("You can only sort by either \"key\" or \"value\"")
            }
            guard case .map(let m) = try materialize(input) else {
                throw TemplateRenderError("dictsort expects a mapping")
            }
            let pairs = Array(m)
            let keys = pairs.map { Self.sortKey(by == "key" ? .value(.string($0.key)) : .value($0.value), caseSensitive: caseSensitive) }
            let order = try Self.stableOrder(pairs.count) { (i, j) throws(TemplateRenderError) in
                reverse ? try compare(.less, keys[j], keys[i]) : try compare(.less, keys[i], keys[j])
            }
            return .value(.list(order.map { .list([.string(pairs[$0].key), pairs[$0].value]) }))
        case .batch:
            let size = try intArgument(a.a0, "linecount", default: 1)
            guard size > 0 else { throw TemplateRenderError("batch size must be positive") }
            let fill = try a.a1.map { (v) throws(TemplateRenderError) in try materialize(v) }
            let items = try iterate(input)
            var out: [TemplateValue] = []
            var start = 0
            while start < items.count {
                let end = size >= items.count - start ? items.count : start + size
                var chunk = Array(items[start..<end])
                if let fill, chunk.count < size {
                    try TemplateEvaluator.checkCount(size)
                    chunk += Array(repeating: fill, count: size - chunk.count)
                }
                out.append(.list(chunk))
                start += size
            }
            return .value(.list(out))
        default:
            throw TemplateRenderError("filter '\(filter.rawValue)' is not implemented")
        }
    }

    /// Python hashing treats 1, 1.0 and True as the same key; lists and dicts are unhashable.
    static func hashKey(_ v: TemplateValue) throws(TemplateRenderError) -> TemplateValue {
        switch v {
        case .bool(let b): return .int(b ? 1 : 0)
        case .double(let d): if let i = Int(exactly: d) { return .int(i) } else { return v }
        case .list, .map: throw TemplateRenderError("unhashable type: '\(v.pythonTypeName)'")
        default: return v
        }
    }

    /// A stable merge sort of indices with a throwing comparator (Python's `sorted` is stable).
    static func stableOrder(_ count: Int, _ less: (Int, Int) throws(TemplateRenderError) -> Bool)
        throws(TemplateRenderError) -> [Int]
    {
        var order = Array(0..<count)
        var buffer = order
        var width = 1
        while width < count {
            var lo = 0
            while lo < count {
                let mid = Swift.min(lo + width, count)
                let hi = Swift.min(lo + 2 * width, count)
                var i = lo
                var j = mid
                var k = lo
                while i < mid && j < hi {
                    if try less(order[j], order[i]) {
                        buffer[k] = order[j]
                        j += 1
                    } else {
                        buffer[k] = order[i]
                        i += 1
                    }
                    k += 1
                }
                while i < mid { buffer[k] = order[i]; i += 1; k += 1 }
                while j < hi { buffer[k] = order[j]; j += 1; k += 1 }
                lo = hi
            }
            swap(&order, &buffer)
            width *= 2
        }
        return order
    }

    // MARK: variadic filters

    func applyVariadic(_ filter: TemplateFilter, _ input: TemplateEvalValue, _ args: [TemplateEvalValue], _ keywords: [(String, TemplateEvalValue)])
        throws(TemplateRenderError) -> TemplateEvalValue
    {
        switch filter {
        case .format:
            let format = try string(input)
            var values: TemplateValue
            if !keywords.isEmpty {
                var m = TemplateMap()
                for (k, v) in keywords { m[k] = try materialize(v) }
                values = .map(m)
            } else {
                var list: [TemplateValue] = []
                for v in args { list.append(try materialize(v)) }
                values = .list(list)
            }
            return .value(.string(try TemplatePercentFormat.percent(format, values, isTuple: keywords.isEmpty)))
        case .map:
            let items = try iterate(input)
            var out: [TemplateValue] = []
            out.reserveCapacity(items.count)
            if args.isEmpty, let attribute = keywords.first(where: { $0.0 == "attribute" })?.1 {
                let path = try attributePath(attribute)
                let fallback = keywords.first(where: { $0.0 == "default" })?.1
                if keywords.contains(where: { $0.0 != "attribute" && $0.0 != "default" }) {
                    throw TemplateRenderError("Unexpected keyword argument for map")
                }
                for item in items {
                    var v = try lookup(item, path)
                    if case .undefined = v, let fallback { v = fallback }
                    out.append(try materialize(v))
                }
                return .value(.list(out))
            }
            guard let nameValue = args.first else { throw TemplateRenderError("map requires a filter argument") }
            let name = try string(nameValue)
            guard let applied = TemplateFilter(name: name) else { throw TemplateRenderError(TemplateFilter.unknown(name)) }
            let bound = try applied.bindValues(Array(args.dropFirst()), keywords)
            for item in items { out.append(try materialize(try apply(applied, .value(item), bound))) }
            return .value(.list(out))
        case .select, .reject, .selectattr, .rejectattr:
            let byAttribute = filter == .selectattr || filter == .rejectattr
            var rest = args[...]
            var path: [TemplateValue]?
            if byAttribute {
                guard let attribute = rest.first else { throw TemplateRenderError("Missing parameter for attribute name") }
                path = try attributePath(attribute)
                rest = rest.dropFirst()
            }
            var test: TemplateTest?
            var argument: TemplateEvalValue?
            if let nameValue = rest.first {
                let name = try string(nameValue)
                guard let t = TemplateTest(rawValue: name) else { throw TemplateRenderError("No test named '\(name)'.") }
                test = t
                argument = rest.dropFirst().first
                if t.takesArgument && argument == nil { throw TemplateRenderError("test '\(name)' needs an argument") }
            }
            let wanted = filter == .select || filter == .selectattr
            var out: [TemplateValue] = []
            for item in try iterate(input) {
                let value = try lookup(item, path)
                let passed: Bool
                if let test { passed = try applyTest(test, value, argument) } else { passed = try truthy(value) }
                if passed == wanted { out.append(item) }
            }
            return .value(.list(out))
        default:
            throw TemplateRenderError("filter '\(filter.rawValue)' is not implemented")
        }
    }
}
