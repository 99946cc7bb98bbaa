/// A parsed template: parse once per element, render many times. Thread-safe (a value type, Sendable).
///
/// Every string in a bot's YAML is a template in Meya's Jinja2 dialect: `(@ expr )` expressions,
/// `(% stmt %)` statements and `{# … #}` comments. A template that is exactly one `(@ … )` renders to
/// the expression's native value (bool, number, list, dict, None); anything else renders to text.
public struct Template: Sendable {
    public let source: String
    let body: [TemplateNode]
    let single: TemplateExpression?
    let constant: Bool
    let sizeHint: Int
    /// Static dotted paths the template reads (`vault.twilio.sid`, `flow.event.data.x`).
    public let references: [TemplateReference]

    public init(_ source: String) throws(TemplateSyntaxError) {
        self.source = source
        let bytes = Array(source.utf8)
        if !Self.hasDelimiter(bytes) {
            body = [.text(source)]
            single = nil
            constant = true
            sizeHint = 0
            references = []
            return
        }
        var lexer = TemplateLexer(bytes)
        let tokens = try lexer.tokenize()
        var parser = TemplateParser(source: bytes, tokens: tokens)
        body = try parser.parseTemplate()
        constant = false
        // Reserve output capacity only when the literal text alone exceeds Swift's 15-byte small-string
        // storage; shorter results ("Hello Ana") then need no heap allocation at all.
        var textBytes = 0
        for case .text(let text) in body { textBytes += text.utf8.count }
        sizeHint = textBytes > 15 ? bytes.count + 16 : 0
        if body.count == 1, case .output(let expression) = body[0], tokens.count >= 3,
            tokens[0].kind == .variableBegin, tokens[0].start == 0,
            tokens[tokens.count - 2].kind == .variableEnd, tokens[tokens.count - 2].end == bytes.count
        {
            single = expression
        } else {
            single = nil
        }
        references = TemplateReferenceCollector.collect(body, source: bytes, bound: parser.boundNames)
    }

    private static func hasDelimiter(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 2 else { return false }
        for i in 0..<(bytes.count - 1) {
            let b = bytes[i]
            if b == UInt8(ascii: "(") {
                let c = bytes[i + 1]
                if c == UInt8(ascii: "@") || c == UInt8(ascii: "%") { return true }
            } else if b == UInt8(ascii: "{") && bytes[i + 1] == UInt8(ascii: "#") {
                return true
            }
        }
        return false
    }

    /// True when the source has no `(@`, `(%` or `{#` at all: rendering returns the source unchanged.
    public var isConstant: Bool { constant }

    /// True when the whole source is exactly one `(@ … )` (no surrounding text or whitespace).
    public var isSingleExpression: Bool { single != nil }

    /// Renders the template: the native value for a single expression, otherwise `.string` of the text.
    public func render(_ context: TemplateContext) throws(TemplateRenderError) -> TemplateValue {
        if constant { return .string(source) }
        var evaluator = TemplateEvaluator(context: context)
        if let single {
            return try evaluator.materialize(try evaluator.eval(single))
        }
        var out = ""
        if sizeHint > 0 { out.reserveCapacity(sizeHint) }
        try evaluator.render(body, into: &out)
        return .string(out)
    }

    /// Renders to text: Python `str()` of the result (`True`, `None`, `[1, 'a']`, …).
    public func renderString(_ context: TemplateContext) throws(TemplateRenderError) -> String {
        if constant { return source }
        var evaluator = TemplateEvaluator(context: context)
        if let single {
            return try evaluator.materialize(try evaluator.eval(single)).pythonString
        }
        var out = ""
        if sizeHint > 0 { out.reserveCapacity(sizeHint) }
        try evaluator.render(body, into: &out)
        return out
    }
}
