import BotRuntime
import FlowDSL
import Testing

@Suite("TemplateValue JSON")
struct TemplateValueJSONTests {
    @Test("objects nested in objects and lists keep their own keys, in order")
    func nesting() throws {
        let value = try TemplateValue(jsonText: #"{"b":{"y":[{"p":1},{"q":{"r":2.0}}],"x":{}},"a":[],"c":"{\"not\":1}"}"#)
        let expected: TemplateValue = .map([
            "b": .map(["y": .list([.map(["p": .int(1)]), .map(["q": .map(["r": .double(2.0)])])]), "x": .map([:])]),
            "a": .list([]),
            "c": .string(#"{"not":1}"#),
        ])
        #expect(value == expected)
        #expect(value.jsonText == #"{"b":{"y":[{"p":1},{"q":{"r":2.0}}],"x":{}},"a":[],"c":"{\"not\":1}"}"#)
    }

    @Test("a repeated key keeps its first place and its last value, in small and large objects")
    func duplicateKeys() throws {
        #expect(try TemplateValue(jsonText: #"{"a":1,"b":2,"a":3}"#) == .map(["a": .int(3), "b": .int(2)]))
        let many = (0..<20).map { #""k\#($0)":\#($0)"# }.joined(separator: ",")
        guard case .map(let map) = try TemplateValue(jsonText: "{\(many),\"k5\":\"again\"}") else {
            Issue.record("not an object")
            return
        }
        #expect(map.count == 20)
        #expect(map.keys.firstIndex(of: "k5") == 5)
        #expect(map["k5"] == .string("again"))
        #expect(map["k19"] == .int(19))
    }

    @Test("non-finite floats written by the store read back; other one-key objects stay objects; a client's are objects")
    func specialFloats() throws {
        guard case .double(let nan) = try TemplateValue(storedJSON: #"{"$float":"nan"}"#) else {
            Issue.record("nan did not read as a float")
            return
        }
        #expect(nan.isNaN)
        #expect(try TemplateValue(storedJSON: #"[{"$float":"-inf"},{"$float":"other"}]"#)
                == .list([.double(-.infinity), .map(["$float": .string("other")])]))
        #expect(try TemplateValue(storedJSON: TemplateValue.double(.infinity).jsonText) == .double(.infinity))
        // What a client sends is its data, not the store's notation.
        #expect(try TemplateValue(jsonText: #"{"$float":"inf"}"#) == .map(["$float": .string("inf")]))
    }

    @Test("bad JSON is refused with the byte where it went wrong")
    func errors() {
        #expect(throws: JSONValueError.self) { try TemplateValue(jsonText: #"{"a":1"#) }
        #expect(throws: JSONValueError.self) { try TemplateValue(jsonText: #"{"a" 1}"#) }
        #expect(throws: JSONValueError.self) { try TemplateValue(jsonBytes: Array(#"{"a":1} x"#.utf8)) }
        do {
            _ = try TemplateValue(jsonText: #"{"a":[1,}"#)
            Issue.record("accepted a list with a missing value")
        } catch {
            #expect(error.offset == 8)
            #expect(error.description == "invalid JSON at byte 8: bad number ``")
        }
    }

    @Test("an unpaired surrogate escape becomes U+FFFD and what follows it is read on its own",
          arguments: [
              (#""\ud800\u0041""#, "\u{FFFD}A"),
              (#""\ud800""#, "\u{FFFD}"),
              (#""\udbff\"x""#, "\u{FFFD}\"x"),
              (#""\udc00x""#, "\u{FFFD}x"),
              (#""\ud800\ud800\udc00""#, "\u{FFFD}\u{10000}"),
              (#""\ud83d\ude00""#, "😀"),
              (#""a\u00e9\/\\""#, "aé/\\"),
          ])
    func surrogates(json: String, text: String) throws {
        #expect(try TemplateValue(jsonText: json) == .string(text))
        #expect(try TemplateValue(jsonBytes: Array(json.utf8)) == .string(text))
    }

    @Test("escapes JSON does not have are refused, not read as something else",
          arguments: [#""\x41""#, #""\u+041""#, #""\u 041""#, #""\u-001""#, #""\ud800\u12""#, #""\"#, #""\u00""#])
    func badEscapes(json: String) {
        #expect(throws: JSONValueError.self) { try TemplateValue(jsonText: json) }
    }

    @Test("input nests at most JSONLimits.inputDepth levels; a store reads what it wrote up to readDepth")
    func depth() throws {
        func nested(_ depth: Int) -> String { String(repeating: "[", count: depth) + String(repeating: "]", count: depth) }
        #expect(throws: Never.self) { try TemplateValue(jsonText: nested(JSONLimits.inputDepth)) }
        do {
            _ = try TemplateValue(jsonText: nested(JSONLimits.inputDepth + 1))
            Issue.record("accepted input deeper than the limit")
        } catch {
            #expect(error.message == "nested deeper than \(JSONLimits.inputDepth) levels")
        }
        #expect(throws: Never.self) { try TemplateValue(storedJSON: nested(JSONLimits.readDepth)) }
        #expect(JSONLimits.storedDepth < JSONLimits.readDepth - 4)
    }
}
