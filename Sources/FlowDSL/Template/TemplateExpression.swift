/// The parsed form of one `(@ … )` expression: built once by the parser, evaluated by a plain
/// `switch` (no protocol dispatch) every time the template renders.
indirect enum TemplateExpression: Sendable {
    case literal(TemplateValue)
    /// A variable: template local, then context scope. `offset` is the UTF-8 offset in the source.
    case name(String, offset: Int)
    /// `base.key`; `label` is the expression's source text (`flow.missing`) for undefined-value errors.
    case attribute(TemplateExpression, String, label: String)
    /// `base[index]`
    case item(TemplateExpression, TemplateExpression, label: String)
    /// `base[start:stop:step]`
    case slice(TemplateExpression, TemplateExpression?, TemplateExpression?, TemplateExpression?)
    case negate(TemplateExpression)
    case plus(TemplateExpression)
    case not(TemplateExpression)
    case binary(TemplateBinaryOperator, TemplateExpression, TemplateExpression)
    /// `a ~ b ~ c`: Python `str()` of each operand, joined.
    case concat([TemplateExpression])
    case and(TemplateExpression, TemplateExpression)
    case or(TemplateExpression, TemplateExpression)
    /// `a < b <= c`: Python's chained comparison.
    case compare(TemplateExpression, [TemplateComparisonStep])
    /// `then if test else otherwise` (`otherwise` nil: an undefined that prints as nothing).
    case conditional(test: TemplateExpression, then: TemplateExpression, otherwise: TemplateExpression?)
    case filter(TemplateExpression, TemplateFilterCall)
    case test(TemplateExpression, TestCall)
    /// A call of a global function (`range(3)`, `dict(a=1)`).
    case call(String, TemplateCallArguments, offset: Int)
    /// A Python-style method call on a value (`name.upper()`, `d.get('k', 0)`, `loop.cycle('a', 'b')`).
    case method(TemplateExpression, String, TemplateCallArguments)
    case list([TemplateExpression])
    /// `(a, b)` / `a, b`: a list, remembered as a tuple only so `'%s-%s' % (a, b)` formats like Python.
    case tuple([TemplateExpression])
    case dict([(TemplateExpression, TemplateExpression)])
}

enum TemplateBinaryOperator: Sendable {
    case add, subtract, multiply, divide, floorDivide, modulo, power
}

enum TemplateComparisonOperator: Sendable {
    case equal, notEqual, less, lessOrEqual, greater, greaterOrEqual, contains, notContains
}

struct TemplateComparisonStep: Sendable {
    let op: TemplateComparisonOperator
    let operand: TemplateExpression
}

struct TemplateCallArguments: Sendable {
    var positional: [TemplateExpression] = []
    var keywords: [(String, TemplateExpression)] = []
}

/// A filter application with its arguments bound to the filter's parameters at parse time.
/// A class so that evaluating `x | f(…)` retains one object instead of copying three arrays.
final class TemplateFilterCall: Sendable {
    let filter: TemplateFilter
    /// One slot per declared parameter (nil: use the default).
    let slots: [TemplateExpression?]
    /// Extra positional arguments of variadic filters (`map`, `select`, …).
    let extra: [TemplateExpression]
    /// Keyword arguments of variadic filters.
    let keywords: [(String, TemplateExpression)]
    let isVariadic: Bool

    init(filter: TemplateFilter, slots: [TemplateExpression?], extra: [TemplateExpression],
         keywords: [(String, TemplateExpression)]) {
        self.filter = filter
        self.slots = slots
        self.extra = extra
        self.keywords = keywords
        self.isVariadic = filter.isVariadic
    }
}

/// `x is name(arg)` / `x is not name arg`.
struct TestCall: Sendable {
    let test: TemplateTest
    let argument: TemplateExpression?
    let negated: Bool
}

/// The parsed form of a template body: text, `(@ … )` outputs and `(% … %)` statements.
indirect enum TemplateNode: Sendable {
    case text(String)
    case output(TemplateExpression)
    /// `if` / `elif` branches in order, then the `else` body.
    case conditional([(TemplateExpression, [TemplateNode])], [TemplateNode])
    case loop(TemplateLoopNode)
    /// `(% set a = … %)` or `(% set a, b = … %)`.
    case assign([String], TemplateExpression, unpack: Bool)
    /// `(% set a %)…(% endset %)` with optional filters applied to the captured text.
    case assignBlock(String, [TemplateNode], filters: [TemplateFilterCall])
    /// `(% with a = 1 %)…(% endwith %)`
    case scope([(String, TemplateExpression)], [TemplateNode])
    /// `(% filter upper %)…(% endfilter %)`
    case filterBlock([TemplateFilterCall], [TemplateNode])
}

struct TemplateLoopNode: Sendable {
    let targets: [String]
    let unpack: Bool
    let iterable: TemplateExpression
    let condition: TemplateExpression?
    let body: [TemplateNode]
    let otherwise: [TemplateNode]
}
