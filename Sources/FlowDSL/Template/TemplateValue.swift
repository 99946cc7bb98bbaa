import OrderedCollections

/// The mapping type of template data: string keys in insertion order, like a YAML/JSON object.
public typealias TemplateMap = OrderedDictionary<String, TemplateValue>

/// A value a template reads or produces: the JSON/YAML data model plus Python's truthiness and str().
///
/// Templates mirror Jinja2 running on Python data, so every value a bot's scopes hold (flow, user,
/// thread, config, vault, …) and every value an expression produces is one of these cases. Python's
/// rules for truthiness and `str()` live in `isTruthy` / `pythonString` so that bots render exactly as
/// they do on Meya.
///
/// `==` and hashing are structural (`.int(1) != .double(1.0)`); the template language itself uses
/// Python equality, where `1 == 1.0`.
public enum TemplateValue: Sendable, Hashable {
    case none
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([TemplateValue])
    case map(TemplateMap)

    /// Python truthiness: `None`, `False`, `0`, `0.0`, `''`, `[]` and `{}` are false; everything else is true.
    @inlinable
    public var isTruthy: Bool {
        switch self {
        case .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .list(let l): return !l.isEmpty
        case .map(let m): return !m.isEmpty
        }
    }

    /// Python's type name, used in error messages (`'int' object is not iterable`).
    public var pythonTypeName: String {
        switch self {
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "float"
        case .string: return "str"
        case .list: return "list"
        case .map: return "dict"
        }
    }
}

extension TemplateValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .none }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: TemplateValue...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        var map = TemplateMap(minimumCapacity: elements.count)
        for (key, value) in elements { map[key] = value }
        self = .map(map)
    }
}
