import FlowDSL
import Testing

/// Runs every case of the Jinja2-generated corpus (Fixtures/jinja/corpus.json) through `Template`.
@Suite struct JinjaCorpusTests {
    enum Outcome: CustomStringConvertible {
        case value(TemplateValue), text(String), error(String)

        var description: String {
            switch self {
            case .value(let v): return "value \(v.pythonRepr) (\(v))"
            case .text(let s): return "text \(s.debugDescription)"
            case .error(let e): return "error \(e)"
            }
        }
    }

    static func run(_ source: String, _ context: TemplateContext) -> Outcome {
        do {
            let template = try Template(source)
            let result = try template.render(context)
            if template.isSingleExpression { return .value(result) }
            guard case .string(let s) = result else { return .error("non-string result for text template") }
            return .text(s)
        } catch {
            return .error(String(describing: error))
        }
    }

    @Test func corpusMatchesJinja() throws {
        let cases = try JinjaCorpusJSON.loadCorpus()
        #expect(cases.count >= 250)
        var mismatches: [String] = []
        var passed = 0
        for c in cases {
            let name = c["name"]?.stringValue ?? "?"
            let source = c["template"]?.stringValue ?? ""
            var scopes: [String: TemplateValue] = [:]
            if case .object(let pairs)? = c["context"] {
                for (k, v) in pairs { scopes[k] = v.templateValue }
            }
            guard let expect = c["parley"] ?? c["expect"] else { continue }
            let outcome = Self.run(source, TemplateContext(scopes))
            let ok: Bool
            switch outcome {
            case .value(let v): ok = expect["value"].map { JinjaCorpusJSON.equal($0.templateValue, v) } ?? false
            case .text(let s): ok = expect["text"]?.stringValue.map { $0.unicodeScalars.elementsEqual(s.unicodeScalars) } ?? false
            case .error: ok = expect["error"] != nil
            }
            if ok {
                passed += 1
            } else {
                mismatches.append("\(name): \(source.debugDescription)\n    expected \(expect)\n    got      \(outcome)")
            }
        }
        print("JinjaCorpusTests: \(passed) of \(cases.count) corpus cases match")
        #expect(mismatches.isEmpty, "\(mismatches.count) corpus mismatches:\n\(mismatches.joined(separator: "\n"))")
    }
}
