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

    @Test("non-finite floats written by the store read back; other one-key objects stay objects")
    func specialFloats() throws {
        guard case .double(let nan) = try TemplateValue(jsonText: #"{"$float":"nan"}"#) else {
            Issue.record("nan did not read as a float")
            return
        }
        #expect(nan.isNaN)
        #expect(try TemplateValue(jsonText: #"[{"$float":"-inf"},{"$float":"other"}]"#)
                == .list([.double(-.infinity), .map(["$float": .string("other")])]))
        #expect(try TemplateValue(jsonText: TemplateValue.double(.infinity).jsonText) == .double(.infinity))
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
}
