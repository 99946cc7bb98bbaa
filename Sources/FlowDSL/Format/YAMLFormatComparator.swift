import Yams

/// Parses a YAML stream into its documents' root nodes and compares two such
/// streams structurally.
///
/// Exists so the formatter can prove, before returning any text, that the
/// formatted file means exactly what the original meant: same documents,
/// same node kinds, same scalar text, same resolved tags, same key order.
/// Marks and presentation styles are ignored; a style change that would
/// change a value shows up as a different string or tag.
enum YAMLFormatComparator {
    /// All documents of `yaml`, or a refusal carrying the parser's message and line.
    static func parse(_ yaml: String) throws(YAMLFormatRefusal) -> [Node] {
        do {
            let parser = try Parser(yaml: yaml)
            var documents: [Node] = []
            while let root = try parser.nextRoot() { documents.append(root) }
            return documents
        } catch let error as YamlError {
            throw refusal(from: error)
        } catch {
            throw YAMLFormatRefusal("\(error)", line: nil)
        }
    }

    /// Most nodes compared before giving up: aliases share subtrees, so an
    /// "alias bomb" expands exponentially when walked.
    static let nodeBudget = 1_000_000

    /// 1-based line (in `a`) of the first difference between the two
    /// streams, or nil when they are structurally equal.
    static func firstDifference(_ a: [Node], _ b: [Node]) throws(YAMLFormatRefusal) -> Int? {
        var budget = nodeBudget
        for (x, y) in zip(a, b) {
            let line = difference(x, y, &budget)
            if budget < 0 {
                throw YAMLFormatRefusal(
                    "too large to verify: aliases expand to more than \(nodeBudget) nodes", line: nil)
            }
            if let line { return line }
        }
        if a.count != b.count {
            let extra = a.count > b.count ? a[b.count] : (a.last ?? b[a.count])
            return extra.mark?.line ?? 1
        }
        return nil
    }

    private static func difference(_ a: Node, _ b: Node, _ budget: inout Int) -> Int? {
        let here = a.mark?.line ?? 1
        budget -= 1
        if budget < 0 { return here }
        switch (a, b) {
        case let (.scalar(x), .scalar(y)):
            guard x.string == y.string else { return here }
            // The resolved tag is a function of the written tag, the text and
            // whether the scalar is plain; resolve (regex matching) only when
            // the written tags differ.
            if x.tag.rawValue == y.tag.rawValue, (x.style == .plain) == (y.style == .plain) { return nil }
            return a.tag.rawValue == b.tag.rawValue ? nil : here
        case let (.mapping(x), .mapping(y)):
            guard x.count == y.count, a.tag.rawValue == b.tag.rawValue else { return here }
            for (p, q) in zip(x, y) {
                if let line = difference(p.key, q.key, &budget) ?? difference(p.value, q.value, &budget) {
                    return line
                }
            }
            return nil
        case let (.sequence(x), .sequence(y)):
            guard x.count == y.count, a.tag.rawValue == b.tag.rawValue else { return here }
            for (p, q) in zip(x, y) {
                if let line = difference(p, q, &budget) { return line }
            }
            return nil
        case let (.alias(x), .alias(y)):
            return x.anchor.rawValue == y.anchor.rawValue ? nil : here
        default:
            return here
        }
    }

    private static func refusal(from error: YamlError) -> YAMLFormatRefusal {
        func withContext(_ problem: String, _ context: YamlError.Context?) -> String {
            guard let context else { return problem }
            return "\(context.text) (line \(context.mark.line)): \(problem)"
        }
        switch error {
        case let .scanner(context, problem, mark, _),
             let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            return YAMLFormatRefusal(withContext(problem, context), line: mark.line)
        case let .reader(problem, offset, _, yaml):
            let line = offset.map { yaml.prefix($0).reduce(1) { $1.isNewline ? $0 + 1 : $0 } }
            return YAMLFormatRefusal(problem, line: line)
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            return YAMLFormatRefusal("duplicate mapping key(s) \(keys)", line: context.mark.line)
        default:
            return YAMLFormatRefusal("\(error)", line: nil)
        }
    }
}
