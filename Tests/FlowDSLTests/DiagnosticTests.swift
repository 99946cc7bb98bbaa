import FlowDSL
import Testing

@Suite("Validation errors, each with its file:line:col")
struct DiagnosticTests {
    @Test("misspelled field, with a hint")
    func misspelledField() {
        #expect(problems(["flow/a.yaml": "steps:\n  - ask: Name?\n    retires: 2\n"]) == [
            "flow/a.yaml:3:5: error: unknown field `retires` in `ask` step; did you mean `retries`?",
        ])
    }

    @Test("a field of the step its misspelling kept from being chosen, and a misspelled filter, with hints")
    func misspelledSiblingFieldAndFilter() {
        #expect(problems(["flow/a.yaml": "steps:\n  - ask: Pick\n    buttns:\n      - text: A\n  - say: (@ user.name | defualt('x') )\n"]) == [
            "flow/a.yaml:3:5: error: unknown field `buttns` in `ask` step; did you mean `buttons`? (with it, the step is a `meya.button.component.ask`)",
            "flow/a.yaml:5:25: error: template error: No filter named 'defualt'. Did you mean 'default'?",
        ])
    }

    @Test("a YAML error in one file is not reported again as an unknown flow where another file calls it")
    func noKnockOn() {
        #expect(problems([
            "flow/a.yaml": "triggers:\n  - keyword: hi\nsteps:\n  - flow: flow.b\n",
            "flow/b.yaml": "steps:\n  - say: \"unclosed\n  - say: x\n",
        ]) == ["flow/b.yaml:4:1: error: YAML syntax error: found unexpected end of stream (while scanning a quoted scalar at 2:10)"])
    }

    @Test("unknown step word and unknown step key")
    func unknownSteps() {
        #expect(problems(["flow/a.yaml": "steps:\n  - ned\n  - sya: hi\n"]) == [
            "flow/a.yaml:2:5: error: unknown step `ned`; did you mean `end`?",
            "flow/a.yaml:3:5: error: unknown step `sya:`; did you mean `say`?",
        ])
    }

    @Test("missing required field")
    func missingRequired() {
        #expect(problems(["flow/a.yaml": "steps:\n  - if: true\n    else: next\n"]) == [
            "flow/a.yaml:2:5: error: `if` step is missing `then:`",
        ])
    }

    @Test("wrong value types")
    func wrongTypes() {
        #expect(problems(["flow/a.yaml": """
            triggers:
              - keyword: hi
                ignorecase: maybe
            steps:
              - say: [a, b]
              - delay: soon
              - ask: Pick
                buttons: Yes
            """]) == [
            "flow/a.yaml:3:17: error: expected true or false, found the text `maybe`",
            "flow/a.yaml:5:10: error: expected text or nothing, found a list",
            "flow/a.yaml:6:12: error: expected a number, found the text `soon`",
            "flow/a.yaml:8:14: error: expected a list, found the boolean `Yes`",
        ])
    }

    @Test("unknown labels, in this flow and in a called flow; templated labels are not checked")
    func labels() {
        #expect(problems([
            "flow/a.yaml": "steps:\n  - jump: nowhere\n  - jump: (@ flow.target )\n  - flow: flow.b\n    jump: middel\n  - (here)\n  - (here)\n",
            "flow/b.yaml": "steps:\n  - (middle)\n  - end\n",
        ]) == [
            "flow/a.yaml:2:11: error: unknown label `nowhere` in flow `flow.a`",
            "flow/a.yaml:5:11: error: unknown label `middel` in flow `flow.b`; did you mean `middle`?",
            "flow/a.yaml:7:5: error: duplicate label `here`; first defined at flow/a.yaml:6:5",
        ])
    }

    @Test("unknown flow and integration references")
    func references() {
        #expect(problems([
            "flow/a.yaml": "steps:\n  - flow: flow.bb\n  - flow: (@ flow.dynamic )\n",
            "flow/b.yaml": "steps:\n  - end\n",
        ]) == ["flow/a.yaml:2:11: error: unknown flow `flow.bb`; did you mean `flow.b`?"])
    }

    @Test("unknown event type")
    func eventType() {
        #expect(problems(["flow/a.yaml": "triggers:\n  - event_type: meya.button.event.clik\nsteps:\n  - end\n"]) == [
            "flow/a.yaml:2:17: error: unknown event type `meya.button.event.clik`; did you mean `meya.button.event.click`?",
        ])
    }

    @Test("invalid regexes in triggers, asks and match keys")
    func regexes() {
        #expect(problems(["flow/a.yaml": """
            triggers:
              - regex: (unclosed
            steps:
              - ask: Code?
                regex: "[a-"
              - value: x
                match:
                  "(?P<1bad>x)": next
            """]) == [
            "flow/a.yaml:2:12: error: invalid regular expression `(unclosed`",
            "flow/a.yaml:5:12: error: unterminated character set in `[a-`",
            "flow/a.yaml:8:7: error: bad group name `1bad` in `(?P<1bad>x)`",
        ])
    }

    @Test("duplicate ids and multi-document files without ids")
    func ids() {
        #expect(problems([
            "flow/a.yaml": "steps:\n  - end\n",
            "flow/b.yaml": "id: flow.a\nsteps:\n  - end\n",
            "flow/c.yaml": "id: flow.c1\nsteps:\n  - end\n---\nsteps:\n  - end\n",
        ]) == [
            "flow/b.yaml:1:1: error: duplicate id `flow.a`; first defined at flow/a.yaml:1:1",
            "flow/c.yaml:5:1: error: document 2 of 2 has no `id:`; every document of a multi-document file needs one",
        ])
    }

    @Test("YAML syntax errors and duplicate keys")
    func yamlErrors() {
        let result = problems([
            "flow/a.yaml": "steps:\n  - say: \"unterminated\n",
            "flow/b.yaml": "steps:\n  - say: a\nsteps:\n  - say: b\n",
        ])
        #expect(result.count == 2)
        #expect(result[0].hasPrefix("flow/a.yaml:3:1: error: YAML syntax error: found unexpected end of stream"))
        #expect(result[1].hasPrefix("flow/b.yaml:1:1: error: duplicate key `steps` in mapping"))
    }

    @Test("a literal space in a VERBOSE regex is a warning; the app still loads")
    func verboseSpaceWarning() {
        let result = load(["flow/a.yaml": "triggers:\n  - regex: ^i am (?P<name>\\w+)$\n  - regex: ^i \\s am$\nsteps:\n  - end\n"])
        #expect(result.app != nil)
        #expect(result.diagnostics.map(\.description) == [
            "flow/a.yaml:2:14: warning: this space is ignored: regular expressions here are VERBOSE, so `^i am (?P<name>\\w+)$` does not match a space; write `\\s` or `\\ ` to match one",
        ])
    }

    @Test("a control character is reported at its line and column")
    func controlCharacter() {
        #expect(problems(["flow/a.yaml": "steps:\n  - say: é\u{1}b\n"]) == [
            "flow/a.yaml:2:11: error: control character U+0001 is not allowed in YAML",
        ])
    }

    @Test("a vault reference that vault.yaml does not name, with a hint")
    func unknownVaultKey() {
        #expect(problems([
            "vault.yaml": "twilio.account_sid: xxx\nsupport_phone: xxx\n",
            "flow/a.yaml": "steps:\n  - say: (@ vault.twilio.acount_sid ) (@ vault.twilio ) (@ vault.support_phone )\n",
        ]) == [
            "flow/a.yaml:2:13: error: vault key `twilio.acount_sid` is not named in vault.yaml; did you mean `twilio.account_sid`?",
        ])
    }

    @Test("delay is at most 20 seconds")
    func delayLimit() {
        #expect(problems(["flow/a.yaml": "steps:\n  - delay: 21\n"]) == ["flow/a.yaml:2:12: error: `delay:` is at most 20 seconds, got 21"])
    }

    @Test("a document that is not an element")
    func notAnElement() {
        #expect(problems(["flow/a.yaml": "stpes:\n  - end\n", "flow/b.yaml": "- end\n"]) == [
            "flow/a.yaml:1:1: error: not an element: a flow needs `steps:`, any other element a `type:`; did you mean `steps`?",
            "flow/b.yaml:1:1: error: expected an element (a mapping with `steps:` or `type:`), found a list",
        ])
    }

    @Test("every mistake in one run, in file order")
    func allAtOnce() {
        let found = problems([
            "flow/a.yaml": "steps:\n  - sya: x\n  - jump: nowhere\n",
            "flow/b.yaml": "triggers:\n  - regex: (\nsteps:\n  - delay: 99\n",
        ])
        #expect(found.count == 4)
        #expect(found.map { $0.split(separator: ":").prefix(2).joined(separator: ":") } == ["flow/a.yaml:2", "flow/a.yaml:3", "flow/b.yaml:2", "flow/b.yaml:4"])
    }
}
