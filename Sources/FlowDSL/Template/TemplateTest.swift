/// The Jinja2 tests usable after `is` (`x is defined`, `n is divisibleby 3`) and in `select`/`reject`,
/// resolved by name at parse time.
enum TemplateTest: String, Sendable, CaseIterable {
    case defined, undefined, none, number, string, mapping, sequence, iterable, boolean, integer, float
    case odd, even, divisibleby, eq, ne, lt, le, gt, ge, `in`, `true`, `false`, lower, upper, sameas, callable

    init?(rawValue: String) {
        switch rawValue {
        case "defined": self = .defined
        case "undefined": self = .undefined
        case "none": self = .none
        case "number": self = .number
        case "string": self = .string
        case "mapping": self = .mapping
        case "sequence": self = .sequence
        case "iterable": self = .iterable
        case "boolean": self = .boolean
        case "integer": self = .integer
        case "float": self = .float
        case "odd": self = .odd
        case "even": self = .even
        case "divisibleby": self = .divisibleby
        case "eq", "equalto", "==": self = .eq
        case "ne", "!=": self = .ne
        case "lt", "lessthan", "<": self = .lt
        case "le", "<=": self = .le
        case "gt", "greaterthan", ">": self = .gt
        case "ge", ">=": self = .ge
        case "in": self = .in
        case "true": self = .true
        case "false": self = .false
        case "lower": self = .lower
        case "upper": self = .upper
        case "sameas": self = .sameas
        case "callable": self = .callable
        default: return nil
        }
    }

    var takesArgument: Bool {
        switch self {
        case .divisibleby, .eq, .ne, .lt, .le, .gt, .ge, .in, .sameas: return true
        default: return false
        }
    }
}

extension TemplateEvaluator {
    func applyTest(_ test: TemplateTest, _ value: TemplateEvalValue, _ argument: TemplateEvalValue?) throws(TemplateRenderError) -> Bool {
        if case .undefined(let u) = value {
            switch test {
            case .defined: return false
            case .undefined: return true
            case .none, .number, .string, .mapping, .boolean, .integer, .float, .true, .false, .sameas, .callable:
                return false
            case .sequence:
                return u.lenient
            case .iterable:
                if u.lenient { return true }
                throw u.error
            default: break
            }
        }
        let arg = argument ?? .value(.none)
        switch test {
        case .defined: return true
        case .undefined: return false
        case .callable: return false
        case .eq: return try compare(.equal, value, arg)
        case .ne: return try compare(.notEqual, value, arg)
        case .lt: return try compare(.less, value, arg)
        case .le: return try compare(.lessOrEqual, value, arg)
        case .gt: return try compare(.greater, value, arg)
        case .ge: return try compare(.greaterOrEqual, value, arg)
        case .in: return try contains(arg, value)
        case .lower, .upper:
            let s = try string(value)
            var cased = false
            for c in s.unicodeScalars {
                let p = c.properties
                if p.isUppercase || p.generalCategory == .titlecaseLetter {
                    if test == .lower { return false }
                    cased = true
                } else if p.isLowercase {
                    if test == .upper { return false }
                    cased = true
                }
            }
            return cased
        default: break
        }
        if case .loop = value { return test == .iterable ? false : false }
        let v = try materialize(value)
        switch test {
        case .none: if case .none = v { return true } else { return false }
        case .number: return TemplatePython.number(v) != nil
        case .string: if case .string = v { return true } else { return false }
        case .mapping: if case .map = v { return true } else { return false }
        case .sequence, .iterable:
            switch v {
            case .string, .list, .map: return true
            default: return false
            }
        case .boolean: if case .bool = v { return true } else { return false }
        case .integer: if case .int = v { return true } else { return false }
        case .float: if case .double = v { return true } else { return false }
        case .true: if case .bool(true) = v { return true } else { return false }
        case .false: if case .bool(false) = v { return true } else { return false }
        case .odd, .even:
            let r = try TemplatePython.binary(.modulo, v, .int(2))
            let isOne = TemplatePython.equals(r, .int(1))
            return test == .odd ? isOne : TemplatePython.equals(r, .int(0))
        case .divisibleby:
            let r = try TemplatePython.binary(.modulo, v, try materialize(arg))
            return TemplatePython.equals(r, .int(0))
        case .sameas:
            let other = try materialize(arg)
            switch (v, other) {
            case (.none, .none): return true
            case (.bool(let a), .bool(let b)): return a == b
            default: return false
            }
        default: return false
        }
    }
}
