/// What an expression evaluates to inside the evaluator: a data value, Jinja's "undefined" (which
/// must never leak into `TemplateValue`), or a `for` loop's `loop` object.
enum TemplateEvalValue {
    case value(TemplateValue)
    case undefined(TemplateUndefined)
    case loop(TemplateLoopState)

    @inline(__always)
    static func undefinedName(_ label: String) -> TemplateEvalValue { .undefined(TemplateUndefined(label: label, lenient: false)) }
}

/// Jinja's undefined value. Strict ones (missing names, keys, attributes) fail when printed, compared,
/// iterated or tested for truth; lenient ones (the missing `else` of an inline `if`) print as nothing,
/// like Jinja's plain `Undefined`.
struct TemplateUndefined {
    /// The expression as written (`flow.missing`) or a description of why it is undefined.
    let label: String
    let lenient: Bool

    var error: TemplateRenderError { TemplateRenderError("'\(label)' is undefined") }
}

/// Jinja's `loop` variable inside `(% for %)`, computed on demand from the iteration position.
struct TemplateLoopState {
    let items: [TemplateValue]
    let index0: Int
    /// Nesting level of this loop in the template (0 = outermost); keys `loop.changed` memory.
    let level: Int
    /// Jinja's `loop.depth` counts recursive-loop levels; Parley has no recursive loops.
    var depth: Int { 1 }

    var length: Int { items.count }

    func attribute(_ name: String) -> TemplateEvalValue? {
        switch name {
        case "index": return .value(.int(index0 + 1))
        case "index0": return .value(.int(index0))
        case "revindex": return .value(.int(length - index0))
        case "revindex0": return .value(.int(length - index0 - 1))
        case "first": return .value(.bool(index0 == 0))
        case "last": return .value(.bool(index0 == length - 1))
        case "length": return .value(.int(length))
        case "depth": return .value(.int(depth))
        case "depth0": return .value(.int(depth - 1))
        case "previtem":
            return index0 > 0 ? .value(items[index0 - 1]) : .undefinedName("loop.previtem (there is no previous item)")
        case "nextitem":
            return index0 + 1 < length ? .value(items[index0 + 1]) : .undefinedName("loop.nextitem (there is no next item)")
        default: return nil
        }
    }
}
