import FlowDSL
import Testing

@Suite struct TemplateTests {
    static let context = TemplateContext([
        "flow": ["name": "Ana", "n": 5, "items": [1, 2], "price": 2.5, "nested": ["x": ["y": 1]]],
        "user": ["name": "Ana"],
        "thread": [:],
        "vault": ["twilio": ["sid": "AC1"], "support_phone": "+1"],
    ])

    @Test func constantTemplatesAreReturnedUnchanged() throws {
        for source in ["plain", "", "a ) b", "100% sure", "{{ x }}", "line\r\n"] {
            let t = try Template(source)
            #expect(t.isConstant)
            #expect(!t.isSingleExpression)
            #expect(try t.render(Self.context) == .string(source))
            #expect(try t.renderString(Self.context) == source)
            #expect(t.references.isEmpty)
        }
        #expect(try !Template("a {# c #}").isConstant)
        #expect(try Template("a {# c #}").renderString(Self.context) == "a ")
    }

    @Test func singleExpressionsRenderNativeValues() throws {
        #expect(try Template("(@ flow.n > 3 )").render(Self.context) == .bool(true))
        #expect(try Template("(@ flow.n )").render(Self.context) == .int(5))
        #expect(try Template("(@ flow.price )").render(Self.context) == .double(2.5))
        #expect(try Template("(@ flow.items )").render(Self.context) == .list([1, 2]))
        #expect(try Template("(@ user.missing )").render(Self.context) == .none)
        #expect(try Template("(@ flow.nested )").render(Self.context) == ["x": ["y": 1]])
        #expect(try Template("(@- flow.n -)").isSingleExpression)
        #expect(try !Template(" (@ flow.n )").isSingleExpression)
        #expect(try !Template("(@ flow.n ) ").isSingleExpression)
        #expect(try !Template("(@ 1 )(@ 2 )").isSingleExpression)
        #expect(try Template(" (@ flow.n )").render(Self.context) == .string(" 5"))
    }

    @Test func renderStringIsPythonStr() throws {
        #expect(try Template("(@ flow.n > 3 )").renderString(Self.context) == "True")
        #expect(try Template("(@ user.missing )").renderString(Self.context) == "None")
        #expect(try Template("(@ [1, 'a', 1.0] )").renderString(Self.context) == "[1, 'a', 1.0]")
        #expect(try Template("(@ {'a': none} )").renderString(Self.context) == "{'a': None}")
        #expect(try Template("Hello (@ user.name )").renderString(Self.context) == "Hello Ana")
    }

    @Test func pythonStrOfValues() {
        let cases: [(TemplateValue, String)] = [
            (.double(0.1 + 0.2), "0.30000000000000004"), (.double(1e16), "1e+16"), (.double(1e-5), "1e-05"),
            (.double(1), "1.0"), (.double(.infinity), "inf"), (.double(-.infinity), "-inf"), (.double(.nan), "nan"),
            (.double(123456789012345.0), "123456789012345.0"), (.double(-0.0), "-0.0"), (.double(.leastNonzeroMagnitude), "5e-324"),
            (.bool(true), "True"), (.none, "None"), (["it's", "a\"b", "x\ny"], "[\"it's\", 'a\"b', 'x\\ny']"),
            (["a": [1, .none]], "{'a': [1, None]}"), (.string("plain"), "plain"),
        ]
        for (value, expected) in cases { #expect(value.pythonString == expected) }
        #expect(TemplateValue.string("a'b").pythonRepr == "\"a'b\"")
        #expect(TemplateValue.string("\u{a0}é").pythonRepr == "'\\xa0é'")
        #expect(TemplateValue.none.isTruthy == false)
        #expect(TemplateValue.double(.nan).isTruthy)
        #expect(TemplateValue.map([:]).isTruthy == false)
    }

    @Test func undefinedRules() throws {
        let missing = try Template("(@ flow.missing )")
        #expect(throws: TemplateRenderError.self) { try missing.render(Self.context) }
        do {
            _ = try missing.render(Self.context)
        } catch {
            #expect(error.message == "'flow.missing' is undefined")
        }
        #expect(try Template("(@ flow.missing is defined )").render(Self.context) == .bool(false))
        #expect(try Template("(@ flow.missing | default('x') )").render(Self.context) == .string("x"))
        #expect(try Template("(@ user.missing is none )").render(Self.context) == .bool(true))
        #expect(throws: TemplateRenderError.self) { try Template("(@ user.missing.x )").render(Self.context) }
        #expect(throws: TemplateRenderError.self) { try Template("(@ nobody )").render(Self.context) }
        // a custom set of lenient scopes
        let strictUser = TemplateContext(["user": [:]], lenientScopes: [])
        #expect(throws: TemplateRenderError.self) { try Template("(@ user.x )").render(strictUser) }
    }

    @Test func contextSubscript() throws {
        var context = TemplateContext()
        #expect(context["user"] == nil)
        context["user"] = [:]
        context["flow"] = ["a": 1]
        #expect(context["flow"] == ["a": 1])
        #expect(try Template("(@ user.x )").render(context) == .none)
        #expect(throws: TemplateRenderError.self) { try Template("(@ flow.x )").render(context) }
        context["flow"] = nil
        #expect(context["flow"] == nil)
    }

    @Test func syntaxErrorsCarryPositions() {
        func position(_ source: String) -> (Int, Int, Int)? {
            do {
                _ = try Template(source)
                return nil
            } catch {
                return (error.line, error.column, error.offset)
            }
        }
        #expect(position("line one\nsecond (@ 1 + ) x")! == (2, 15, 23))
        #expect(position("ab\ncd (@ x")! == (2, 4, 6))
        #expect(position("é (@ 'x' | nosuch )")! == (1, 12, 12))
        #expect(position("{# never closed")! == (1, 1, 0))
        #expect(position("(% if 1 %)\n(% for x in y %)\n")! .0 == 3)
        #expect(position("(@ 1 ]")! == (1, 6, 5))
    }

    @Test func unknownFiltersAndTestsFailAtParseTime() {
        #expect(throws: TemplateSyntaxError.self) { try Template("(% if false %)(@ x | nosuch )(% endif %)") }
        #expect(throws: TemplateSyntaxError.self) { try Template("(@ x is nosuch )") }
        #expect(throws: TemplateSyntaxError.self) { try Template("(@ x | replace('a') )") }
    }

    @Test func references() throws {
        let t = try Template("""
            (@ vault.twilio.sid ) (@ vault['support_phone'] | upper )
            (% for item in flow.items %)(@ item.name )(@ loop.index )(% endfor %)
            (% set local = 1 %)(@ local )(@ user.name.upper() )(@ range(3) )(@ flow.nested.x[0].y )
            """)
        let paths = t.references.map(\.path)
        #expect(paths == [
            ["vault", "twilio", "sid"], ["vault", "support_phone"], ["flow", "items"], ["user", "name"],
            ["flow", "nested", "x"],
        ])
        #expect(t.references[0].line == 1 && t.references[0].column == 4)
        #expect(t.references[2].line == 2 && t.references[2].column == 16)
    }

    @Test func bracketBalancing() throws {
        #expect(try Template("(@ (1 + 2) * 3 )").render(Self.context) == .int(9))
        #expect(try Template("(@ flow.name)").render(Self.context) == .string("Ana"))
        #expect(try Template("(@ flow.name.upper() )").render(Self.context) == .string("ANA"))
        #expect(try Template("(@ 1) )").render(Self.context) == .string("1 )"))
    }

    @Test func loopsAndScopes() throws {
        let t = try Template("(% set x = 0 %)(% for i in flow.items %)(% set x = i %)(@ loop.index )(% endfor %)(@ x )")
        #expect(try t.renderString(Self.context) == "120")
        let items = try Template("(% for k, v in {'a': 1}.items() %)(@ k )=(@ v )(% endfor %)")
        #expect(try items.renderString(Self.context) == "a=1")
    }

    @Test func concurrentRendering() async throws {
        let template = try Template("Hello (@ user.name | upper )!")
        let context = Self.context
        try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { try template.renderString(context) } }
            for try await result in group { #expect(result == "Hello ANA!") }
        }
    }

    @Test func integerOverflowIsARenderError() throws {
        #expect(throws: TemplateRenderError.self) { try Template("(@ 9223372036854775807 + 1 )").render(Self.context) }
        #expect(throws: TemplateRenderError.self) { try Template("(@ -9223372036854775807 - 2 )").render(Self.context) }
        #expect(throws: TemplateSyntaxError.self) { try Template("(@ 99999999999999999999 )") }
    }
}
